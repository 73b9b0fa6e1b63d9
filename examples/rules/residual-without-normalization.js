// residual-without-normalization: twenty-four additive skips with nothing to normalise or scale the
// branches, so the forward variance doubles per block: 2.4 decades of growth.
const tf = require('@tensorflow/tfjs');

const input = tf.input({ shape: [64] });
let x = tf.layers.dense({ units: 64 }).apply(input);
for (let i = 0; i < 24; i++) {
  const h = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }).apply(x);
  const f = tf.layers.dense({ units: 64 }).apply(h);
  x = tf.layers.add().apply([x, f]);
}
const output = tf.layers.dense({ units: 10 }).apply(x);
const model = tf.model({ inputs: input, outputs: output });

module.exports = { model };
