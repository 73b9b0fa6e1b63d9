import { ruleTester } from '../../../test/rules/ruleTester';
import { at, bnConvNet, dense, repeat, sequential } from '../../../test/rules/models';

const relu2 = sequential([dense(64, "activation: 'relu'"), dense(64, "activation: 'relu'"), dense(10)]);
const tanhHe = sequential([dense(64, "activation: 'tanh', kernelInitializer: 'heNormal'"), dense(10)]);
const relu8 = sequential([...repeat(8, dense(64, "activation: 'relu'")), dense(10)]);
const relu24 = sequential([...repeat(24, dense(64, "activation: 'relu'")), dense(10)]);
const reluLoop = [
  "import * as tf from '@tensorflow/tfjs';",
  'const model = tf.sequential();',
  "model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [64]}));",
  "for (let i = 0; i < 6; i++) model.add(tf.layers.dense({units: 64, activation: 'relu'}));",
  '',
].join('\n');


ruleTester('initializer-mismatch', {
  valid: [
    sequential([dense(64, "activation: 'relu', kernelInitializer: 'heNormal'"), dense(64, "activation: 'relu', kernelInitializer: 'heUniform'"), dense(10)]),
    sequential([dense(64, "activation: 'tanh'"), dense(64, "activation: 'selu', kernelInitializer: 'leCunNormal'"), dense(10)]),
    { name: 'a wide input layer: Glorot over fan-in 784 and fan-out 128 is close to He', code: sequential([dense(128, "activation: 'relu'"), dense(10)], '[784]') },
    { name: 'normalisation right after the layer makes its scale irrelevant', code: bnConvNet(2) },
  ],
  invalid: [
    {
      name: "relu with tfjs's default glorotNormal",
      code: relu2,
      errors: [
        {
          ...at(relu2, "'relu'"),
          message: "dense_1 uses kernelInitializer glorotNormal (tfjs's default) with relu: its weight variance is 0.50× what relu needs (heNormal; flagged beyond 1.5×). Over the 2 mismatched layers the signal RMS drifts by 10^-0.3 (a warning from 3 decades).",
          severity: 'info',
          preferredFix: 'Use heNormal for dense_1',
        },
        { ...at(relu2, "'relu'", 1), message: /^dense_2 uses kernelInitializer glorotNormal/, severity: 'info' },
      ],
    },
    {
      code: tanhHe,
      errors: [{ ...at(tanhHe, "'heNormal'"), message: /^dense_1 uses kernelInitializer heNormal with tanh: its weight variance is 2\.00× what tanh needs \(glorotNormal/, preferredFix: 'Use glorotNormal' }],
    },
    {
      // tfjs's own examples (mnist convnets) train well with this drift: information only.
      name: 'eight mismatched layers drift about a decade: information',
      code: relu8,
      errors: Array.from({ length: 8 }, (_, i) => ({ ...at(relu8, "'relu'", i), message: 'drifts by 10^-1.2', severity: 'info' as const })),
    },
    {
      name: '24 mismatched layers drift past the vanishing threshold: warnings',
      code: relu24,
      errors: Array.from({ length: 24 }, (_, i) => ({ ...at(relu24, "'relu'", i), message: /drifts by 10\^-[3-9]\.\d/, severity: 'warning' as const })),
    },
    {
      name: 'the layers a loop builds: one finding at the call, naming them all, with one fix',
      code: reluLoop,
      errors: [
        {
          ...at(reluLoop, "'relu'", 1),
          message: "dense_2, dense_3 … dense_7 use kernelInitializer glorotNormal (tfjs's default) with relu: their weight variance is 0.50× what relu needs (heNormal; flagged beyond 1.5×). Over the 6 mismatched layers the signal RMS drifts by 10^-0.9 (a warning from 3 decades).",
          severity: 'info',
          preferredFix: 'Use heNormal for dense_2, dense_3 … dense_7',
        },
      ],
    },
  ],
});
