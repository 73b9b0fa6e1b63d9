import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, gradlintDiagnostics, hoverAt, openFixture, ruleId } from './helpers';

describe('hover', () => {
  afterEach(closeAllEditors);

  it('shows the estimate of a YOLO YAML row', async () => {
    const editor = await openFixture('yolo/tiny-cls.yaml');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('C2f, [256'));
    const text = await hoverAt(editor.document.uri, new vscode.Position(line, 12));
    assert.match(text, /row 4/);
    assert.match(text, /kernel gradient RMS/);
  });

  it('shows the estimate of a PyTorch layer by its module path', async () => {
    const editor = await openFixture('python/sigmoid_mlp.py');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('layers.append(nn.Linear('));
    const text = await hoverAt(editor.document.uri, new vscode.Position(line, 30));
    assert.match(text, /body\.0/);
    assert.match(text, /kernel gradient RMS/);
  });

  it('shows nothing outside layers', async () => {
    const editor = await openFixture('yolo/sigmoid-plain.yaml');
    assert.equal(await hoverAt(editor.document.uri, new vscode.Position(0, 3)), '');
  });
});

describe('Gradlint: Lint workspace', () => {
  it('lints closed model files and skips what .gitignore excludes', async () => {
    await vscode.commands.executeCommand('gradlint.lintWorkspace');
    assert.deepEqual(gradlintDiagnostics(fixtureUri('lint-workspace/closed.yaml')).map(ruleId), [
      'deep-plain-stack',
      'missing-normalization',
      'vanishing-gradient',
      'saturating-stack',
    ]);
    assert.deepEqual(gradlintDiagnostics(fixtureUri('ignored/sigmoid-copy.yaml')), []);
    assert.deepEqual(gradlintDiagnostics(fixtureUri('unrelated.js')), []);
  });
});
