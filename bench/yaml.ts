// Lint time of an Ultralytics model YAML (issue 4: yolo11.yaml well under 10 ms after
// warm-up), split into the YAML parse, the front end's expansion and the whole lint, all
// measured in this one process. Timings are reported, never asserted.
//   node esbuild.js && node dist/bench/yaml.js [file.yaml]   (from the repository root)
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { lint as lintText } from '../src/lint/index';
import { DEFAULT_CONFIG } from '../src/lint/index';
import { extractYaml } from '../src/core/yaml/extract';

// Run from the repository root (npm run bench); the fixture is test/fixtures/yolo/11/yolo11.yaml.
const file = path.resolve(process.argv[2] ?? 'test/fixtures/yolo/11/yolo11.yaml');
if (!fs.existsSync(file)) {
  console.error(`bench/yaml: ${file} does not exist; pass a model YAML`);
  process.exit(1);
}
const text = fs.readFileSync(file, 'utf8');

function time(run: () => void, rounds: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

const parse = () => parseDocument(text);
const extract = () => extractYaml(file, text);
let diagnostics = 0;
const lint = () => {
  diagnostics = lintText(file, text, DEFAULT_CONFIG).diagnostics.length;
};

// Warm up (JIT, the estimate's quadrature tables), then alternate so drift hits all alike.
for (const run of [parse, extract, lint]) time(run, 50);
const totals = { parse: 0, extract: 0, lint: 0 };
const passes = 4;
for (let i = 0; i < passes; i++) {
  totals.parse += time(parse, 25);
  totals.extract += time(extract, 25);
  totals.lint += time(lint, 25);
}
const [parseMs, extractMs, lintMs] = [totals.parse, totals.extract, totals.lint].map((t) => t / passes);
const model = extractYaml(file, text).models[0];
console.log(`yaml bench: ${path.basename(file)} (${model?.name ?? 'not a model'}: ${model?.layers.length ?? 0} inner layers, ${model?.params ?? 0} parameters), ${diagnostics} diagnostics`);
console.log(`  yaml parseDocument:      ${parseMs.toFixed(2)} ms`);
console.log(`  extractYaml (expand):    ${extractMs.toFixed(2)} ms`);
console.log(`  lintText (whole lint):   ${lintMs.toFixed(2)} ms (goal: well under 10 ms)`);
console.log(`  ratio lint / parse:      ${(lintMs / parseMs).toFixed(1)}×`);
