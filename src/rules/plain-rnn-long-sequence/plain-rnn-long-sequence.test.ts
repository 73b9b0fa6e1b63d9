import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, sequential } from '../../../test/rules/models';

const long = sequential(['tf.layers.simpleRNN({units: 32})', dense(1)], '[50, 8]');
const unknown = sequential(['tf.layers.simpleRNN({units: 32})', dense(1)], '[null, 8]');
const embedded = sequential(['tf.layers.embedding({inputDim: 1000, outputDim: 16, inputLength: 200})', 'tf.layers.simpleRNN({units: 16})', dense(1)], '[200]');

ruleTester('plain-rnn-long-sequence', {
  valid: [
    sequential(['tf.layers.simpleRNN({units: 32})', dense(1)], '[20, 8]'),
    sequential(['tf.layers.lstm({units: 32, unitForgetBias: true})', dense(1)], '[100, 8]'),
  ],
  invalid: [
    {
      code: long,
      errors: [
        {
          ...at(long, 'tf.layers.simpleRNN({units: 32, inputShape: [50, 8]})'),
          message: /^simple_rnn_1 runs over 50 time steps \(threshold 20\): the gradient from the last step reaches the first at ≈ 10\^-\d+\.\d \(χ ≈ 0\.\d\d per step\)\. LSTM and GRU/,
          severity: 'warning',
          preferredFix: 'Replace simpleRNN with lstm',
        },
      ],
    },
    { code: unknown, errors: [{ ...at(unknown, 'tf.layers.simpleRNN({units: 32, inputShape: [null, 8]})'), message: /runs over an unknown number of time steps \(threshold 20\): at χ ≈ 0\.\d\d per step, 20 steps already bring/ }] },
    { name: 'length through an embedding', code: embedded, errors: [{ ...at(embedded, 'tf.layers.simpleRNN({units: 16})'), message: 'runs over 200 time steps' }] },
  ],
});
