// unused-layer: each block computes a 1x1 shortcut and never adds it back, so the "ResNet" is
// a plain stack and the shortcut layers are left out of the model.
const tf = require('@tensorflow/tfjs');

function block(x, filters) {
  const shortcut = tf.layers.conv2d({ filters, kernelSize: 1 }).apply(x);
  let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal' }).apply(x);
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', kernelInitializer: 'heNormal' }).apply(y);
  y = tf.layers.batchNormalization().apply(y);
  return tf.layers.activation({ activation: 'relu' }).apply(y);
}

const input = tf.input({ shape: [32, 32, 3] });
let x = input;
for (const filters of [16, 32]) x = block(x, filters);
const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(x));
const model = tf.model({ inputs: input, outputs: output });

module.exports = { model };
