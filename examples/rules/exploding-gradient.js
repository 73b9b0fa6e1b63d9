// exploding-gradient: weights with a fixed stddev of 1 on a fan-in of 128 multiply the
// squared signal by about 64 per relu layer.
const tf = require('@tensorflow/tfjs');

const big = () => tf.initializers.randomNormal({ stddev: 1 });

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: big(), inputShape: [128] }),
    tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: big() }),
    tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: big() }),
    tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: big() }),
    tf.layers.dense({ units: 10 }),
  ],
});

module.exports = { model };
