// A file whose analysis runs far past gradlint.watchdogMs: the language server is killed and
// restarted without it, the file is named in a notification, and the editor keeps linting the
// other files as they are typed in.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { canActInWindow, closeAllEditors, find, fixtureUri, gradlintDiagnostics, notificationShown, openFixture, revert, ruleId, waitForDiagnostics, withRule, withSetting } from './helpers';

/** test/fixtures/hostile/units-zero-relu.js (issue 17): narrow-deep-relu's widening search once doubled 0 forever. */
const UNITS_ZERO_RELU = `import * as tf from '@tensorflow/tfjs';
export function build() {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [8], units: 0, activation: 'relu'}));
  model.add(tf.layers.dense({units: 0, activation: 'relu'}));
  return model;
}
`;

/** 200,000 dense layers in 400 loops: the analyser reads 71,367 of them before its step limit, about 2 s of work. */
function slowModel(): string {
  const lines = ["const tf = require('@tensorflow/tfjs');", 'const model = tf.sequential();', 'model.add(tf.layers.dense({ units: 8, inputShape: [8] }));'];
  for (let k = 0; k < 400; k++) lines.push("for (let i = 0; i < 500; i++) model.add(tf.layers.dense({ units: 8, activation: 'sigmoid' }));");
  return lines.join('\n') + '\n';
}

describe('a file that hangs the analyser', () => {
  afterEach(closeAllEditors);

  it('that used to hang gets its findings, and another file is linted as it is typed in', async () => {
    const hostile = fixtureUri('watchdog/units-zero-relu.js');
    await vscode.workspace.fs.writeFile(hostile, Buffer.from(UNITS_ZERO_RELU));
    try {
      await openFixture('watchdog/units-zero-relu.js');
      const editor = await openFixture('sigmoid-mlp.js');
      const uri = editor.document.uri;
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// typed after opening a file that used to hang\n'.repeat(2)));
      const moved = (ds: vscode.Diagnostic[]) => ds.some((d) => ruleId(d) === 'vanishing-gradient' && d.range.start.line === 4 + 2);
      await waitForDiagnostics(uri, moved, 'vanishing-gradient on the edited text');
      await waitForDiagnostics(hostile, withRule('narrow-deep-relu'), 'narrow-deep-relu on the file that used to hang');
      await revert(editor);
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(hostile);
    }
  });

  it('is reported and left alone past gradlint.watchdogMs, while another file is linted as it is typed in', async function () {
    if (!canActInWindow()) this.skip(); // the notification is what says it
    const slow = fixtureUri('watchdog/slow-loops.js');
    await vscode.workspace.fs.writeFile(slow, Buffer.from(slowModel()));
    try {
      await withSetting('gradlint', 'watchdogMs', 500, async () => {
        await openFixture('watchdog/slow-loops.js');
        // The server is stuck in slow-loops.js now; the editor is not.
        const editor = await openFixture('sigmoid-mlp.js');
        const uri = editor.document.uri;
        await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// typed while the analyser was stuck\n'.repeat(3)));
        const moved = (ds: vscode.Diagnostic[]) => ds.some((d) => ruleId(d) === 'vanishing-gradient' && d.range.start.line === 4 + 3);
        const d = find(await waitForDiagnostics(uri, moved, 'vanishing-gradient on the edited text', 40_000), 'vanishing-gradient');
        assert.equal(editor.document.getText(d.range), "'sigmoid'");
        await notificationShown('analysing watchdog/slow-loops.js took longer than gradlint.watchdogMs (500 ms)');
        assert.deepEqual(gradlintDiagnostics(slow), []);
        await revert(editor);
        await waitForDiagnostics(uri, withRule('vanishing-gradient'), 'vanishing-gradient after the revert');
      });
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await closeAllEditors();
      await vscode.workspace.fs.delete(slow);
    }
  });
});
