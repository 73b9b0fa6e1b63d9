// Lint time against the bare parse of the same files (issue 3: linting stays within 2× of
// parsing), on two corpora: the bundled examples (small files that are nearly all model code,
// the hard case) and a generated 2,000-line model file. Everything runs in this one process
// after a warm-up; only the ratios are meaningful, and they are reported, never asserted.
//   npm run bench   or   npx tsx bench/lint.ts [dir]
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { parse } from '@typescript-eslint/typescript-estree';
import { lintText } from '../src/core/lint';
import { extractModels } from '../src/core/extract';
import { estimateModel } from '../src/core/estimate/estimate';
import { DEFAULT_CONFIG } from '../src/core/config';
import { parseOptions } from '../src/core/tfjs/extract';
import { generatedModelFile } from './lib/generatedModelFile';

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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench(label: string, sources: Source[]): void {
  // The options the tfjs front end parses with: the baseline is exactly its parse.
  const parseAll = () => {
    for (const { file, text } of sources) parse(text, parseOptions(file));
  };
  let diagnostics = 0;
  const lintAll = () => {
    diagnostics = 0;
    for (const { file, text } of sources) diagnostics += lintText(file, text, DEFAULT_CONFIG).diagnostics.length;
  };
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
  for (const run of [parseAll, lintAll, extractAll, estimateAll]) time(run, warmRounds);
  const rounds = Math.max(2, Math.ceil(warmRounds / 10));
  const samples = { parse: [] as number[], lint: [] as number[], ratio: [] as number[], extract: [] as number[], estimate: [] as number[] };
  for (let i = 0; i < 15; i++) {
    const parse = time(parseAll, rounds);
    const lint = time(lintAll, rounds);
    samples.parse.push(parse);
    samples.lint.push(lint);
    samples.ratio.push(lint / parse);
    samples.extract.push(time(extractAll, rounds) / parse);
    samples.estimate.push(time(estimateAll, rounds) / parse);
  }
  const ratio = median(samples.ratio);
  const sorted = [...samples.ratio].sort((a, b) => a - b);
  const extract = median(samples.extract);
  const estimate = median(samples.estimate);
  const kib = sources.reduce((s, f) => s + f.text.length, 0) / 1024;
  console.log(`lint bench, ${label}: ${sources.length} file${sources.length === 1 ? '' : 's'} (${kib.toFixed(1)} KiB), ${models.length} models, ${diagnostics} diagnostics`);
  console.log(`  bare typescript-estree parse: ${median(samples.parse).toFixed(2)} ms per pass (median of 15 rounds)`);
  console.log(`  gradlint lintText:            ${median(samples.lint).toFixed(2)} ms per pass`);
  console.log(`  ratio lint / parse:           ${ratio.toFixed(2)}× (middle half of the rounds ${sorted[3].toFixed(2)}–${sorted[11].toFixed(2)}×; goal ≤ 2×)`);
  console.log(`    of which front end ${extract.toFixed(2)}× parse, estimate ${estimate.toFixed(2)}×, rules and the rest ${Math.max(0, ratio - extract - estimate).toFixed(2)}×`);
}

const dir = path.resolve(process.argv[2] ?? 'examples');
const files = fg.sync('**/*.{js,ts,mjs,cjs,jsx,tsx}', { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] });
if (!files.length) {
  console.error(`bench/lint: no JS/TS files under ${dir}`);
  process.exit(1);
}
bench(path.relative(process.cwd(), dir) || '.', files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })));
bench('generated 2,000-line model file', [{ file: 'generated-model.ts', text: generatedModelFile(2000) }]);
