// Linting Python against the bare parse of the same files (issue 15: a 2,000-line PyTorch
// file costs at most 2× its parse): examples/python, a generated file dense with models (136
// models in 2,045 lines: the worst case), and timm's resnet.py and naflexvit.py (real library
// files of over 2,000 lines, test/fixtures/python/public/timm). The baseline is @lezer/python's parse alone, which the
// Python front end starts with. Each file is parsed, then linted, the two timed apart, after
// a warm-up; medians of 15 rounds, in wall-clock time and in the process's CPU time (which
// counts the garbage collector's and compiler's threads too, and varies much less than the
// wall clock on a machine busy with other work). Ratios are reported, never asserted.
//   npm run bench   or   npx tsx bench/python-lint.ts
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { parser } from '@lezer/python';
import { lint, DEFAULT_CONFIG } from '../src/lint/index';
import { generatedPythonFile } from './lib/generatedPythonFile';
import { median } from './lib/median';

interface Source {
  file: string;
  text: string;
}

/** CPU time of this process so far, in ms (every thread: the collector's and the compiler's too). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface Round {
  parse: number;
  lint: number;
  parseCpu: number;
  lintCpu: number;
}

function bench(label: string, sources: Source[]): void {
  let diagnostics = 0;
  const paired = (): Round => {
    const round: Round = { parse: 0, lint: 0, parseCpu: 0, lintCpu: 0 };
    diagnostics = 0;
    for (const { file, text } of sources) {
      const c0 = cpuMs();
      const t0 = process.hrtime.bigint();
      parser.parse(text);
      const t1 = process.hrtime.bigint();
      const c1 = cpuMs();
      diagnostics += lint(file, text, DEFAULT_CONFIG).diagnostics.length;
      round.lint += Number(process.hrtime.bigint() - t1) / 1e6;
      round.lintCpu += cpuMs() - c1;
      round.parse += Number(t1 - t0) / 1e6;
      round.parseCpu += c1 - c0;
    }
    return round;
  };
  for (let i = 0; i < 10; i++) paired();
  const rounds = Array.from({ length: 15 }, paired);
  const ratios = rounds.map((r) => r.lint / r.parse).sort((a, b) => a - b);
  const cpuRatios = rounds.map((r) => r.lintCpu / r.parseCpu).sort((a, b) => a - b);
  const lines = sources.reduce((s, f) => s + f.text.split('\n').length, 0);
  console.log(`python lint bench, ${label}: ${sources.length} file${sources.length === 1 ? '' : 's'}, ${lines} lines, ${diagnostics} diagnostics`);
  console.log(`  parse ${median(rounds.map((r) => r.parse)).toFixed(2)} ms, lintText ${median(rounds.map((r) => r.lint)).toFixed(2)} ms per pass`);
  console.log(`  ratio lint / parse: ${median(ratios).toFixed(2)}× (middle half of 15 rounds ${ratios[3].toFixed(2)}–${ratios[11].toFixed(2)}×); goal ≤ 2×`);
  console.log(`  CPU time: parse ${median(rounds.map((r) => r.parseCpu)).toFixed(2)} ms, lintText ${median(rounds.map((r) => r.lintCpu)).toFixed(2)} ms, ratio ${median(cpuRatios).toFixed(2)}× (middle half ${cpuRatios[3].toFixed(2)}–${cpuRatios[11].toFixed(2)}×)`);
}

const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((d) => fs.existsSync(path.join(d, 'esbuild.js'))) ?? process.cwd();
const files = fg.sync('examples/python/**/*.py', { cwd: root, absolute: true });
bench('examples/python', files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })));
bench('generated 2,000-line PyTorch file', [{ file: 'generated-model.py', text: generatedPythonFile(2000) }]);
for (const file of fg.sync('test/fixtures/python/public/timm/*.py', { cwd: root, absolute: true }).sort()) {
  bench(`timm's ${path.basename(file)}`, [{ file, text: fs.readFileSync(file, 'utf8') }]);
}
