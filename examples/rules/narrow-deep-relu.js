// narrow-deep-relu: 32 relu layers of width 8, Σ 1/width = 4 (a warning above 3). Correct He initialisation does
// not save a stack this narrow for its depth (Hanin 2018).
const tf = require('@tensorflow/tfjs');

const model = tf.sequential();
model.add(tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [8] }));
for (let i = 0; i < 31; i++) {
  model.add(tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: 'heNormal' }));
}
model.add(tf.layers.dense({ units: 1 }));

module.exports = { model };
