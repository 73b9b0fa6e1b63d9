import { ruleTester } from '../../../test/rules/ruleTester';
import { at } from '../../../test/rules/models';

const functional = (body: string): string =>
  ["import * as tf from '@tensorflow/tfjs';", 'const input = tf.input({shape: [16]});', body, 'export const model = tf.model({inputs: input, outputs: y});', ''].join('\n');

const deadSkip = functional(['const skip = tf.layers.dense({units: 8}).apply(input);', "const y = tf.layers.dense({units: 8, activation: 'relu'}).apply(input);"].join('\n'));
const deadChain = functional(
  ['const a = tf.layers.dense({units: 8}).apply(input);', 'const b = tf.layers.dropout({rate: 0.5}).apply(a);', 'const y = tf.layers.dense({units: 8}).apply(input);'].join('\n'),
);
const inLoop = functional(
  ['let y = input;', 'for (let i = 0; i < 3; i++) {', '  const s = tf.layers.dense({units: 16}).apply(y);', "  y = tf.layers.dense({units: 16, activation: 'relu'}).apply(y);", '}'].join('\n'),
);

ruleTester('unused-layer', {
  valid: [
    functional(['const skip = tf.layers.dense({units: 8}).apply(input);', 'const h = tf.layers.dense({units: 8}).apply(input);', 'const y = tf.layers.add().apply([skip, h]);'].join('\n')),
    // A second model uses the branch the first leaves out: an encoder and its autoencoder.
    functional(['const code = tf.layers.dense({units: 4}).apply(input);', 'export const encoder = tf.model({inputs: input, outputs: code});', 'const y = tf.layers.dense({units: 16}).apply(input);'].join('\n')),
    // A layer used on the path and also applied elsewhere is part of the model.
    functional(['const shared = tf.layers.dense({units: 16});', 'const probe = shared.apply(input);', 'const y = shared.apply(input);'].join('\n')),
  ],
  invalid: [
    {
      code: deadSkip,
      errors: [
        {
          ...at(deadSkip, 'tf.layers.dense({units: 8})'),
          message: 'dense_2 (dense) is applied to tensors of model but reaches none of its outputs: tfjs leaves it out of the model, so it is never trained and changes nothing. A branch never merged back (a skip connection never added)?',
          severity: 'warning',
        },
      ],
    },
    {
      code: deadChain,
      errors: [
        { ...at(deadChain, 'tf.layers.dense({units: 8})'), message: /^dense_2 \(dense\) is applied to tensors of model/ },
        { ...at(deadChain, 'tf.layers.dropout({rate: 0.5})'), message: /^dropout_1 \(dropout\) is applied/ },
      ],
    },
    {
      code: inLoop,
      errors: [{ ...at(inLoop, 'tf.layers.dense({units: 16})'), message: /^3 dense layers made here \(dense_4, dense_5, dense_6\) are applied to tensors of model but reach none of its outputs: tfjs leaves them out/ }],
    },
  ],
});
