import { ruleTester } from '../../../test/rules/ruleTester';
import { at, bnConvNet, dense, repeat, sequential } from '../../../test/rules/models';

const he = dense(64, "activation: 'relu', kernelInitializer: 'heNormal'");
const twelve = sequential([...repeat(11, he), dense(10)]);
const twenty = sequential([...repeat(19, he), dense(10)]);
const twentySigmoid = sequential([...repeat(19, dense(64, "activation: 'sigmoid'")), dense(10)]);
// A VGG-style plain stack of 25 convolutions, each batch-normalised before its relu.
const vgg = bnConvNet(24);

function residual(blocks: number): string {
  const lines = ["import * as tf from '@tensorflow/tfjs';", 'const input = tf.input({shape: [64]});', `const x0 = ${he}.apply(input);`];
  for (let i = 1; i <= blocks; i++) {
    lines.push(`const a${i} = ${he}.apply(x${i - 1});`, `const b${i} = tf.layers.dense({units: 64}).apply(a${i});`, `const x${i} = tf.layers.add().apply([x${i - 1}, b${i}]);`);
  }
  lines.push(`const output = tf.layers.dense({units: 10}).apply(x${blocks});`, 'export const model = tf.model({inputs: input, outputs: output});', '');
  return lines.join('\n');
}

ruleTester('deep-plain-stack', {
  valid: [sequential([...repeat(10, he), dense(10)]), { name: '8 residual blocks of 2 layers', code: residual(8) }],
  invalid: [
    {
      code: twelve,
      errors: [{ ...at(twelve, "tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [64]})"), message: /^12 weighted layers on one path without a skip connection \(dense_1, dense_2 … dense_12; information from 12; a warning from 20 when the estimate has the gradient across them below 10\^-3\.5 or above 10\^5\.5\); the estimate puts the gradient at dense_1 at 10\^-?\d\.\d of dense_12's\.$/, severity: 'info' }],
    },
    {
      name: '20 relu layers with He initialisation: the gradient crosses them, information',
      code: twenty,
      errors: [{ ...at(twenty, "tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [64]})"), message: /^20 weighted layers .*; the estimate puts the gradient at dense_1 at 10\^-0\.\d of dense_20's\.$/, severity: 'info' }],
    },
    {
      name: '20 sigmoid layers: the estimate has the gradient fall past the flow threshold, a warning',
      code: twentySigmoid,
      errors: [{ ...at(twentySigmoid, "tf.layers.dense({units: 64, activation: 'sigmoid', inputShape: [64]})"), message: /^20 weighted layers .*; the estimate puts the gradient at dense_1 at 10\^-\d+\.\d of dense_20's\.$/, severity: 'warning' }],
    },
    {
      name: 'a batch-normalised VGG-style stack of 26 layers is information: the estimate shows the gradient crossing it',
      code: vgg,
      errors: [{ ...at(vgg, "tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', inputShape: [32, 32, 3]})"), message: /^26 weighted layers on one path without a skip connection \(conv2d_1, conv2d_2 … dense_1; information from 12; a warning from 20 when the estimate has the gradient across them below 10\^-3\.5\); the estimate puts the gradient at conv2d_1 at 10\^-?0\.\d of dense_1's\.$/, severity: 'info' }],
    },
  ],
});
