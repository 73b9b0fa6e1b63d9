import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, repeat, sequential } from '../../../test/rules/models';

const sigmoid4 = sequential([...repeat(4, dense(32, "activation: 'sigmoid'")), dense(1)], '[32]');
const tanh8 = sequential([...repeat(8, dense(64, "activation: 'tanh'")), dense(10)]);
const layers4 = sequential([...repeat(4, '').flatMap(() => [dense(32), "tf.layers.activation({activation: 'hardSigmoid'})"]), dense(1)], '[32]');

ruleTester('saturating-stack', {
  valid: [
    sequential([...repeat(3, dense(32, "activation: 'sigmoid'")), dense(1)], '[32]'),
    sequential([...repeat(4, '').flatMap(() => [dense(32, "activation: 'sigmoid'"), 'tf.layers.batchNormalization()']), dense(1)], '[32]'),
    sequential([dense(32, "activation: 'tanh'"), dense(32, "activation: 'relu'"), dense(32, "activation: 'tanh'"), dense(32, "activation: 'relu'"), dense(1)], '[32]'),
  ],
  invalid: [
    {
      code: sigmoid4,
      errors: [
        {
          ...at(sigmoid4, "'sigmoid'"),
          message: /^4 consecutive sigmoid activations without normalisation \(dense_1, dense_2, dense_3, dense_4; threshold 4\): the estimate predicts the gradient shrinks to 10\^-\d\.\d across them\.$/,
          severity: 'warning',
          preferredFix: /^Use (relu|elu|gelu) in dense_1/,
        },
      ],
    },
    {
      name: 'tanh with Glorot: the gradient survives, so information',
      code: tanh8,
      errors: [{ ...at(tanh8, "'tanh'"), message: /the estimate shows the gradient survives them \(10\^-0\.\d across them/, severity: 'info' }],
    },
    {
      name: 'separate activation layers after linear dense layers',
      code: layers4,
      errors: [{ ...at(layers4, "'hardSigmoid'"), message: /^4 consecutive hardSigmoid activations/ }],
    },
    {
      name: 'the rule severity set in the settings wins over the downgrade',
      code: tanh8,
      config: { rules: { 'saturating-stack': 'error' } },
      errors: [{ ...at(tanh8, "'tanh'"), message: 'survives', severity: 'error' }],
    },
  ],
});
