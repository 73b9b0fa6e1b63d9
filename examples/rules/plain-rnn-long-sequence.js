// plain-rnn-long-sequence: a simpleRNN reading 100 time steps; its gradient decays
// geometrically through time.
const tf = require('@tensorflow/tfjs');

const model = tf.sequential({
  layers: [
    tf.layers.simpleRNN({ units: 32, inputShape: [100, 8] }),
    tf.layers.dense({ units: 1 }),
  ],
});

module.exports = { model };
