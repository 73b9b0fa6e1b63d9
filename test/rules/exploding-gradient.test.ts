import { ruleTester } from './ruleTester';
import { at, dense, repeat, sequential } from './models';

const wide = sequential([...repeat(6, dense(128, "activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 1})")), dense(10)], '[128]');

const bnConvNet = [
  "import * as tf from '@tensorflow/tfjs';",
  'const model = tf.sequential();',
  "model.add(tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', inputShape: [32, 32, 3]}));",
  'model.add(tf.layers.batchNormalization());',
  "model.add(tf.layers.activation({activation: 'relu'}));",
  ...Array.from({ length: 6 }, () => [
    "model.add(tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same'}));",
    'model.add(tf.layers.batchNormalization());',
    "model.add(tf.layers.activation({activation: 'relu'}));",
  ]).flat(),
  'model.add(tf.layers.globalAveragePooling2d({}));',
  'model.add(tf.layers.dense({units: 10}));',
  '',
].join('\n');

ruleTester('exploding-gradient', {
  valid: [
    sequential([...repeat(8, dense(64, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(10)]),
    { name: 'a batch-normalised conv net', code: bnConvNet },
  ],
  invalid: [
    {
      name: 'randomNormal stddev 1 on fan-in 128',
      code: wide,
      errors: [
        {
          ...at(wide, 'tf.initializers.randomNormal({stddev: 1})'),
          message: /^Exploding gradient in model: the first weighted layer's gradient RMS is predicted at 10\^\d+\.\d \(threshold 10\^3\.0\).*χ ≈ \d+\.\d\d per layer\.$/,
          severity: 'warning',
          preferredFix: /^(Use heNormal|Insert batchNormalization)/,
        },
      ],
    },
  ],
});
