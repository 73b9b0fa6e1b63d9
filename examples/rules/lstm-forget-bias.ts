// lstm-forget-bias: tfjs's LSTM starts without the forget-gate bias Keras adds by default.
import * as tf from '@tensorflow/tfjs';

export function buildForecaster(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 64, returnSequences: true, inputShape: [24, 3] }));
  model.add(tf.layers.lstm({ units: 32 }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}
