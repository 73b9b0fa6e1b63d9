import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, sequential } from '../../../test/rules/models';

const plain = sequential(['tf.layers.lstm({units: 32})', dense(1)], '[30, 8]');
const explicit = sequential(['tf.layers.lstm({units: 32, unitForgetBias: false})', dense(1)], '[30, 8]');
const wrapped = sequential(['tf.layers.bidirectional({layer: tf.layers.lstm({units: 8}) as tf.RNN})', dense(1)], '[10, 4]');

ruleTester('lstm-forget-bias', {
  valid: [
    sequential(['tf.layers.lstm({units: 32, unitForgetBias: true})', dense(1)], '[30, 8]'),
    sequential(['tf.layers.gru({units: 32})', dense(1)], '[30, 8]'),
  ],
  invalid: [
    {
      code: plain,
      errors: [
        {
          ...at(plain, 'tf.layers.lstm({units: 32, inputShape: [30, 8]})'),
          message: "lstm_1 starts its forget gate at hardSigmoid(0) = 0.50: the cell state's gradient is scaled by ≈ 0.50 per time step (10^-9.0 over 30 steps); unitForgetBias: true starts it at 0.70 (10^-4.6 over 30 steps). tfjs defaults to false, Keras to true (Jozefowicz et al. 2015).",
          severity: 'hint',
          preferredFix: 'Set unitForgetBias: true',
        },
      ],
    },
    { code: explicit, errors: [{ ...at(explicit, 'false'), message: /^lstm_1 starts its forget gate/ }] },
    { name: 'inside bidirectional', file: 'model.ts', code: wrapped, errors: [{ ...at(wrapped, 'tf.layers.lstm({units: 8})'), message: /forget gate at hardSigmoid\(0\)/ }] },
  ],
});
