// Lint time against the bare parse of the same files (issue 3: linting stays within 2× of
// parsing). Both run in this one process over the tfjs example sources, after a warm-up;
// only the ratio is meaningful, and it is reported, never asserted.
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

const dir = path.resolve(process.argv[2] ?? 'examples');
const files = fg.sync('**/*.{js,ts,mjs,cjs,jsx,tsx}', { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] });
if (!files.length) {
  console.error(`bench/lint: no JS/TS files under ${dir}`);
  process.exit(1);
}
const sources = files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

function time(run: () => void, rounds: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

const parseAll = () => {
  // The options the tfjs front end parses with: the baseline is exactly its parse.
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

// Warm up every path (JIT, quadrature tables), then alternate so drift hits all alike.
for (const run of [parseAll, lintAll, extractAll, estimateAll]) time(run, 3);
let parseMs = 0;
let lintMs = 0;
let extractMs = 0;
let estimateMs = 0;
const rounds = 5;
for (let i = 0; i < 4; i++) {
  parseMs += time(parseAll, rounds) / 4;
  lintMs += time(lintAll, rounds) / 4;
  extractMs += time(extractAll, rounds) / 4;
  estimateMs += time(estimateAll, rounds) / 4;
}
const bytes = sources.reduce((s, f) => s + f.text.length, 0);
console.log(`lint bench: ${sources.length} files (${(bytes / 1024).toFixed(1)} KiB) under ${path.relative(process.cwd(), dir) || '.'}, ${diagnostics} diagnostics`);
console.log(`  bare typescript-estree parse: ${parseMs.toFixed(2)} ms per pass`);
console.log(`  gradlint lintText:            ${lintMs.toFixed(2)} ms per pass`);
console.log(`  ratio lint / parse:           ${(lintMs / parseMs).toFixed(2)}× (goal ≤ 2×)`);
const share = (ms: number) => `${(ms / parseMs).toFixed(2)}× parse`;
console.log(`    of which front end ${share(extractMs)}, estimate ${share(estimateMs)}, rules and the rest ${share(Math.max(0, lintMs - extractMs - estimateMs))}`);
