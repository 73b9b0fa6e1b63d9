// A classic vanishing-gradient trap: eight sigmoid layers stacked with tfjs's default
// initialiser (glorotNormal). Each sigmoid passes back at most a quarter of the gradient,
// so by the first layer it has shrunk by about six orders of magnitude.
// Try: npx gradlint graph examples/deep-sigmoid-mlp.js
const tf = require('@tensorflow/tfjs');

const INPUT_SIZE = 32;
const HIDDEN_LAYERS = 8;

function buildDeepSigmoidMlp() {
  const model = tf.sequential();
  for (let i = 0; i < HIDDEN_LAYERS; i++) {
    model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: i === 0 ? [INPUT_SIZE] : undefined }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return model;
}

module.exports = { buildDeepSigmoidMlp };
