// missing-activation: tfjs's dense layers are linear unless told otherwise. The three
// hidden layers below have no activation, so with the head they compute one linear map:
// the model can fit nothing a single dense layer could not.
const tf = require('@tensorflow/tfjs');

const model = tf.sequential();
model.add(tf.layers.dense({ units: 128, inputShape: [64] }));
model.add(tf.layers.dense({ units: 64 }));
model.add(tf.layers.dropout({ rate: 0.2 }));
model.add(tf.layers.dense({ units: 32 }));
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

module.exports = { model };
