// saturating-stack: six sigmoid layers in a row, no normalisation between them.
const tf = require('@tensorflow/tfjs');

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 32, activation: 'sigmoid', inputShape: [16] }),
    tf.layers.dense({ units: 32, activation: 'sigmoid' }),
    tf.layers.dense({ units: 32, activation: 'sigmoid' }),
    tf.layers.dense({ units: 32, activation: 'sigmoid' }),
    tf.layers.dense({ units: 32, activation: 'sigmoid' }),
    tf.layers.dense({ units: 32, activation: 'sigmoid' }),
    tf.layers.dense({ units: 1 }),
  ],
});

module.exports = { model };
