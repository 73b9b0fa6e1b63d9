// initializer-mismatch: tanh with He initialisation (twice the variance tanh wants) and relu
// with tfjs's default glorotNormal (half the variance relu wants).
const tf = require('@tensorflow/tfjs');

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 64, activation: 'tanh', kernelInitializer: 'heNormal', inputShape: [64] }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});

module.exports = { model };
