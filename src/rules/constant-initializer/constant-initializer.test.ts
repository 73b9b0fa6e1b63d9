import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, sequential } from '../../../test/rules/models';

const zeros = sequential([dense(64, "activation: 'relu', kernelInitializer: 'zeros'"), dense(10)]);
const constant = sequential([dense(64, "activation: 'tanh', kernelInitializer: tf.initializers.constant({value: 0.5})"), dense(10)]);
// A zero-initialised head: each output unit gets its own gradient from the loss at once.
const zeroHead = sequential([...Array.from({ length: 4 }, () => dense(64, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(10, "kernelInitializer: 'zeros'")]);
const zeroHidden = sequential([dense(64, "activation: 'relu', kernelInitializer: 'heNormal'"), dense(64, "activation: 'relu', kernelInitializer: 'zeros'"), dense(10, "kernelInitializer: 'zeros'")]);
const recurrent = sequential(["tf.layers.lstm({units: 16, recurrentInitializer: 'ones', unitForgetBias: true})", dense(1)], '[10, 4]');

ruleTester('constant-initializer', {
  valid: [
    // tfjs-examples' polynomial regression: one dense unit starting at zero is plain least squares.
    sequential([dense(1, "kernelInitializer: 'Zeros', useBias: false")], '[4]'),
    sequential([dense(64, "activation: 'relu', biasInitializer: 'zeros', kernelInitializer: 'heNormal'"), dense(10, "biasInitializer: 'ones'")]),
    { name: 'a zero-initialised output layer', code: zeroHead },
  ],
  invalid: [
    {
      code: zeros,
      errors: [
        {
          ...at(zeros, "'zeros'"),
          message: 'kernelInitializer zeros starts all 64 units of dense_1 identical (1 distinct unit; any constant kernel initializer is flagged): its output is 0, so the predicted gradient RMS of every layer before it is exactly 0.',
          severity: 'error',
          preferredFix: 'Use heNormal for kernelInitializer',
        },
      ],
    },
    {
      code: constant,
      errors: [{ ...at(constant, 'tf.initializers.constant({value: 0.5})'), message: /^kernelInitializer constant\(0\.5\) starts all 64 units of dense_1 identical/, preferredFix: 'Use glorotNormal' }],
    },
    {
      name: 'a zero hidden layer stays an error beside a zero head',
      code: zeroHidden,
      errors: [{ ...at(zeroHidden, "'zeros'"), message: /^kernelInitializer zeros starts all 64 units of dense_2 identical/, severity: 'error' }],
    },
    {
      code: recurrent,
      errors: [{ ...at(recurrent, "'ones'"), message: /^recurrentInitializer ones starts all 16 units of lstm_1 identical/, preferredFix: 'Use orthogonal for recurrentInitializer' }],
    },
  ],
});
