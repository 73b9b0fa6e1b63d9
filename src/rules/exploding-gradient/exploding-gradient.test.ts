import { ruleTester } from '../../../test/rules/ruleTester';
import { at, bnConvNet, dense, repeat, sequential } from '../../../test/rules/models';

const wide = sequential([...repeat(6, dense(128, "activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 1})")), dense(10)], '[128]');


ruleTester('exploding-gradient', {
  valid: [
    sequential([...repeat(8, dense(64, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(10)]),
    { name: 'a batch-normalised conv net', code: bnConvNet(6) },
  ],
  invalid: [
    {
      name: 'randomNormal stddev 1 on fan-in 128',
      code: wide,
      errors: [
        {
          ...at(wide, 'tf.initializers.randomNormal({stddev: 1})'),
          message: /^Exploding gradient in model: the first weighted layer's gradient RMS is predicted at 10\^\d+\.\d \(threshold 10\^3\.0\).*χ ≈ \d+\.\d\d per layer\.$/,
          severity: 'warning',
          preferredFix: /^(Use heNormal|Insert batchNormalization)/,
        },
      ],
    },
  ],
});
