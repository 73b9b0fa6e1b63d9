import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, repeat, sequential } from '../../../test/rules/models';

const he = dense(64, "activation: 'relu', kernelInitializer: 'heNormal'");
const eight = sequential([...repeat(7, he), dense(10)]);

const added = [
  "const tf = require('@tensorflow/tfjs');",
  'const model = tf.sequential();',
  "model.add(tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [16]}));",
  ...repeat(7, "model.add(tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'heNormal'}));"),
  'model.add(tf.layers.dense({units: 1}));',
  '',
].join('\n');

ruleTester('missing-normalization', {
  valid: [
    sequential([...repeat(6, he), dense(10)]),
    sequential([...repeat(4, he), 'tf.layers.batchNormalization()', ...repeat(4, he), dense(10)]),
  ],
  invalid: [
    {
      code: eight,
      errors: [
        {
          ...at(eight, "tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [64]})"),
          message: /^8 weighted layers in a row without batch or layer normalisation \(dense_1, dense_2 … dense_8; threshold 8\); the estimate has their output RMS go from 10\^-?\d\.\d at dense_1 to 10\^-?\d\.\d at dense_8\.$/,
          severity: 'info',
          preferredFix: 'Insert batchNormalization after dense_1, dense_2 … dense_7',
        },
      ],
    },
    { name: 'model.add sequences', code: added, errors: [{ ...at(added, "tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [16]})"), message: /^9 weighted layers in a row/ }] },
  ],
});
