import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, repeat, sequential } from '../../../test/rules/models';

const sigmoid8 = sequential([...repeat(8, dense(64, "activation: 'sigmoid'")), dense(10)]);
// 4 sigmoid layers: a depth ratio of 10^-3.1, past the threshold by less than the estimate's uncertainty.
const sigmoid4 = sequential([...repeat(4, dense(64, "activation: 'sigmoid'")), dense(10)]);
const sigmoid3 = sequential([...repeat(3, dense(64, "activation: 'sigmoid'")), dense(10)]);
// tfjs-examples' translation (seq2seq): the encoder's only gradient comes back through the
// states it hands to the decoder; it was once predicted as exactly 0.
const seq2seq = [
  "import * as tf from '@tensorflow/tfjs';",
  'const encoderInputs = tf.input({shape: [null, 71]});',
  'const [, stateH, stateC] = tf.layers.lstm({units: 256, returnState: true}).apply(encoderInputs);',
  'const decoderInputs = tf.input({shape: [null, 93]});',
  'const [decoderOutputs] = tf.layers.lstm({units: 256, returnSequences: true, returnState: true}).apply([decoderInputs, stateH, stateC]);',
  "const outputs = tf.layers.dense({units: 93, activation: 'softmax'}).apply(decoderOutputs);",
  'export const model = tf.model({inputs: [encoderInputs, decoderInputs], outputs});',
  '',
].join('\n');
const tiny = sequential([...repeat(6, dense(64, "activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 0.01})")), dense(10)]);

ruleTester('vanishing-gradient', {
  valid: [
    sequential([...repeat(8, dense(64, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(10)]),
    sequential([...repeat(8, dense(64, "activation: 'tanh'")), dense(10)]),
    sequential([dense(16, "activation: 'sigmoid'"), dense(3, "activation: 'softmax'")], '[4]'),
    // A zero-initialised head passes no gradient back at step 0 by design: judged at step 1.
    { name: 'relu MLP with a zero-initialised head', code: sequential([...repeat(4, dense(64, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(10, "kernelInitializer: 'zeros'")]) },
    sequential([...Array.from({ length: 16 }, () => [dense(64, "activation: 'sigmoid'"), 'tf.layers.batchNormalization()']).flat(), dense(10)]),
    // tfjs-examples' text generator: every gradient is small only because the contract's squared
    // error goes through the softmax head; the depth costs nothing (ratio ≈ 10^0.8).
    sequential(['tf.layers.embedding({inputDim: 96, outputDim: 32, inputLength: 40})', 'tf.layers.lstm({units: 128, returnSequences: true})', 'tf.layers.lstm({units: 128})', dense(96, "activation: 'softmax'")], '[40]'),
    seq2seq,
  ],
  invalid: [
    {
      name: "4 × dense(64, sigmoid): within the estimate's uncertainty of the threshold, information",
      code: sigmoid4,
      errors: [
        {
          ...at(sigmoid4, "'sigmoid'"),
          message: /^Vanishing gradient in model: .* predicted at 10\^-3\.1 of the last one's \(threshold 10\^-3\.0\); .* \(within the estimate's uncertainty of 0\.5 decades of the threshold: information, `gradlint probe` measures it\)\.$/,
          severity: 'info',
        },
      ],
    },
    {
      name: '8 × dense(64, sigmoid): the measured −5.7 decades',
      code: sigmoid8,
      errors: [
        {
          ...at(sigmoid8, "'sigmoid'"),
          message: /^Vanishing gradient in model: at dense_1, the first weighted layer's gradient RMS is predicted at 10\^-5\.\d of the last one's \(threshold 10\^-3\.0\), and its gradient RMS is predicted at 10\^-[67]\.\d \(threshold 10\^-6\.0\); 8 sigmoid layers \(dense_1, dense_2 … dense_8\), χ ≈ 0\.04 per layer\.$/,
          severity: 'warning',
          preferredFix: /^Use (relu|elu|gelu|selu) \(with (heNormal|leCunNormal)\) in dense_1/,
        },
      ],
    },
    {
      name: 'weights with stddev 0.01 starve relu layers',
      code: tiny,
      errors: [{ ...at(tiny, 'tf.initializers.randomNormal({stddev: 0.01})'), message: /predicted at 10\^-\d+\.\d \(threshold 10\^-6\.0\)/, preferredFix: /^Use heNormal in dense_1/ }],
    },
    {
      name: 'a stricter threshold from the settings',
      code: sigmoid3,
      config: { thresholds: { vanishingDepthRatioLog10: -1 } },
      errors: [{ ...at(sigmoid3, "'sigmoid'"), message: '(threshold 10^-1.0)' }],
    },
  ],
});
