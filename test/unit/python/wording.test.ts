import { strict as assert } from 'assert';
import { lint } from '../../../src/lint/index';

// Fix titles name the batch normalisation in the model's own framework (decided on the
// graph's source kind): tfjs's factory, Keras's layer class, PyTorch's module with its width.
const titles = (file: string, text: string): string[] =>
  lint(file, text).diagnostics.flatMap((d) => d.fixes.map((f) => f.title)).filter((t) => t.startsWith('Insert '));

const dense = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(', ');

describe('batch norm fix titles in the model\'s framework', () => {
  const cases: { name: string; file: string; text: string; title: string }[] = [
    {
      name: 'PyTorch: nn.BatchNorm1d with the width of the layers',
      file: 'mlp.py',
      text: `import torch.nn as nn\nnet = nn.Sequential(${dense(9, () => 'nn.Linear(64, 64), nn.ReLU()')}, nn.Linear(64, 10))\n`,
      title: 'Insert nn.BatchNorm1d(64) after 0, 2 … 16',
    },
    {
      name: 'Keras: layers.BatchNormalization()',
      file: 'mlp.py',
      text: `from tensorflow.keras import layers, Sequential\nnet = Sequential([layers.Input((32,)), ${dense(9, () => "layers.Dense(64, activation='relu')")}, layers.Dense(10)])\n`,
      title: 'Insert layers.BatchNormalization() after dense, dense_1 … dense_8',
    },
    {
      name: 'tfjs: the batchNormalization factory',
      file: 'mlp.ts',
      text: `import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({ layers: [tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }), ${dense(8, () => "tf.layers.dense({ units: 64, activation: 'relu' })")}, tf.layers.dense({ units: 10 })] });\n`,
      title: 'Insert batchNormalization after dense_1, dense_2 … dense_9',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(titles(c.file, c.text), [c.title]));
  }
});
