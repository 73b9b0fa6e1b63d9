import { ruleTester } from '../../../test/rules/ruleTester';
import { at, bnConvNet, dense, repeat, sequential } from '../../../test/rules/models';

const relu2 = sequential([dense(64, "activation: 'relu'"), dense(64, "activation: 'relu'"), dense(10)]);
const tanhHe = sequential([dense(64, "activation: 'tanh', kernelInitializer: 'heNormal'"), dense(10)]);
const relu8 = sequential([...repeat(8, dense(64, "activation: 'relu'")), dense(10)]);
const relu24 = sequential([...repeat(24, dense(64, "activation: 'relu'")), dense(10)]);
// 8 relu layers at randomNormal(0.05): 10^-3.5 of He's gradient, yet the model's own figures
// stay healthy (first-layer gradient 10^-5.7, threshold 10^-6; the probe measures 10^-5.67).
const smallNormal = sequential([...repeat(8, dense(64, "activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 0.05})")), dense(10)]);
const tanhLarge = sequential([...repeat(8, dense(64, "activation: 'tanh', kernelInitializer: tf.initializers.randomNormal({stddev: 1})")), dense(10)]);
const reluOrthogonal = sequential([...repeat(4, dense(64, "activation: 'relu', kernelInitializer: 'orthogonal'")), dense(10)]);
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
    { name: 'orthogonal with tanh draws the variance Glorot does', code: sequential([...repeat(4, dense(64, "activation: 'tanh', kernelInitializer: 'orthogonal'")), dense(10)]) },
  ],
  invalid: [
    {
      name: "relu with tfjs's default glorotNormal",
      code: relu2,
      errors: [
        {
          ...at(relu2, "'relu'"),
          message: "dense_1, dense_2 use kernelInitializer glorotNormal (tfjs's default) with relu: their weight variance is 0.50× what relu needs (heNormal; flagged beyond 1.5×). Over the 2 mismatched layers the estimate has the signal RMS drift to 10^-0.3 and the first layer's gradient shrink to 10^-0.2 of what heNormal gives (a warning from 3 decades where the estimate also judges the model vanishing or exploding; it judges it healthy).",
          severity: 'info',
          preferredFix: 'Use heNormal for dense_1, dense_2',
        },
      ],
    },
    {
      code: tanhHe,
      errors: [{ ...at(tanhHe, "'heNormal'"), message: /^dense_1 uses kernelInitializer heNormal with tanh: its weight variance is 2\.00× what tanh needs \(glorotNormal/, preferredFix: 'Use glorotNormal' }],
    },
    {
      // tfjs's own examples (mnist convnets) train well with this drift: information only.
      name: 'eight consecutive layers with one mismatch: one finding; they drift about a decade: information',
      code: relu8,
      errors: [{ ...at(relu8, "'relu'"), message: /^dense_1, dense_2 … dense_8 use .* drift to 10\^-1\.2 /, severity: 'info' as const }],
    },
    {
      name: '24 mismatched layers drift past the vanishing threshold: a warning',
      code: relu24,
      errors: [{ ...at(relu24, "'relu'"), message: /drift to 10\^-[3-9]\.\d and the first layer's gradient shrink to 10\^-[3-9]\.\d of what heNormal gives/, severity: 'warning' as const }],
    },
    {
      name: 'a shift past 3 decades on a model the estimate judges healthy: information',
      code: smallNormal,
      errors: [{ ...at(smallNormal, 'tf.initializers.randomNormal({stddev: 0.05})'), message: /shrink to 10\^-3\.\d of what heNormal gives \(a warning from 3 decades where the estimate also judges the model vanishing or exploding; it judges it healthy\)\.$/, severity: 'info' as const }],
    },
    {
      name: 'tanh with large weights saturates: no signal drift of 10^8, the gradient is what changes',
      code: tanhLarge,
      errors: [{ ...at(tanhLarge, 'tf.initializers.randomNormal({stddev: 1})'), message: /^dense_1, dense_2 … dense_8 use kernelInitializer randomNormal with tanh: their weight variance is 82\.71× what tanh needs \(glorotNormal; flagged beyond 1\.5×\)\. Over the 8 mismatched layers the tanh units saturate: the signal RMS stays bounded \(10\^0\.\d of glorotNormal's\), and the estimate has the first layer's gradient grow to 10\^\d\.\d times what glorotNormal gives/ }],
    },
    {
      name: 'orthogonal is judged by the variance it draws: gain 1 with relu is half of He',
      code: reluOrthogonal,
      errors: [{ ...at(reluOrthogonal, "'orthogonal'"), message: /their weight variance is 0\.65× what relu needs \(heNormal/ }],
    },
    {
      name: 'the layers a loop builds: one finding at the call, naming them all, with one fix',
      code: reluLoop,
      errors: [
        {
          ...at(reluLoop, "'relu'", 1),
          message: /^dense_2, dense_3 … dense_7 use kernelInitializer glorotNormal \(tfjs's default\) with relu: their weight variance is 0\.50× what relu needs \(heNormal; flagged beyond 1\.5×\)\. Over the 6 mismatched layers the estimate has the signal RMS drift to 10\^-0\.\d/,
          severity: 'info',
          preferredFix: 'Use heNormal for dense_2, dense_3 … dense_7',
        },
      ],
    },
  ],
});
