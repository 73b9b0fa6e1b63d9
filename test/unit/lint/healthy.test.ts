// Healthy designs must get no warnings or errors (issue 3, "done when").
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lint as lintText } from '../../../src/lint/index';

const HE = "activation: 'relu', kernelInitializer: 'heNormal'";

const HEALTHY: Record<string, string> = {
  'relu + He MLP': [
    "import * as tf from '@tensorflow/tfjs';",
    'export const model = tf.sequential();',
    `model.add(tf.layers.dense({units: 128, ${HE}, inputShape: [64]}));`,
    ...Array.from({ length: 7 }, () => `model.add(tf.layers.dense({units: 128, ${HE}}));`),
    "model.add(tf.layers.dense({units: 10, activation: 'softmax'}));",
  ].join('\n'),
  'batch-normalised conv net': [
    "const tf = require('@tensorflow/tfjs');",
    'const model = tf.sequential();',
    "model.add(tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same', inputShape: [32, 32, 3]}));",
    'model.add(tf.layers.batchNormalization());',
    "model.add(tf.layers.activation({activation: 'relu'}));",
    ...Array.from({ length: 4 }, (_, i) => [
      `model.add(tf.layers.conv2d({filters: ${64 * (i + 1)}, kernelSize: 3, padding: 'same', useBias: false}));`,
      'model.add(tf.layers.batchNormalization());',
      "model.add(tf.layers.activation({activation: 'relu'}));",
      'model.add(tf.layers.maxPooling2d({poolSize: 2}));',
    ]).flat(),
    'model.add(tf.layers.globalAveragePooling2d({}));',
    "model.add(tf.layers.dense({units: 10, activation: 'softmax'}));",
  ].join('\n'),
  'residual net with normalisation': [
    "import * as tf from '@tensorflow/tfjs';",
    'const input = tf.input({shape: [64]});',
    `const x0 = tf.layers.dense({units: 64, ${HE}}).apply(input) as tf.SymbolicTensor;`,
    ...Array.from({ length: 10 }, (_, k) => {
      const i = k + 1;
      return [
        `const a${i} = tf.layers.dense({units: 64, ${HE}}).apply(x${i - 1}) as tf.SymbolicTensor;`,
        `const b${i} = tf.layers.batchNormalization().apply(tf.layers.dense({units: 64}).apply(a${i})) as tf.SymbolicTensor;`,
        `const x${i} = tf.layers.add().apply([x${i - 1}, b${i}]) as tf.SymbolicTensor;`,
      ];
    }).flat(),
    "const output = tf.layers.dense({units: 10, activation: 'softmax'}).apply(x10) as tf.SymbolicTensor;",
    'export const model = tf.model({inputs: input, outputs: output});',
  ].join('\n'),
  'small tfjs example: classifier with default initialisers': [
    "import * as tf from '@tensorflow/tfjs';",
    'export function createModel(): tf.LayersModel {',
    '  const model = tf.sequential();',
    "  model.add(tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 5, filters: 8, activation: 'relu', kernelInitializer: 'varianceScaling'}));",
    '  model.add(tf.layers.maxPooling2d({poolSize: [2, 2], strides: [2, 2]}));',
    "  model.add(tf.layers.conv2d({kernelSize: 5, filters: 16, activation: 'relu', kernelInitializer: 'varianceScaling'}));",
    '  model.add(tf.layers.maxPooling2d({poolSize: [2, 2], strides: [2, 2]}));',
    '  model.add(tf.layers.flatten());',
    "  model.add(tf.layers.dense({units: 10, kernelInitializer: 'varianceScaling', activation: 'softmax'}));",
    '  return model;',
    '}',
  ].join('\n'),
  'small dense regressor': [
    "const tf = require('@tensorflow/tfjs');",
    'const model = tf.sequential({layers: [',
    "  tf.layers.dense({inputShape: [13], units: 50, activation: 'sigmoid'}),",
    "  tf.layers.dense({units: 50, activation: 'sigmoid'}),",
    '  tf.layers.dense({units: 1}),',
    ']});',
  ].join('\n'),
};

describe('healthy designs get no warnings', () => {
  for (const [name, code] of Object.entries(HEALTHY)) {
    it(name, () => {
      const result = lintText(name.includes('net with') || name.includes('MLP') ? 'model.ts' : 'model.js', code);
      assert.equal(result.extract.models.length, 1, 'the model is found');
      const loud = result.diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error');
      assert.deepEqual(loud.map((d) => `${d.ruleId}: ${d.message}`), []);
    });
  }

  it('an upstream-style YOLO classifier', () => {
    const file = path.join(__dirname, '../../fixtures/workspace/yolo/tiny-cls.yaml');
    const result = lintText(file, fs.readFileSync(file, 'utf8'));
    assert.equal(result.extract.models.length, 1);
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error'), []);
  });
});
