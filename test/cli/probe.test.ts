import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tempDir } from '../lib/tempTree';
import { formatProbe } from '../../src/cli/commands/probe';
import { measureModel } from '../../src/probe/measure';
import { repeat, sequential } from '../probe/graphs';
import { gradlint } from './gradlint';


describe('gradlint probe', function () {
  this.timeout(30_000);

  it('prints the contract JSON: exactly its keys, in its order', async () => {
    const graph = sequential('buildModel', [64], [...repeat(2, { kind: 'dense', config: { units: 64, activation: 'sigmoid' } }), { kind: 'dropout', config: { rate: 0.1 } }]);
    const model = await measureModel(graph, { steps: 2, seed: 0, learningRate: 0.01, backend: 'cpu' });
    const json = JSON.parse(formatProbe({ file: 'models/deep.js', models: [model] }, 'json'));
    assert.deepStrictEqual(Object.keys(json), ['file', 'models']);
    assert.deepStrictEqual(Object.keys(json.models[0]), ['name', 'line', 'backend', 'layers', 'depthRatioLog10']);
    assert.deepStrictEqual(Object.keys(json.models[0].layers[0]), ['name', 'kind', 'line', 'row', 'gradientRms', 'activationRms']);
    assert.strictEqual(json.models[0].backend, 'cpu');
    assert.strictEqual(json.models[0].layers[2].gradientRms, null);
    assert.strictEqual(json.models[0].layers[0].gradientRms.length, 2);
    assert.strictEqual(typeof json.models[0].depthRatioLog10, 'number');
  });

  it('prints a per-layer table with log10 gradient RMS per step and a bar', async () => {
    const graph = sequential('deep', [64], [...repeat(2, { kind: 'dense', config: { units: 64, activation: 'sigmoid' } }), { kind: 'dropout', config: { rate: 0.1 } }]);
    const model = await measureModel(graph, { steps: 2, seed: 0, learningRate: 0.01, backend: 'cpu' });
    const lines = formatProbe({ file: 'm.js', models: [model] }, 'text').trimEnd().split('\n');
    const ratio = model.depthRatioLog10!.toFixed(1);
    assert.strictEqual(lines[0], `m.js: deep (line 1), backend cpu, depth ratio log10 ${ratio}`);
    assert.match(lines[1], /^ {2}layer\s+kind\s+line\s+step 0\s+step 1$/);
    const g = model.layers[0].gradientRms!.map((v) => Math.log10(v).toFixed(1));
    assert.match(lines[2], new RegExp(`^  dense_l1\\s+dense\\s+2\\s+${g[0]}\\s+${g[1]}\\s+█+$`));
    assert.match(lines[4], /^ {2}dropout_l3\s+dropout\s+4\s+-\s+-$/);
  });

  it('probes a tfjs source file end to end (front end, worker, JSON)', () => {
    const r = gradlint('probe', 'test/probe/fixtures/deep-sigmoid.js', '--format', 'json', '--backend', 'cpu', '--steps', '2');
    assert.strictEqual(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.strictEqual(json.file, 'test/probe/fixtures/deep-sigmoid.js');
    const [model] = json.models;
    assert.deepStrictEqual([model.name, model.line, model.backend], ['buildModel', 5, 'cpu']);
    assert.deepStrictEqual(model.layers.map((l: { name: string; line: number }) => [l.name, l.line]), [
      ...Array.from({ length: 8 }, (_, i) => [`dense_${i + 1}`, 7]),
      ['dense_9', 9],
    ]);
    assert.strictEqual(model.layers[0].gradientRms.length, 2);
    // The contract's reference point: depth ratio ≈ −5.7, first-layer gradient ≈ 1e-7.
    assert.ok(Math.abs(model.depthRatioLog10 + 5.7) <= 0.3, String(model.depthRatioLog10));
    assert.ok(Math.abs(Math.log10(model.layers[0].gradientRms[0]) + 7.0) <= 0.3);
  });

  it('refuses, before the first step, a probe that cannot finish within --timeout', () => {
    const file = path.join(tempDir('probe-time'), 'vgg-block.js');
    // VGG16's first block at 224×224: about 1.2e10 operations a sample and step.
    const conv = "filters: 64, kernelSize: 3, padding: 'same', activation: 'relu'";
    fs.writeFileSync(file, `import * as tf from '@tensorflow/tfjs';\nexport function build() {\n  const model = tf.sequential();\n  model.add(tf.layers.conv2d({inputShape: [224, 224, 3], ${conv}}));\n  model.add(tf.layers.conv2d({${conv}}));\n  return model;\n}\n`);
    const r = gradlint('probe', file, '--backend', 'cpu', '--steps', '50', '--batch', '4', '--timeout', '30');
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr, /the probe would take at least 1162 s \(2\.3e12 floating-point operations for 50 steps of a batch of 4, at most 2\.0e9 a second on the cpu backend\), more than its time limit of 30 s \(setting gradlint\.probe\.timeoutSeconds, flag --timeout; or fewer --steps or a smaller --batch\)/);
  });

  it('exits 2 on usage errors', () => {
    const r = gradlint('probe', 'x.js', '--steps', '0');
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /option '--steps <n>' argument '0' is invalid/);
    assert.strictEqual(gradlint('probe', 'x.js', '--backend', 'gpu').status, 2);
    const missing = gradlint('probe', path.join(os.tmpdir(), 'gradlint-no-such-file.js'));
    assert.strictEqual(missing.status, 2);
    assert.match(missing.stderr, /gradlint probe: cannot read .*gradlint-no-such-file\.js/);
  });

  it('takes --scale like lint and graph: the YOLO scale of a YAML whose name carries none', () => {
    const yaml = fs.readFileSync('test/fixtures/workspace/yolo/tiny-cls.yaml', 'utf8').replace('  n: [0.33, 0.25, 1024]', '  n: [0.33, 0.25, 1024]\n  s: [0.33, 0.125, 1024]');
    const file = path.join(tempDir('probe-scale'), 'net.yaml');
    fs.writeFileSync(file, yaml);
    const r = gradlint('probe', file, '--scale', 's', '--format', 'json', '--backend', 'cpu', '--batch', '1', '--size', '32');
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout).models.map((m: { name: string }) => m.name), ['net.yaml (scale s)']);
    assert.strictEqual(gradlint('probe', file, '--scale', 'q').status, 2);
  });

  it('exits 1 with the reason when the probe fails', () => {
    const file = path.join(tempDir('probe'), 'empty.js');
    fs.writeFileSync(file, 'const x = 1;\n');
    const r = gradlint('probe', file, '--format', 'json', '--backend', 'cpu');
    assert.strictEqual(r.status, 1);
    assert.strictEqual(r.stdout, '');
    assert.match(r.stderr, /gradlint probe: no model found in .*empty\.js/);
  });
});
