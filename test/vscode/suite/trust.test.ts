// Workspace trust. The harness runs the whole suite in a trusted workspace and this file once
// more in Restricted Mode (test/vscode/run.js --restricted); each run checks its own side.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ProbeFileResult } from '../../../src/core/gradientResult';
import { closeAllEditors, fixtureUri, openFixture, waitForDiagnostics, withRule } from './helpers';

/**
 * A tfjs-node in the workspace's node_modules, as a project that depends on it has. This one
 * cannot run a model (its native library is not here); loading it executes the workspace's
 * code, which leaves a file behind and then fails, so the probe falls back to wasm.
 */
async function installWorkspaceTfjsNode(): Promise<vscode.Uri> {
  const dir = fixtureUri('node_modules/@tensorflow/tfjs-node');
  const ran = vscode.Uri.joinPath(dir, 'ran');
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'package.json'), Buffer.from('{"name":"@tensorflow/tfjs-node","version":"4.22.0","main":"index.js"}'));
  await vscode.workspace.fs.writeFile(
    vscode.Uri.joinPath(dir, 'index.js'),
    Buffer.from("require('fs').writeFileSync(require('path').join(__dirname, 'ran'), '');\nthrow new Error('libtensorflow is not installed');\n"),
  );
  await vscode.workspace.fs.delete(ran).then(undefined, () => undefined);
  return ran;
}

const exists = (uri: vscode.Uri): Thenable<boolean> => vscode.workspace.fs.stat(uri).then(() => true, () => false);

describe('workspace trust', () => {
  afterEach(closeAllEditors);

  it('lints in every workspace; the probe runs a workspace-installed tfjs-node only when the workspace is trusted', async () => {
    const ran = await installWorkspaceTfjsNode();
    const editor = await openFixture('sigmoid-mlp.js');
    await waitForDiagnostics(editor.document.uri, withRule('vanishing-gradient'), 'vanishing-gradient (static analysis runs your code in no workspace)');
    const result = await vscode.commands.executeCommand<ProbeFileResult | undefined>('gradlint.probeGradients', editor.document.uri, 'model');
    assert.ok(result, 'the probe returned a result');
    assert.equal(result.models[0].backend, 'wasm', 'the probe fell back to the extension’s own tfjs');
    if (vscode.workspace.isTrusted) assert.ok(await exists(ran), 'a trusted workspace’s tfjs-node was tried first');
    else assert.ok(!(await exists(ran)), 'Restricted Mode: the workspace’s tfjs-node was not loaded');
  });
});
