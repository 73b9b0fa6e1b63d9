// deep-plain-stack: 24 weighted layers and no skip connection. He initialisation keeps the
// gradient's scale, but plain stacks this deep are still hard to optimise (He et al. 2016).
const tf = require('@tensorflow/tfjs');

const model = tf.sequential();
model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [32] }));
for (let i = 0; i < 22; i++) {
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
}
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

module.exports = { model };
