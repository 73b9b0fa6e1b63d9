// constant-initializer: a zero kernel makes every unit identical; the layer's output is 0 and
// no gradient reaches the layers before it.
const tf = require('@tensorflow/tfjs');

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [8] }),
    tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'zeros' }),
    tf.layers.dense({ units: 1 }),
  ],
});

module.exports = { model };
