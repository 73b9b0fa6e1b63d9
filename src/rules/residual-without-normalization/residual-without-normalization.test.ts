import { ruleTester } from '../../../test/rules/ruleTester';
import { at } from '../../../test/rules/models';

const HE = "activation: 'relu', kernelInitializer: 'heNormal'";

function residual(blocks: number, normalize: boolean, branch = HE): string {
  const lines = ["import * as tf from '@tensorflow/tfjs';", 'const input = tf.input({shape: [64]});', 'const x0 = tf.layers.dense({units: 64}).apply(input);'];
  for (let i = 1; i <= blocks; i++) {
    lines.push(`const a${i} = tf.layers.dense({units: 64, ${branch}}).apply(x${i - 1});`);
    lines.push(normalize ? `const b${i} = tf.layers.batchNormalization().apply(tf.layers.dense({units: 64}).apply(a${i}));` : `const b${i} = tf.layers.dense({units: 64}).apply(a${i});`);
    lines.push(`const x${i} = tf.layers.add().apply([x${i - 1}, b${i}]);`);
  }
  lines.push(`const output = tf.layers.dense({units: 10}).apply(x${blocks});`, 'export const model = tf.model({inputs: input, outputs: output});', '');
  return lines.join('\n');
}

const four = residual(4, false);
const deep = residual(24, false);
// Bounded branches add at most a constant variance per block: linear growth, not doubling.
const tanh = residual(16, false, "activation: 'tanh'");

/** Blocks adding the trunk to two branches: `add([x, f(x), g(x)])`; `normalizeOne` puts batch norm in one branch only. */
function threeWay(blocks: number, normalizeOne: boolean): string {
  const lines = ["import * as tf from '@tensorflow/tfjs';", 'const input = tf.input({shape: [64]});', 'const x0 = tf.layers.dense({units: 64}).apply(input);'];
  for (let i = 1; i <= blocks; i++) {
    lines.push(`const f${i} = tf.layers.dense({units: 64, ${HE}}).apply(x${i - 1});`);
    const g = `tf.layers.dense({units: 64, ${HE}}).apply(x${i - 1})`;
    lines.push(`const g${i} = ${normalizeOne ? `tf.layers.batchNormalization().apply(${g})` : g};`);
    lines.push(`const x${i} = tf.layers.add().apply([x${i - 1}, f${i}, g${i}]);`);
  }
  lines.push(`const output = tf.layers.dense({units: 10}).apply(x${blocks});`, 'export const model = tf.model({inputs: input, outputs: output});', '');
  return lines.join('\n');
}

const threeWayFour = threeWay(4, false);

ruleTester('residual-without-normalization', {
  valid: [residual(8, true), residual(3, false), { name: 'three-way adds with batch norm in one of the two branches', code: threeWay(4, true) }],
  invalid: [
    {
      code: four,
      errors: [
        {
          ...at(four, 'tf.layers.add()'),
          message: /^4 additive skips without normalisation or down-scaling \(add_1, add_2, add_3, add_4; threshold 4\): the forward variance adds up block by block; the estimate puts the output RMS at 10\^0\.\d by add_4 \(10\^0\.\d times the block input's\), which training absorbs \(a warning above 10\^3\.0 or from 2 decades of growth\)\.$/,
          severity: 'info',
          preferredFix: /^Insert batchNormalization at the end of each residual branch/,
        },
      ],
    },
    {
      name: 'three-way adds (trunk + two branches) without normalisation',
      code: threeWayFour,
      errors: [{ ...at(threeWayFour, 'tf.layers.add()'), message: /^4 additive skips without normalisation/, severity: 'info' }],
    },
    {
      name: '24 relu blocks: the estimate shows more than 2 decades of growth',
      code: deep,
      errors: [{ ...at(deep, 'tf.layers.add()'), message: /^24 additive skips .*the estimate puts the output RMS at 10\^[23]\.\d by add_24 \(10\^2\.\d times the block input's\)\.$/, severity: 'warning' }],
    },
    {
      name: '16 tanh blocks: bounded branches grow the variance linearly',
      code: tanh,
      errors: [{ ...at(tanh, 'tf.layers.add()'), message: /^16 additive skips .*\(10\^0\.\d times the block input's\), which training absorbs/, severity: 'info' }],
    },
  ],
});
