// Lint time against the bare parse of the same files (issue 3: linting stays within 2× of
// parsing), on two corpora: the bundled examples (small files that are nearly all model code,
// the hard case) and a generated 2,000-line model file. Everything runs in this one process
// after a warm-up; only the ratios are meaningful, and they are reported, never asserted.
// The ratio times each file's parse right before its lint, so that both run as they would in
// use. A parser run alone in a tight loop keeps its code and data in the CPU caches, which no
// lint run or editor session does; that best case is printed too.
//   npm run bench   or   npx tsx bench/lint.ts [dir]
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { parse } from '@typescript-eslint/typescript-estree';
import { lint as lintText } from '../src/lint/index';
import { extractModels } from '../src/core/extract';
import { estimateModel } from '../src/core/estimate/estimate';
import { DEFAULT_CONFIG } from '../src/lint/index';
import { parseOptions } from '../src/core/tfjs/parse';
import { generatedModelFile } from './lib/generatedModelFile';
import { median } from './lib/median';

interface Source {
  file: string;
  text: string;
}

/** Mean milliseconds per call of `run` over `rounds` calls. */
function time(run: () => void, rounds: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

function bench(label: string, sources: Source[]): void {
  // The options the tfjs front end parses with: the baseline is exactly its parse.
  const parseOne = ({ file, text }: Source) => parse(text, parseOptions(file));
  const lintOne = ({ file, text }: Source) => lintText(file, text, DEFAULT_CONFIG).diagnostics.length;
  let diagnostics = 0;
  /** Each file parsed, then linted, the two timed apart: milliseconds of each over the corpus. */
  const paired = (): [number, number] => {
    let parseNs = 0n;
    let lintNs = 0n;
    diagnostics = 0;
    for (const source of sources) {
      const t0 = process.hrtime.bigint();
      parseOne(source);
      const t1 = process.hrtime.bigint();
      diagnostics += lintOne(source);
      lintNs += process.hrtime.bigint() - t1;
      parseNs += t1 - t0;
    }
    return [Number(parseNs) / 1e6, Number(lintNs) / 1e6];
  };
  const parseAll = () => sources.forEach(parseOne);
  const lintAll = () => sources.forEach(lintOne);
  // Where lint time goes: the front end (which parses), the estimate, and the rest (rules).
  const extractAll = () => {
    for (const { file, text } of sources) extractModels(file, text);
  };
  const models = sources.flatMap(({ file, text }) => extractModels(file, text).models);
  const estimateAll = () => {
    for (const model of models) estimateModel(model);
  };

  // Warm up every path (JIT, quadrature tables) for about a second each, then alternate short
  // rounds so drift hits all alike, and report medians: a single pass is far too noisy.
  const warmRounds = Math.max(3, Math.ceil(1000 / time(lintAll, 3)));
  for (const run of [paired, parseAll, lintAll, extractAll, estimateAll]) time(run, warmRounds);
  const rounds = Math.max(2, Math.ceil(warmRounds / 10));
  const samples = { parse: [] as number[], lint: [] as number[], ratio: [] as number[], loops: [] as number[], extract: [] as number[], estimate: [] as number[] };
  for (let i = 0; i < 15; i++) {
    let [parseMs, lintMs] = [0, 0];
    for (let r = 0; r < rounds; r++) {
      const [p, l] = paired();
      parseMs += p / rounds;
      lintMs += l / rounds;
    }
    samples.parse.push(parseMs);
    samples.lint.push(lintMs);
    samples.ratio.push(lintMs / parseMs);
    const alone = time(parseAll, rounds);
    samples.loops.push(time(lintAll, rounds) / alone);
    samples.extract.push(time(extractAll, rounds) / alone);
    samples.estimate.push(time(estimateAll, rounds) / alone);
  }
  const spread = (xs: number[]): string => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${median(xs).toFixed(2)}× (middle half of 15 rounds ${sorted[3].toFixed(2)}–${sorted[11].toFixed(2)}×)`;
  };
  const loops = median(samples.loops);
  const extract = median(samples.extract);
  const estimate = median(samples.estimate);
  const kib = sources.reduce((s, f) => s + f.text.length, 0) / 1024;
  console.log(`lint bench, ${label}: ${sources.length} file${sources.length === 1 ? '' : 's'} (${kib.toFixed(1)} KiB), ${models.length} models, ${diagnostics} diagnostics`);
  console.log(`  each file parsed, then linted: parse ${median(samples.parse).toFixed(2)} ms, lintText ${median(samples.lint).toFixed(2)} ms per pass`);
  console.log(`  ratio lint / parse:            ${spread(samples.ratio)}; goal ≤ 2×`);
  console.log(`  the parser alone in a hot loop (its best case), lint in another: ${spread(samples.loops)}`);
  console.log(`    of which front end ${extract.toFixed(2)}× that parse, estimate ${estimate.toFixed(2)}×, rules and the rest ${Math.max(0, loops - extract - estimate).toFixed(2)}×`);
}

const dir = path.resolve(process.argv[2] ?? 'examples');
const files = fg.sync('**/*.{js,ts,mjs,cjs,jsx,tsx}', { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] });
if (!files.length) {
  console.error(`bench/lint: no JS/TS files under ${dir}`);
  process.exit(1);
}
bench(path.relative(process.cwd(), dir) || '.', files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })));
bench('generated 2,000-line model file', [{ file: 'generated-model.ts', text: generatedModelFile(2000) }]);
