// missing-normalization: ten convolutions in a row, no batch normalisation anywhere.
const tf = require('@tensorflow/tfjs');

const model = tf.sequential();
model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal', inputShape: [32, 32, 3] }));
for (let i = 0; i < 9; i++) {
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal' }));
}
model.add(tf.layers.globalAveragePooling2d({}));
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

module.exports = { model };
