// Linting Python against the bare parse of the same files (issue 15: a 2,000-line PyTorch
// file costs at most 2× its parse). The baseline is @lezer/python's parse alone, which the
// Python front end starts with. Each file is parsed, then linted, the two timed apart, after
// a warm-up; medians of 15 rounds. Ratios are reported, never asserted.
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

function bench(label: string, sources: Source[]): void {
  let diagnostics = 0;
  const paired = (): [number, number] => {
    let parseNs = 0n;
    let lintNs = 0n;
    diagnostics = 0;
    for (const { file, text } of sources) {
      const t0 = process.hrtime.bigint();
      parser.parse(text);
      const t1 = process.hrtime.bigint();
      diagnostics += lint(file, text, DEFAULT_CONFIG).diagnostics.length;
      lintNs += process.hrtime.bigint() - t1;
      parseNs += t1 - t0;
    }
    return [Number(parseNs) / 1e6, Number(lintNs) / 1e6];
  };
  for (let i = 0; i < 10; i++) paired();
  const ratios: number[] = [];
  const parses: number[] = [];
  const lints: number[] = [];
  for (let i = 0; i < 15; i++) {
    const [p, l] = paired();
    parses.push(p);
    lints.push(l);
    ratios.push(l / p);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const lines = sources.reduce((s, f) => s + f.text.split('\n').length, 0);
  console.log(`python lint bench, ${label}: ${sources.length} file${sources.length === 1 ? '' : 's'}, ${lines} lines, ${diagnostics} diagnostics`);
  console.log(`  parse ${median(parses).toFixed(2)} ms, lintText ${median(lints).toFixed(2)} ms per pass`);
  console.log(`  ratio lint / parse: ${median(ratios).toFixed(2)}× (middle half of 15 rounds ${sorted[3].toFixed(2)}–${sorted[11].toFixed(2)}×); goal ≤ 2×`);
}

const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((d) => fs.existsSync(path.join(d, 'esbuild.js'))) ?? process.cwd();
const files = fg.sync('examples/python/**/*.py', { cwd: root, absolute: true });
bench('examples/python', files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })));
bench('generated 2,000-line PyTorch file', [{ file: 'generated-model.py', text: generatedPythonFile(2000) }]);
