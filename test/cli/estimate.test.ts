import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../lib/tempTree';
import { gradlint, root } from './gradlint';

const yolo = path.join(root, 'test/fixtures/yolo/v8/yolov8.yaml');

describe('gradlint estimate', function () {
  this.timeout(60000);

  it('prints the contract JSON: one value per array, no backend, rows for YAML', function () {
    if (!fs.existsSync(yolo)) this.skip();
    const r = gradlint('estimate', yolo, '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.file, yolo);
    const [model] = json.models;
    assert.match(model.name, /yolov8/);
    assert.ok(!('backend' in model));
    assert.equal(typeof model.depthRatioLog10, 'number');
    const first = model.layers[0];
    assert.deepEqual(Object.keys(first).sort(), ['activationRms', 'gradientRms', 'kind', 'line', 'name', 'row']);
    assert.equal(first.row, 0);
    assert.equal(first.gradientRms.length, 1);
    assert.equal(first.activationRms.length, 1);
    assert.equal(model.layers.find((l: { kind: string }) => l.kind === 'Concat').gradientRms, null);
  });

  it('prints a per-layer table of log10 values', function () {
    if (!fs.existsSync(yolo)) this.skip();
    const r = gradlint('estimate', yolo);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /estimated depth ratio log10 \d\.\d, first-layer gradient log10 -\d\.\d/);
    assert.match(r.stdout, /^\s+0: Conv\s+Conv\s+\d+\s+-\d\.\d\s+-?\d\.\d/m);
  });

  it("says -inf where no gradient reaches the first layer, in the text and as null in JSON", () => {
    const file = path.join(tempDir('estimate'), 'blocked.js');
    // A sigmoid never exceeds 1: nothing passes thresholdedReLU(θ = 1.2), and the first layer learns nothing.
    fs.writeFileSync(
      file,
      [
        "const tf = require('@tensorflow/tfjs');",
        'const model = tf.sequential();',
        "model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [64] }));",
        'model.add(tf.layers.thresholdedReLU({ theta: 1.2 }));',
        "model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));",
        'model.add(tf.layers.dense({ units: 10 }));',
        '',
      ].join('\n'),
    );
    const text = gradlint('estimate', file);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /estimated depth ratio log10 -inf, first-layer gradient log10 -inf/);
    const json = JSON.parse(gradlint('estimate', file, '--format', 'json').stdout);
    assert.equal(json.models[0].depthRatioLog10, null);
  });

  it('exits 2 on an unreadable file or a bad flag', () => {
    const missing = gradlint('estimate', 'no/such/model.yaml');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read no\/such\/model\.yaml/);
    assert.equal(gradlint('estimate', 'x.yaml', '--format', 'xml').status, 2);
    assert.equal(gradlint('estimate', 'notes.txt').status, 2);
  });
});
