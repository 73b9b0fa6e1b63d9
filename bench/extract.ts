// Times the tfjs front end against the bare typescript-estree parse of the same generated
// 2,000-line model file, in one run (warm-up, then the median of several iterations), and
// prints the ratio. The goal: extraction adds at most 50% to the parse.

import { parse } from '@typescript-eslint/typescript-estree';
import { extractTfjs, parseOptions } from '../src/core/tfjs/extract';

const TARGET_LINES = 2000;
const WARMUP = 5;
const ITERATIONS = 21;

/** One block of typical model code: a sequential builder, a functional one, a loop. */
function block(i: number): string {
  return `
const UNITS_${i} = ${16 + (i % 5) * 16};
export function buildSequential${i}(inputDim: number, dropout = 0.2): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: UNITS_${i}, activation: 'relu', inputShape: [inputDim]}));
  for (let j = 0; j < 3; j++) {
    model.add(tf.layers.dense({
      units: UNITS_${i} * 2,
      activation: j % 2 === 0 ? 'relu' : 'tanh',
      kernelInitializer: 'heNormal',
    }));
    model.add(tf.layers.dropout({rate: dropout}));
  }
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  model.compile({optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}

export function buildFunctional${i}(): tf.LayersModel {
  const input = tf.input({shape: [28, 28, 1]});
  let x = tf.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({poolSize: 2}).apply(x) as tf.SymbolicTensor;
  const branchA = tf.layers.conv2d({filters: 16, kernelSize: 1, padding: 'same'}).apply(x) as tf.SymbolicTensor;
  const branchB = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same'}).apply(x) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate().apply([branchA, branchB]) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(merged) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({units: 64, activation: 'relu'}).apply(flat) as tf.SymbolicTensor;
  const output = tf.layers.dense({units: 10, activation: 'softmax'}).apply(hidden) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: output});
}

const sizes${i} = [128, 64, 32];
export const mlp${i} = tf.sequential({
  layers: [
    tf.layers.dense({units: 256, inputShape: [784], activation: 'relu'}),
    ...sizes${i}.map((units) => tf.layers.dense({units, activation: 'relu'})),
    tf.layers.dense({units: 10, activation: 'softmax'}),
  ],
});
`;
}

function generate(): string {
  let text = "import * as tf from '@tensorflow/tfjs';\n";
  for (let i = 0; text.split('\n').length < TARGET_LINES; i++) text += block(i);
  return text;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

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
  const text = generate();
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
