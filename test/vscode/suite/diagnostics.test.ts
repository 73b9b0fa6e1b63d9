import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { WorkspaceLintSummary } from '../../../src/extension/lintWorkspace';
import {
  canActInWindow,
  clickNotificationButton,
  closeAllEditors,
  EXTENSION_ID,
  find,
  fixtureUri,
  gradlintDiagnostics,
  openFixture,
  openLinted,
  probeLenses,
  revert,
  ruleId,
  waitFor,
  waitForDiagnostics,
  withRule,
  withSetting,
  withoutRule,
} from './helpers';

const PLAIN_YAML = 'yolo/sigmoid-plain.yaml';

describe('diagnostics while editing', () => {
  afterEach(closeAllEditors);

  it('shows YOLO YAML findings on the row, with every row involved as related information', async () => {
    const editor = await openFixture(PLAIN_YAML);
    const doc = editor.document;
    const ds = await waitForDiagnostics(doc.uri, withRule('saturating-stack'), 'saturating-stack');
    // In document order: the row-wide findings, then vanishing-gradient on the module name.
    assert.deepEqual(ds.map(ruleId), ['deep-plain-stack', 'missing-normalization', 'vanishing-gradient', 'saturating-stack']);
    const vanishing = find(ds, 'vanishing-gradient');
    assert.equal(doc.getText(vanishing.range), 'nn.Conv2d');
    assert.match(vanishing.message, /^Vanishing gradient in sigmoid-plain\.yaml: at row 0, .*predicted at 10\^-\d+\.\d.* \(threshold 10\^-\d\.0\)/);
    const saturating = find(ds, 'saturating-stack');
    assert.equal(saturating.range.start.line, 5);
    assert.equal(saturating.relatedInformation?.length, 10);
    assert.ok(saturating.relatedInformation?.every((r) => doc.getText(r.location.range).includes('nn.Sigmoid')));
  });

  it("clears a file's diagnostics when its last tab closes, and shows them again when it is reopened", async () => {
    const editor = await openFixture(PLAIN_YAML);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack');
    await closeAllEditors();
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'no diagnostics once no tab shows the file');
    assert.ok(!editor.document.isClosed, 'VS Code still holds the document: the tab closing is what cleared them');
    await openFixture(PLAIN_YAML);
    await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack again after reopening');
  });

  it('keeps ranges right while typing fast (stale versions dropped)', async () => {
    const editor = await openFixture(PLAIN_YAML);
    const uri = editor.document.uri;
    const before = find(await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack'), 'saturating-stack');
    for (let i = 0; i < 5; i++) {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), `# edit ${i}\n`));
    }
    const moved = (ds: vscode.Diagnostic[]) => ds.some((d) => ruleId(d) === 'saturating-stack' && d.range.start.line === before.range.start.line + 5);
    const d = find(await waitForDiagnostics(uri, moved, 'saturating-stack moved down by five lines'), 'saturating-stack');
    assert.equal(editor.document.getText(d.range), '[-1, 1, nn.Sigmoid, []]');
    await revert(editor);
  });

  it('disabling a rule in settings removes its diagnostics without a reload', async () => {
    const editor = await openFixture(PLAIN_YAML);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, withRule('vanishing-gradient'), 'vanishing-gradient');
    await withSetting('gradlint', 'rules', { 'vanishing-gradient': 'off' }, async () => {
      const ds = await waitForDiagnostics(uri, withoutRule('vanishing-gradient'), 'vanishing-gradient gone');
      assert.ok(ds.some((d) => ruleId(d) === 'saturating-stack'), 'the other rules stay');
    });
    await waitForDiagnostics(uri, withRule('vanishing-gradient'), 'vanishing-gradient back after the setting is removed');
  });

  it('a .gradlintrc.json in the workspace overrides the user settings', async () => {
    const editor = await openFixture(PLAIN_YAML);
    const uri = editor.document.uri;
    const severityOf = (severity: vscode.DiagnosticSeverity) => (ds: vscode.Diagnostic[]) =>
      ds.some((d) => ruleId(d) === 'saturating-stack' && d.severity === severity);
    await waitForDiagnostics(uri, severityOf(vscode.DiagnosticSeverity.Warning), 'saturating-stack as a warning');
    const rc = fixtureUri('.gradlintrc.json');
    await withSetting('gradlint', 'rules', { 'saturating-stack': 'error' }, async () => {
      await waitForDiagnostics(uri, severityOf(vscode.DiagnosticSeverity.Error), 'saturating-stack as an error (user setting)');
      await vscode.workspace.fs.writeFile(rc, Buffer.from(JSON.stringify({ rules: { 'saturating-stack': 'hint' } })));
      try {
        await waitForDiagnostics(uri, severityOf(vscode.DiagnosticSeverity.Hint), 'saturating-stack as a hint (.gradlintrc.json)');
      } finally {
        await vscode.workspace.fs.delete(rc);
      }
      await waitForDiagnostics(uri, severityOf(vscode.DiagnosticSeverity.Error), 'the user setting again once the file is gone');
    });
  });

  it('puts a "Probe gradients" CodeLens above each model and no finding on a healthy YOLO model', async () => {
    const editor = await openLinted(fixtureUri('yolo/tiny-cls.yaml'));
    const lenses = await probeLenses(editor.document.uri);
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.range.start.line]), [['Probe gradients', 0]]);
    assert.deepEqual(gradlintDiagnostics(editor.document.uri), []);
  });
});

describe('files gradlint leaves alone', () => {
  afterEach(closeAllEditors);

  /** Writes a copy of a fixture into the test workspace (a fresh copy for each run). */
  async function writeCopy(fixture: string, to: string, tail = ''): Promise<vscode.Uri> {
    const text = Buffer.from(await vscode.workspace.fs.readFile(fixtureUri(fixture))).toString('utf8');
    const uri = fixtureUri(to);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text + tail));
    return uri;
  }

  it('skips a model file above gradlint.maxFileSizeKiB, says so with a way to the setting, and lints it once the limit is raised', async () => {
    // 300 KiB of comments after a sigmoid stack: over the 256 KiB default.
    const padding = `// ${'x'.repeat(96)}\n`.repeat(3 * 1024);
    const uri = await writeCopy('sigmoid-mlp.js', 'large/bundled-model.js', padding);
    const editor = await openLinted(uri);
    assert.deepEqual(gradlintDiagnostics(uri), []);
    if (canActInWindow()) {
      await clickNotificationButton('bundled-model.js is not analysed: 301 KiB, above gradlint.maxFileSizeKiB (256 KiB)', 'Open Setting');
      await waitFor(async () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings' || undefined, 'the Settings editor');
      await vscode.window.showTextDocument(editor.document);
    }
    await withSetting('gradlint', 'maxFileSizeKiB', 1024, () => waitForDiagnostics(uri, withRule('vanishing-gradient'), 'vanishing-gradient under a 1 MiB limit'));
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'skipped again under the default limit');
    // Lint workspace leaves it out too, and counts it.
    const summary = await vscode.commands.executeCommand<WorkspaceLintSummary>('gradlint.lintWorkspace');
    assert.equal(summary?.tooLarge, 1);
    assert.deepEqual(gradlintDiagnostics(uri), []);
  });

  it('does not analyse files under node_modules (a dependency, not your model)', async () => {
    const uri = await writeCopy('sigmoid-mlp.js', 'node_modules/some-models/index.js');
    const control = await openFixture('sigmoid-mlp.js');
    await waitForDiagnostics(control.document.uri, withRule('vanishing-gradient'), 'vanishing-gradient on the same model outside node_modules');
    await openLinted(uri);
    assert.deepEqual(gradlintDiagnostics(uri), []);
    assert.equal((await probeLenses(uri)).length, 0);
  });
});

describe('notebooks', () => {
  afterEach(closeAllEditors);

  it('lints the code cells of a JavaScript notebook, each on its own, fixes them, and clears them when the notebook closes', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(fixtureUri('notebook/sigmoid-mlp.ipynb'));
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await vscode.window.showNotebookDocument(notebook);
    const [, imports, model] = notebook.getCells();
    assert.equal(model.document.languageId, 'javascript');
    const ds = await waitForDiagnostics(model.document.uri, withRule('vanishing-gradient'), 'vanishing-gradient in the model cell');
    const vanishing = find(ds, 'vanishing-gradient');
    assert.equal(model.document.getText(vanishing.range), "'sigmoid'");
    assert.deepEqual(gradlintDiagnostics(imports.document.uri), []);
    // Its preferred quick fix edits the cell, and the finding goes. (Right after the cell's
    // diagnostics appear, VS Code may answer the first code-action request with none: ask again.)
    const preferred = await waitFor(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', model.document.uri, vanishing.range, 'quickfix');
      return actions?.find((a) => a.isPreferred);
    }, 'a preferred quick fix for vanishing-gradient in the cell');
    assert.ok(preferred.edit, `${preferred.title} carries an edit`);
    assert.equal(await vscode.workspace.applyEdit(preferred.edit), true);
    await waitForDiagnostics(model.document.uri, withoutRule('vanishing-gradient'), `vanishing-gradient gone after "${preferred.title}"`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
    await waitForDiagnostics(model.document.uri, (d) => d.length === 0, 'no diagnostics once the notebook is closed');
  });

  it('reads the Python cells of a notebook in order: a model built from a class of an earlier cell is linted in its cell', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(fixtureUri('notebook/pytorch-cells.ipynb'));
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await vscode.window.showNotebookDocument(notebook);
    const [, classes, model] = notebook.getCells();
    assert.equal(model.document.languageId, 'python');
    const ds = await waitForDiagnostics(model.document.uri, withRule('vanishing-gradient'), 'vanishing-gradient in the model cell');
    assert.equal(model.document.getText(find(ds, 'vanishing-gradient').range), 'Block()');
    // The class cell alone builds one block: nothing to report there.
    assert.deepEqual(gradlintDiagnostics(classes.document.uri).map(ruleId), []);
  });
});

describe('Python files', () => {
  afterEach(closeAllEditors);

  it('lints a PyTorch file and its quick fix swaps the sigmoid modules', async () => {
    const editor = await openFixture('python/sigmoid_mlp.py');
    const uri = editor.document.uri;
    const ds = await waitForDiagnostics(uri, withRule('saturating-stack'), 'saturating-stack in the PyTorch file');
    // A Probe gradients lens above each model: the class, the healthy and the quiet Sequential.
    assert.equal((await probeLenses(uri)).length, 3);
    const stack = find(ds, 'saturating-stack');
    const preferred = await waitFor(async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, stack.range, 'quickfix');
      return actions?.find((a) => a.isPreferred);
    }, 'a preferred quick fix for saturating-stack');
    assert.ok(preferred.edit);
    assert.equal(await vscode.workspace.applyEdit(preferred.edit), true);
    assert.ok(!editor.document.getText().includes('layers.append(nn.Sigmoid())'), 'the sigmoid modules are replaced');
    await waitForDiagnostics(uri, (d) => !d.some((x) => ruleId(x) === 'saturating-stack' && x.range.start.line === stack.range.start.line), 'saturating-stack gone');
    await revert(editor);
  });
});
