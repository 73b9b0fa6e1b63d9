// TensorFlow.js code: the squiggle on the exact argument, a healthy model left alone, files
// without tfjs skipped, the hover on a layer call, and a quick fix.
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  find,
  fixtureUri,
  gradlintDiagnostics,
  hoverAt,
  openFixture,
  openLinted,
  probeLenses,
  revert,
  ruleId,
  waitForDiagnostics,
  withRule,
} from './helpers';
import { blocksSource, MAIN_SOURCE } from '../../lib/importedBlocks';

describe('TensorFlow.js code', () => {
  afterEach(closeAllEditors);

  it('shows vanishing-gradient on a sigmoid stack, with its docs link, exact range and related layers', async () => {
    const editor = await openFixture('sigmoid-mlp.js');
    const doc = editor.document;
    const d = find(await waitForDiagnostics(doc.uri, withRule('vanishing-gradient'), 'vanishing-gradient'), 'vanishing-gradient');
    assert.equal(d.source, 'gradlint');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(typeof d.code === 'object');
    assert.match(d.code.target.toString(), /src\/rules\/vanishing-gradient\/README\.md$/);
    assert.match(d.message, /^Vanishing gradient in model/);
    assert.equal(doc.getText(d.range), "'sigmoid'");
    assert.equal(d.range.start.line, 4, 'on the first sigmoid layer');
    const related = d.relatedInformation ?? [];
    assert.ok(related.length >= 2, `related layers: ${related.length}`);
    for (const r of related) {
      assert.equal(r.location.uri.toString(), doc.uri.toString());
      assert.match(doc.getText(r.location.range), /sigmoid|tf\.layers\.dense/);
    }
  });

  it('reports nothing for a healthy model and leaves files without tfjs alone', async () => {
    const healthy = await openLinted(fixtureUri('healthy.js'));
    assert.equal((await probeLenses(healthy.document.uri)).length, 1, 'the healthy model was analysed');
    const unrelated = await openLinted(fixtureUri('unrelated.js'));
    assert.deepEqual(gradlintDiagnostics(healthy.document.uri).map(ruleId), []);
    assert.deepEqual(gradlintDiagnostics(unrelated.document.uri), []);
    assert.equal((await probeLenses(unrelated.document.uri)).length, 0);
  });


  it('shows the predicted activation and gradient RMS of a layer, relative to the output layer', async () => {
    const editor = await openFixture('sigmoid-mlp.js');
    const line = 4; // the first dense layer
    const text = await hoverAt(editor.document.uri, new vscode.Position(line, editor.document.lineAt(line).text.indexOf('dense')));
    assert.match(text, /`dense_1` \(dense\) in model `model`/);
    assert.match(text, /\| activation RMS \| [-+]\d+\.\d\d \|/);
    assert.match(text, /\| kernel gradient RMS \| -\d+\.\d\d \|/);
    assert.match(text, /\| per-layer factor χ \| [-+]\d+\.\d\d \|/);
    assert.match(text, /Gradient relative to the output layer `dense_8`: 10\^-\d+\.\d\d/);
  });

  it('fixes a constant initializer with the preferred quick fix', async () => {
    const editor = await openFixture('zeros.ts');
    const uri = editor.document.uri;
    const d = find(await waitForDiagnostics(uri, withRule('constant-initializer'), 'constant-initializer'), 'constant-initializer');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(d.range), "'zeros'");
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, 'quickfix')) ?? [];
    const preferred = actions.filter((a) => a.isPreferred && a.title === 'Use heNormal for kernelInitializer');
    assert.equal(preferred.length, 1, actions.map((a) => a.title).join(' | '));
    assert.ok(preferred[0].edit && (await vscode.workspace.applyEdit(preferred[0].edit)));
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'every finding gone');
    assert.match(editor.document.lineAt(d.range.start.line).text, /kernelInitializer: 'heNormal'/);
    await revert(editor);
  });
  it('lints a file again when a model file it imports changes on disk, with no editor open on it', async () => {
    const blocksUri = fixtureUri('watched-imports/blocks.js');
    const mainUri = fixtureUri('watched-imports/main.js');
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await write(blocksUri, blocksSource('relu'));
    await write(mainUri, MAIN_SOURCE);
    await openLinted(mainUri);
    assert.ok(!gradlintDiagnostics(mainUri).some((d) => ruleId(d) === 'vanishing-gradient'), 'relu layers imported: no vanishing gradient');

    // Saved by another tool (git, a generator): the editor's file watcher tells the server.
    await write(blocksUri, blocksSource('sigmoid'));
    await waitForDiagnostics(mainUri, withRule('vanishing-gradient'), 'vanishing-gradient after the imported layers turned sigmoid on disk');
  });
});
