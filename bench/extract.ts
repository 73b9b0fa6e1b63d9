// Times the tfjs front end against the bare typescript-estree parse of the same generated
// 2,000-line model file, in one run (warm-up, then the median of several iterations), and
// prints the ratio. The goal: extraction adds at most 50% to the parse.

import { parse } from '@typescript-eslint/typescript-estree';
import { extractTfjs } from '../src/core/tfjs/extract';
import { parseOptions } from '../src/core/tfjs/parse';
import { generatedModelFile } from './lib/generatedModelFile';
import { median } from './lib/median';

const TARGET_LINES = 2000;
const WARMUP = 5;
const ITERATIONS = 21;

/** Median times of two functions, measured alternately so machine load hits both alike. */
function timePair(a: () => void, b: () => void): [number, number] {
  for (let i = 0; i < WARMUP; i++) {
    a();
    b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let t0 = performance.now();
    a();
    sa.push(performance.now() - t0);
    t0 = performance.now();
    b();
    sb.push(performance.now() - t0);
  }
  return [median(sa), median(sb)];
}

function main(): void {
  const file = 'generated-model.ts';
  const text = generatedModelFile(TARGET_LINES);
  const result = extractTfjs(file, text);
  const layers = result.models.reduce((n, m) => n + m.layers.length, 0);
  const [parseMs, extractMs] = timePair(
    () => parse(text, parseOptions(file)),
    () => extractTfjs(file, text),
  );
  const ratio = extractMs / parseMs;
  console.log(`tfjs extraction of ${text.split('\n').length} lines: ${result.models.length} models, ${layers} layers, ${result.problems.length} problems`);
  console.log(`  bare parse ${parseMs.toFixed(1)} ms, extraction ${extractMs.toFixed(1)} ms (median of ${ITERATIONS})`);
  console.log(`  ratio extraction/parse = ${ratio.toFixed(2)} (extraction adds ${((ratio - 1) * 100).toFixed(0)}%; goal ≤ 50%)`);
}

main();
