// A character-level text model: embedding → two stacked LSTMs → softmax over the
// vocabulary. tfjs's LSTM defaults differ from Keras's: recurrentActivation is
// hardSigmoid and unitForgetBias is false unless you ask for it (the second layer does).
import * as tf from '@tensorflow/tfjs';

const VOCAB_SIZE = 96;
const SEQUENCE_LENGTH = 40;

export function buildTextModel() {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: 32, inputLength: SEQUENCE_LENGTH }));
  model.add(tf.layers.lstm({ units: 128, returnSequences: true }));
  model.add(tf.layers.lstm({ units: 128, unitForgetBias: true }));
  model.add(tf.layers.dense({ units: VOCAB_SIZE, activation: 'softmax' }));
  return model;
}
