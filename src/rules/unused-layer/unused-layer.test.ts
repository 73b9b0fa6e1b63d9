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

// A "ResNet" block whose shortcut projection is created and never applied.
const neverApplied = [
  "import * as tf from '@tensorflow/tfjs';",
  'export function block(input) {',
  "  const shortcut = tf.layers.conv2d({filters: 16, kernelSize: 1});",
  "  let x = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', activation: 'relu'}).apply(input);",
  "  x = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same'}).apply(x);",
  '  return tf.model({inputs: input, outputs: x});',
  '}',
  '',
].join('\n');
// The same layer handed to code gradlint does not follow: it may be used there.
const handedOn = neverApplied.replace('  return tf.model', '  register(shortcut);\n  return tf.model');

ruleTester('unused-layer', {
  valid: [
    { name: 'a layer created and passed to code not followed', code: handedOn },
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
      name: 'a layer created beside the model and never applied',
      code: neverApplied,
      errors: [
        {
          ...at(neverApplied, 'tf.layers.conv2d({filters: 16, kernelSize: 1})'),
          message: 'conv2d_3 (conv2d) is created beside block but never applied, added or passed anywhere: tfjs never builds it into the model. A connection forgotten (a skip branch never applied)?',
          severity: 'warning',
        },
      ],
    },
    {
      code: inLoop,
      errors: [{ ...at(inLoop, 'tf.layers.dense({units: 16})'), message: /^3 dense layers made here \(dense_4, dense_5, dense_6\) are applied to tensors of model but reach none of its outputs: tfjs leaves them out/ }],
    },
  ],
});
