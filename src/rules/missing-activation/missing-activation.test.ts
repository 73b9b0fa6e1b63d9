import { ruleTester } from '../../../test/rules/ruleTester';
import { at, bnConvNet, dense, sequential } from '../../../test/rules/models';

const linearHidden = sequential([dense(128), dense(64), dense(32), dense(10, "activation: 'softmax'")]);
const writtenLinear = sequential([dense(64, "activation: 'linear'"), dense(64, "activation: 'linear'"), dense(10)]);
const throughDropout = sequential([dense(64), "tf.layers.dropout({rate: 0.2})", dense(64), dense(10)]);
const tanhModel = sequential([dense(64, "activation: 'tanh'"), dense(64, "activation: 'tanh'"), dense(64), dense(64), dense(10)]);
const convs = sequential(
  ["tf.layers.conv2d({filters: 8, kernelSize: 3})", 'tf.layers.batchNormalization()', "tf.layers.conv2d({filters: 8, kernelSize: 3})", 'tf.layers.flatten()', dense(10)],
  '[16, 16, 3]',
);

ruleTester('missing-activation', {
  valid: [
    { name: 'relu hidden layers, linear head', code: sequential([dense(64, "activation: 'relu'"), dense(64, "activation: 'relu'"), dense(10)]) },
    { name: 'two linear layers (a bottleneck) only', code: sequential([dense(64, "activation: 'relu'"), dense(16), dense(10)]) },
    { name: 'linear dense, then an activation layer', code: sequential([dense(64), "tf.layers.activation({activation: 'relu'})", dense(64), "tf.layers.reLU()", dense(10)]) },
    { name: 'max pooling between linear convolutions', code: sequential(["tf.layers.conv2d({filters: 8, kernelSize: 3})", 'tf.layers.maxPooling2d({poolSize: 2})', "tf.layers.conv2d({filters: 8, kernelSize: 3})", 'tf.layers.maxPooling2d({poolSize: 2})', 'tf.layers.flatten()', dense(10)], '[16, 16, 3]') },
    { name: 'conv → batch norm → relu blocks', code: bnConvNet(4) },
    { name: 'an activation not known statically', code: sequential([dense(64, 'activation: ACT'), dense(64, 'activation: ACT'), dense(10)]) },
    { name: 'recurrent layers in between', code: sequential(["tf.layers.lstm({units: 8, returnSequences: true})", "tf.layers.lstm({units: 8})", dense(10)], '[10, 4]') },
  ],
  invalid: [
    {
      name: "linear activations written out: a chosen linear map, information",
      code: writtenLinear,
      errors: [{ ...at(writtenLinear, "'linear'"), message: /^3 weighted layers .*\(information: their activations are written as linear, so this may be meant\)\.$/, severity: 'info' }],
    },
    {
      name: 'three linear hidden layers and a softmax head',
      code: linearHidden,
      errors: [{
        ...at(linearHidden, 'tf.layers.dense({units: 128, inputShape: [64]})'),
        message: "4 weighted layers in a row with no nonlinearity between them (dense_1, dense_2, dense_3, dense_4; threshold 3): together they compute one linear map, so the extra layers add parameters but no expressive power (their activations are left to the linear default).",
        severity: 'warning',
        preferredFix: 'Use relu in dense_1, dense_2, dense_3',
      }],
    },
    {
      name: 'dropout does not break the chain',
      code: throughDropout,
      errors: [{ ...at(throughDropout, 'tf.layers.dense({units: 64, inputShape: [64]})'), message: /^3 weighted layers in a row .*\(dense_1, dense_2, dense_3;/, preferredFix: 'Use relu in dense_1, dense_2' }],
    },
    {
      name: 'the fix uses the activation the rest of the model uses',
      code: tanhModel,
      errors: [{ ...at(tanhModel, 'tf.layers.dense({units: 64})'), message: /^3 weighted layers .*\(dense_3, dense_4, dense_5;/, preferredFix: 'Use tanh in dense_3, dense_4' }],
    },
    {
      name: 'batch normalisation is affine: linear convolutions around it collapse',
      code: convs,
      errors: [{ ...at(convs, 'tf.layers.conv2d({filters: 8, kernelSize: 3, inputShape: [16, 16, 3]})'), message: /^3 weighted layers .*\(conv2d_1, conv2d_2, dense_1;/ }],
    },
    {
      name: 'the threshold is a setting',
      code: sequential([dense(64, "activation: 'relu'"), dense(16), dense(10)]),
      config: { thresholds: { missingActivationLayers: 2 } },
      errors: [{ line: 6, column: 5, message: /^2 weighted layers .*\(dense_2, dense_3; threshold 2\)/ }],
    },
  ],
});
