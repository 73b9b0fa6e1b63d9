import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { fixAll as gradlintFixAll } from '../../../src/lint/index';
import { closeAllEditors, find, openFixture, revert, ruleId, waitForDiagnostics, withRule, withSetting, withoutRule } from './helpers';

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `${action.title} carries an edit`);
  assert.equal(await vscode.workspace.applyEdit(action.edit), true);
}

const SIGMOID_ACT = 'yolo/sigmoid-act.yaml';

describe('code actions', () => {
  let editor: vscode.TextEditor | undefined;
  afterEach(async () => {
    if (editor && !editor.document.isClosed && editor.document.isDirty) await revert(editor);
    editor = undefined;
    await closeAllEditors();
  });

  it('offers the fixes and the suppressions, one fix preferred; applying it removes the diagnostic', async () => {
    editor = await openFixture(SIGMOID_ACT);
    const uri = editor.document.uri;
    const d = find(await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack'), 'saturating-stack');
    assert.equal(editor.document.getText(d.range), 'nn.Sigmoid()');
    const actions = await codeActions(uri, d.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Use activation: nn.SiLU() (the Ultralytics default)', true],
        ['Use activation: nn.ReLU() (no saturation for positive inputs)', false],
        ['Disable saturating-stack for this line', false],
        ['Disable saturating-stack for this file', false],
      ],
    );
    await apply(actions[0]);
    await waitForDiagnostics(uri, withoutRule('saturating-stack'), 'saturating-stack fixed');
    assert.equal(editor.document.lineAt(d.range.start.line).text, 'activation: nn.SiLU()');
  });

  for (const scope of ['line', 'file'] as const) {
    it(`"Disable RULE for this ${scope}" inserts the suppression comment and the diagnostic goes`, async () => {
      editor = await openFixture('yolo/sigmoid-plain.yaml');
      const uri = editor.document.uri;
      const d = find(await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack'), 'saturating-stack');
      const action = (await codeActions(uri, d.range, vscode.CodeActionKind.QuickFix.value)).find(
        (a) => a.title === `Disable saturating-stack for this ${scope}`,
      );
      assert.ok(action);
      await apply(action);
      const ds = await waitForDiagnostics(uri, withoutRule('saturating-stack'), 'saturating-stack suppressed');
      assert.ok(ds.some((x) => ruleId(x) === 'vanishing-gradient'), 'only that rule is silenced');
      const lines = editor.document.getText().split('\n');
      if (scope === 'line') assert.equal(lines[d.range.start.line], '  # gradlint-disable-next-line saturating-stack');
      else assert.equal(lines[0], '# gradlint-disable saturating-stack');
    });
  }

  it('source.fixAll.gradlint applies the preferred fixes only', async () => {
    editor = await openFixture(SIGMOID_ACT);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack');
    // The finding is information: fix-all's one policy (gradlint lint --fix's too) fixes every severity.
    const expected = gradlintFixAll(uri.fsPath, editor.document.getText()).text;
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const fixAll = await codeActions(uri, whole, 'source.fixAll.gradlint');
    assert.equal(fixAll.length, 1);
    assert.equal(fixAll[0].kind?.value, 'source.fixAll.gradlint');
    await apply(fixAll[0]);
    await waitForDiagnostics(uri, withoutRule('saturating-stack'), 'saturating-stack fixed');
    assert.ok(editor.document.getText().includes('activation: nn.SiLU()'), 'the preferred fix, not the other one');
    assert.ok(!editor.document.getText().includes('gradlint-disable'), 'fix-all never suppresses');
    assert.equal(editor.document.getText(), expected, 'the text gradlint lint --fix writes');
  });

  it('fix-all runs on save when editor.codeActionsOnSave asks for it', async () => {
    await withSetting('editor', 'codeActionsOnSave', { 'source.fixAll.gradlint': 'explicit' }, async () => {
      editor = await openFixture('save/sigmoid-save.yaml');
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack');
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# saved with fix-all\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitForDiagnostics(uri, withoutRule('saturating-stack'), 'saturating-stack fixed on save');
      assert.equal(editor.document.isDirty, false);
      const onDisk = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      assert.ok(onDisk.includes('activation: nn.SiLU()'), onDisk);
    });
  });
});
