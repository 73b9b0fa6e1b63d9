// A deep MLP done right: relu with He initialisation keeps
// the gradient's scale from layer to layer, so the first layer learns as fast as the last.
const tf = require('@tensorflow/tfjs');

const INPUT_SIZE = 32;
const WIDTHS = [128, 128, 64, 64, 32, 32];

function buildHealthyMlp() {
  const model = tf.sequential();
  WIDTHS.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: 'heNormal',
        inputShape: i === 0 ? [INPUT_SIZE] : undefined,
      }),
    );
  });
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

module.exports = { buildHealthyMlp };
