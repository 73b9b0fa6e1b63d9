// Issue 14.2: layers frozen with trainable: false (in code or in model.json) get no findings
// of any rule: their weights never change, whatever their gradient or initialiser.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lint } from '../../../src/lint/index';

const ROOT = path.join(__dirname, '..', '..', '..');
const lines = (file: string, text: string): number[] => {
  const r = lint(file, text);
  return r.diagnostics.map((d) => text.slice(0, d.range.start).split('\n').length);
};

describe('frozen layers get no findings', () => {
  const stack = (frozen: string): string =>
    [
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential();',
      ...Array.from({ length: 6 }, (_, i) => `model.add(tf.layers.dense({units: 64, activation: 'sigmoid'${i === 0 ? ', inputShape: [64]' : ''}${frozen}}));`),
      "model.add(tf.layers.dense({units: 10, activation: 'softmax'}));",
      '',
    ].join('\n');

  it('in code: the sigmoid stack trainable has findings, frozen with trainable: false has none on its layers', () => {
    assert.ok(lines('model.js', stack('')).some((l) => l >= 3 && l <= 8), 'the trainable stack is reported');
    assert.deepEqual(lines('model.js', stack(', trainable: false')).filter((l) => l >= 3 && l <= 8), []);
  });

  it('in code: layer.trainable = false', () => {
    const text = stack('').replace(/model\.add\((tf\.layers\.dense\(\{units: 64[^;]*)\);/g, (_m, layer: string) => `{ const l = ${layer}; l.trainable = false; model.add(l); }`);
    assert.deepEqual(lines('model.js', text).filter((l) => l >= 3 && l <= 8), []);
  });

  it('in model.json', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/mnist-model.json'), 'utf8');
    assert.ok(lines('model.json', text).length > 0, 'the trainable model has findings');
    assert.deepEqual(lines('model.json', text.replace(/"trainable": true/g, '"trainable": false')), []);
  });
});

describe('frozen layers cause no findings on the trainable layers beside them', () => {
  // A trainable linear dense layer feeding two frozen linear ones: the linear chain exists only
  // through the frozen layers, so no finding, not even on the trainable layer it would start at.
  const chain = (frozen: string): string =>
    [
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential();',
      'model.add(tf.layers.dense({units: 64, inputShape: [64]}));',
      `model.add(tf.layers.dense({units: 64${frozen}}));`,
      `model.add(tf.layers.dense({units: 64${frozen}}));`,
      "model.add(tf.layers.dense({units: 10, activation: 'softmax'}));",
      '',
    ].join('\n');
  const ids = (text: string): string[] => lint('model.js', text).diagnostics.map((d) => d.ruleId);

  it('missing-activation: reported while all are trainable, not when the middle layers are frozen', () => {
    assert.ok(ids(chain('')).includes('missing-activation'), 'the trainable chain is reported');
    assert.deepEqual(ids(chain(', trainable: false')).filter((id) => id === 'missing-activation'), []);
  });
});

describe('a frozen pretrained block is outside the model figures', () => {
  // Six frozen sigmoid layers at the input, four trainable relu layers after them: the probe
  // measures only the trainable ones (their depth ratio ≈ 10^-0.3), and so must the estimate.
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    'const model = tf.sequential();',
    ...Array.from({ length: 6 }, (_, i) => `model.add(tf.layers.dense({units: 64, activation: 'sigmoid', trainable: false${i === 0 ? ', inputShape: [64]' : ''}}));`),
    ...Array.from({ length: 4 }, () => "model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal'}));"),
    'model.add(tf.layers.dense({units: 10}));',
    '',
  ].join('\n');

  it('judges the trainable layers: no vanishing gradient, a depth ratio within a decade', () => {
    const r = lint('model.js', text);
    assert.deepEqual(r.diagnostics.map((d) => d.ruleId), []);
    const ratio = r.estimates[0].depthRatioLog10;
    assert.ok(ratio !== null && Math.abs(ratio) < 1, `depth ratio ${ratio}`);
  });
});
