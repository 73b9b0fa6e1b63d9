import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, sequential } from '../../../test/rules/models';

const long = sequential(['tf.layers.simpleRNN({units: 32})', dense(1)], '[50, 8]');
const gained = sequential(['tf.layers.simpleRNN({units: 32, recurrentInitializer: tf.initializers.orthogonal({gain: 1.3})})', dense(1)], '[25, 8]');
const unknown = sequential(['tf.layers.simpleRNN({units: 32})', dense(1)], '[null, 8]');
// Inputs scaled down to 10^-3 keep the recurrence in tanh's linear range: χ ≈ 1 per step. tfjs
// measures the gradient of the last step's output at the first step's input at 10^-0.1 to 10^0.0
// of the last step's (bench/lib/throughTime.ts, five seeds); for \`long\` 10^-6.2 to 10^-5.8.
const quiet = sequential(["tf.layers.dense({units: 8, kernelInitializer: tf.initializers.randomNormal({stddev: 0.001})})", 'tf.layers.simpleRNN({units: 32})', dense(1)], '[50, 8]');
const quietBidirectional = sequential(["tf.layers.dense({units: 8, kernelInitializer: tf.initializers.randomNormal({stddev: 0.001})})", "tf.layers.bidirectional({layer: tf.layers.simpleRNN({units: 32}), mergeMode: 'sum'})", dense(1)], '[50, 8]');
// A sigmoid recurrence: χ ≤ gain²/16 per step, so 14 steps already lose the gradient; tfjs
// measures 10^-7.7 through time on held-out seed 1's 'rnn 7' (14 steps, orthogonal gain 1.1).
const sigmoidShort = sequential(["tf.layers.simpleRNN({units: 8, activation: 'sigmoid'})", dense(1)], '[14, 8]');
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
          message: /^simple_rnn_1 runs over 50 time steps \(threshold 20\): the gradient from the last step reaches the first at ≈ 10\^-[56]\.\d \(χ ≈ 0\.\d\d per step\)\. This is below 10\^-3\.5 \(vanishing-gradient's threshold less the estimate's uncertainty\)\. LSTM and GRU/,
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
    {
      name: 'a recurrence fed small inputs stays linear: the estimate unrolls it at the variance it reaches, information',
      code: quiet,
      errors: [{ ...at(quiet, 'tf.layers.simpleRNN({units: 32})'), message: /^simple_rnn_1 runs over 50 time steps .* at ≈ 10\^-0\.[01] \(χ ≈ (0\.99|1\.00) per step\)\. A warning when/, severity: 'info' }],
    },
    {
      name: 'the same inside a bidirectional wrapper: χ per step is that of its recurrence',
      code: quietBidirectional,
      errors: [{ ...at(quietBidirectional, 'tf.layers.simpleRNN({units: 32})'), message: /runs over 50 time steps .* at ≈ 10\^-0\.[01] \(χ ≈ (0\.99|1\.00) per step\)\. A warning when/, severity: 'info' }],
    },
    {
      name: 'few steps of a sigmoid recurrence: harmful however short, a warning',
      code: sigmoidShort,
      errors: [{ ...at(sigmoidShort, "tf.layers.simpleRNN({units: 8, activation: 'sigmoid', inputShape: [14, 8]})"), message: /^simple_rnn_1 runs over 14 time steps \(information alone from 21\): .* at ≈ 10\^-\d+\.\d \(χ ≈ 0\.0\d per step\)\. This is below 10\^-3\.5/, severity: 'warning' }],
    },
    { name: 'length through an embedding', code: embedded, errors: [{ ...at(embedded, 'tf.layers.simpleRNN({units: 16})'), message: 'runs over 200 time steps' }] },
  ],
});
