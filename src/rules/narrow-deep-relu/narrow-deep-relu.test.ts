import { ruleTester } from '../../../test/rules/ruleTester';
import { at, dense, repeat, sequential } from '../../../test/rules/models';

const narrow = sequential([...repeat(12, dense(8, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(1)], '[8]');
// Σ 1/width = 4: past the harm bound, where the gradient vanishes in many initialisations.
const harmful = sequential([...repeat(16, dense(4, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(1)], '[4]');
// Σ 1/width = 3: on the bound, information (tfjs: width 4 loses the gradient in 4 of 9
// initialisations there, width 8 in none; the calibration's 24 layers of width 8 are healthy).
const onTheBound = sequential([...repeat(12, dense(4, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(1)], '[4]');
// Normalisation after every layer: batch normalisation revives the units and ends the run;
// layer normalisation over four features does not (tfjs, nine initialisations of 12 such layers:
// vanishing in 7 with layer normalisation, in none with batch normalisation).
const reluThen = (norm: string): string =>
  sequential([...repeat(16, '').flatMap(() => [dense(4, "activation: 'relu', kernelInitializer: 'heNormal'"), `tf.layers.${norm}()`]), dense(1)], '[4]');
const layerNormalised = reluThen('layerNormalization');

ruleTester('narrow-deep-relu', {
  valid: [
    sequential([...repeat(8, dense(64, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(1)]),
    sequential([...repeat(3, dense(4, "activation: 'relu', kernelInitializer: 'heNormal'")), dense(1)], '[4]'),
    reluThen('batchNormalization'),
  ],
  invalid: [
    {
      code: narrow,
      errors: [
        {
          ...at(narrow, '8', 0),
          message: /^12 relu layers of width 8 in a row \(dense_1, dense_2 … dense_12\): Σ 1\/width = 1\.50 \(threshold 1\).* A warning above Σ 1\/width = 3,/,
          severity: 'info',
          preferredFix: 'Widen dense_1, dense_2 … dense_12 to 16 units',
        },
      ],
    },
    {
      code: harmful,
      errors: [
        {
          ...at(harmful, '4', 0),
          message: /^16 relu layers of width 4 in a row .*Σ 1\/width = 4\.00 \(threshold 1\).* Above Σ 1\/width = 3, where it vanishes/,
          severity: 'warning',
        },
      ],
    },
    {
      code: layerNormalised,
      errors: [{ ...at(layerNormalised, '4', 0), message: /^16 relu layers of width 4 in a row .*Σ 1\/width = 4\.00 \(threshold 1\).* Above Σ 1\/width = 3/, severity: 'warning' }],
    },
    {
      code: onTheBound,
      errors: [{ ...at(onTheBound, '4', 0), message: /Σ 1\/width = 3\.00 \(threshold 1\).* A warning above Σ 1\/width = 3,/, severity: 'info' }],
    },
  ],
});
