import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, sequential } from '../../../test/rules/models';

const long = sequential(['tf.layers.simpleRNN({units: 32})', dense(1)], '[50, 8]');
const gained = sequential(['tf.layers.simpleRNN({units: 32, recurrentInitializer: tf.initializers.orthogonal({gain: 1.3})})', dense(1)], '[25, 8]');
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
          message: /^simple_rnn_1 runs over 50 time steps \(threshold 20\): the gradient from the last step reaches the first at ≈ 10\^-\d+\.\d \(χ ≈ 0\.\d\d per step\)\. This is below 10\^-3\.5 \(vanishing-gradient's threshold less the estimate's uncertainty\)\. LSTM and GRU/,
          severity: 'warning',
          preferredFix: 'Replace simpleRNN with lstm',
        },
      ],
    },
    {
      name: '25 steps with an orthogonal recurrent gain of 1.3: the gradient through time stays above the flow threshold, information',
      code: gained,
      errors: [{ ...at(gained, 'tf.layers.simpleRNN({units: 32, recurrentInitializer: tf.initializers.orthogonal({gain: 1.3}), inputShape: [25, 8]})'), message: /^simple_rnn_1 runs over 25 time steps .* at ≈ 10\^-1\.\d .* A warning when that is below 10\^-3\.5/, severity: 'info' }],
    },
    {
      name: 'an unknown number of steps: no figure shows harm, information',
      code: unknown,
      errors: [{ ...at(unknown, 'tf.layers.simpleRNN({units: 32, inputShape: [null, 8]})'), message: /runs over an unknown number of time steps \(threshold 20\): at χ ≈ 0\.\d\d per step, 20 steps already bring/, severity: 'info' }],
    },
    { name: 'length through an embedding', code: embedded, errors: [{ ...at(embedded, 'tf.layers.simpleRNN({units: 16})'), message: 'runs over 200 time steps' }] },
  ],
});
