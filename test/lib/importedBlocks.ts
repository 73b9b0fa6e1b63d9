// A tfjs model whose hidden layers come from another file, for the tests of imports read from
// an editor or from the disk: `main.js` alone (one sigmoid layer and the output) does not
// vanish; with `blocks.js` adding seven sigmoid layers it does, with relu layers it does not.

/** blocks.js: adds `depth` dense layers of `activation`. */
export const blocksSource = (activation: string): string =>
  [
    "const tf = require('@tensorflow/tfjs');",
    'function addHidden(model, depth) {',
    `  for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: 64, activation: '${activation}' }));`,
    '}',
    'module.exports = { addHidden };',
    '',
  ].join('\n');

/** main.js: the model, built with blocks.js's helper. */
export const MAIN_SOURCE = [
  "const tf = require('@tensorflow/tfjs');",
  "const { addHidden } = require('./blocks');",
  'const model = tf.sequential();',
  "model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [32] }));",
  'addHidden(model, 7);',
  'model.add(tf.layers.dense({ units: 1 }));',
  'module.exports = { model };',
  '',
].join('\n');
