import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tempTree } from '../lib/tempTree';
import { gradlint, gradlintIn, root } from './gradlint';

// The README's main command on the bundled Python examples, and graph / estimate / lint --fix on .py files.
describe('gradlint on Python files', function () {
  this.timeout(120000);

  it('lint examples/ reports the PyTorch and Keras findings, none on the ResNet', () => {
    const r = gradlint('lint', 'examples/', '--format', 'json');
    const files = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; severity: number; line: number }[] }[];
    const rules = (name: string) => (files.find((f) => f.filePath.endsWith(name))?.messages ?? []).map((m) => m.ruleId);
    assert.ok(rules('python/pytorch_sigmoid_mlp.py').includes('vanishing-gradient'));
    assert.ok(rules('python/keras_models.py').includes('saturating-stack'));
    assert.ok(rules('python/pytorch_rnn.py').includes('plain-rnn-long-sequence'));
    assert.deepEqual(rules('python/pytorch_resnet.py'), []);
  });

  it('graph --format json lists a PyTorch model by module path', () => {
    const r = gradlint('graph', 'examples/python/pytorch_resnet.py', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const [model] = JSON.parse(r.stdout).models;
    assert.equal(model.name, 'resnet18');
    assert.equal(model.source, 'pytorch');
    assert.ok(model.layers.some((l: { name: string; kind: string }) => l.name === 'layer2.0.downsample.0' && l.kind === 'conv2d'));
  });

  it('estimate prints the depth ratio of a PyTorch model', () => {
    const r = gradlint('estimate', 'examples/python/pytorch_sigmoid_mlp.py', '--model', 'DeepSigmoidMLP', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const [model] = JSON.parse(r.stdout).models;
    assert.ok(model.depthRatioLog10 < -5, String(model.depthRatioLog10));
  });

  it('lint --fix rewrites the Python source and the finding goes', () => {
    const source = fs.readFileSync(path.join(root, 'examples/python/pytorch_rnn.py'), 'utf8');
    const dir = tempTree('python-fix', { 'rnn.py': source });
    gradlintIn(dir, 'lint', '--fix', 'rnn.py');
    const fixed = fs.readFileSync(path.join(dir, 'rnn.py'), 'utf8');
    assert.ok(fixed.includes('nn.LSTM(features, hidden, batch_first=True)'), fixed);
    const again = gradlintIn(dir, 'lint', 'rnn.py', '--format', 'json');
    assert.deepEqual(JSON.parse(again.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId), []);
  });
});
