import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, sequential } from '../../../test/rules/models';

const denseSoftmax = sequential([dense(32, "activation: 'relu'"), dense(1, "activation: 'softmax'")]);
const softmaxLayer = sequential([dense(32, "activation: 'relu'"), dense(1), 'tf.layers.softmax()']);
const torch = [
  'import torch.nn as nn',
  '',
  'net = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1), nn.Softmax(dim=1))',
  '',
].join('\n');
const keras = [
  'from tensorflow import keras',
  '',
  'model = keras.Sequential([',
  "    keras.layers.Dense(32, activation='relu', input_shape=(10,)),",
  "    keras.layers.Dense(1, activation='softmax'),",
  '])',
  '',
].join('\n');

ruleTester('softmax-single-unit', {
  valid: [
    { name: 'softmax over ten classes', code: sequential([dense(32, "activation: 'relu'"), dense(10, "activation: 'softmax'")]) },
    { name: 'one output with sigmoid', code: sequential([dense(32, "activation: 'relu'"), dense(1, "activation: 'sigmoid'")]) },
    { name: 'one output, no activation', code: sequential([dense(32, "activation: 'relu'"), dense(1)]) },
    { name: 'tfjs softmax layer at its default axis 1 over the steps of a sequence (attention weights)', code: sequential([dense(1), 'tf.layers.softmax()'], '[10, 8]') },
    { name: 'PyTorch softmax over ten classes', code: torch.replace('nn.Linear(32, 1)', 'nn.Linear(32, 10)'), file: 'net.py' },
  ],
  invalid: [
    {
      name: "tfjs: a dense layer of one unit with activation 'softmax'",
      code: denseSoftmax,
      errors: [{
        ...at(denseSoftmax, "'softmax'"),
        text: "'softmax'",
        message: "dense_2's softmax is taken over its single unit: it always outputs 1, so the loss's gradient is exactly 0 and the estimate has the gradient of every layer before it at 0 (2 weighted layers): the model cannot learn. For one output use sigmoid (a probability) or no activation (a value).",
        severity: 'error',
        preferredFix: 'Use sigmoid in dense_2',
      }],
    },
    {
      name: 'tfjs: a softmax layer after a dense layer of one unit',
      code: softmaxLayer,
      errors: [{ ...at(softmaxLayer, 'tf.layers.softmax()'), message: /^Softmax softmax_1 is taken over a single unit \(dense_2 has 1 output\)/ }],
    },
    {
      name: 'PyTorch: nn.Softmax after nn.Linear(32, 1)',
      code: torch,
      file: 'net.py',
      errors: [{ line: 3, column: 69, text: 'nn.Softmax(dim=1)', message: /^Softmax 3 is taken over a single unit \(2 has 1 output\).*\(2 weighted layers\)/, preferredFix: 'Use sigmoid in 3' }],
    },
    {
      name: "Keras: Dense(1, activation='softmax')",
      code: keras,
      file: 'model.py',
      errors: [{ line: 5, column: 38, text: "'softmax'", message: /^dense_1's softmax is taken over its single unit/, preferredFix: 'Use sigmoid in dense_1' }],
    },
  ],
});
