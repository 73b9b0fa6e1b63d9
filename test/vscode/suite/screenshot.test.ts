// Leaves the window as a person would see it — a model with gradlint squiggles
// and the Problems panel open — for the harness's screenshot (.artifacts/vscode-diagnostics.png).
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, openFixture, requestScreenshot, ruleId, sleep, waitForDiagnostics, withRule } from './helpers';

describe('what a person sees', () => {
  it('a gradlint squiggle in the editor and its findings in the Problems panel', async () => {
    await closeAllEditors();
    const editor = await openFixture('sigmoid-mlp.js');
    const ds = await waitForDiagnostics(editor.document.uri, withRule('vanishing-gradient'), 'vanishing-gradient');
    assert.ok(ds.every((d) => ruleId(d) && d.source === 'gradlint'));
    editor.selection = new vscode.Selection(ds[0].range.start, ds[0].range.start);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // Give the workbench a moment to paint the panel and the squiggles.
    await sleep(1_000);
    await requestScreenshot();
  });
});
