import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ProbeFileResult } from '../../../src/core/gradientResult';
import type { HeatmapReport } from '../../../src/extension/heatmapPanel';
import { acceptQuickInput, canActInWindow, clickNotificationButton, closeAllEditors, inWebview, notificationShown, openFixture, revert, waitFor, waitForDiagnostics } from './helpers';

describe('Gradlint: Probe gradients', () => {
  afterEach(closeAllEditors);

  it('runs a real tfjs backward pass and shows the verdict until the next edit', async () => {
    const editor = await openFixture('yolo/sigmoid-plain.yaml');
    const uri = editor.document.uri;
    const result = await vscode.commands.executeCommand<ProbeFileResult | undefined>('gradlint.probeGradients', uri, 'sigmoid-plain.yaml');
    assert.ok(result, 'the probe returned a result');
    const [model] = result.models;
    assert.equal(model.name, 'sigmoid-plain.yaml');
    assert.match(model.backend ?? '', /^(wasm|cpu|tfjs-node)$/);
    assert.equal(model.layers.length, 22, 'one entry per YAML row');
    const steps = vscode.workspace.getConfiguration('gradlint').get<number>('probe.steps');
    assert.equal(model.layers[0].gradientRms?.length, steps);
    assert.ok(model.depthRatioLog10 !== null && model.depthRatioLog10 < -3, `depth ratio ${model.depthRatioLog10}`);

    const [verdict] = await waitForDiagnostics(uri, (ds) => ds.length === 1, 'the probe verdict', 20_000, 'gradlint-probe');
    assert.match(
      verdict.message,
      /^Probe of sigmoid-plain\.yaml \((wasm|cpu|tfjs-node), step 0\): Gradients vanish: nn\.Conv2d receives 10\^-\d+\.\d of the output layer's gradient/,
    );
    assert.equal(editor.document.getText(verdict.range), '[-1, 1, nn.Conv2d, [3, 32, 3, 2, 1]]');

    // The heatmap panel opened beside the editor, and its page reported what it drew. After the
    // notebook tests this first page takes up to 30 s to load: the notebook's output webview left
    // a resource request (markdown-math's katex.min.css) open in VS Code's webview service worker
    // when the notebook closed, and the next webview's service worker takes over only when that
    // request times out (VS Code's 30 s). Hence the long wait; alone the page reports in ~1 s.
    const report = await waitFor(async () => {
      const reports = (await vscode.commands.executeCommand<HeatmapReport[]>('gradlint.heatmapReports')) ?? [];
      return reports.find((r) => r.uri === uri.toString() && r.model === 'sigmoid-plain.yaml');
    }, 'the heatmap page to report back', 90_000);
    assert.equal(report.rows, 22, 'one heatmap row per YAML row');
    assert.equal(report.columns, steps! + 1, 'one column per step plus the predicted one');
    assert.match(report.verdict, /Gradients vanish/);

    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'the verdict gone after an edit', 5_000, 'gradlint-probe');
    await revert(editor);
  });

  it('probes the models of a file it can build and warns about the one it cannot', async () => {
    const editor = await openFixture('probe/two-models.js');
    const result = await vscode.commands.executeCommand<ProbeFileResult | undefined>('gradlint.probeGradients', editor.document.uri);
    assert.deepEqual(result?.models.map((m) => m.name), ['fine']);
    if (canActInWindow()) {
      await notificationShown('tooSmall: not probed: layer conv2d_2 (conv2d, line 7): its output [0, 0, 2] is empty for its input [2, 2, 2]');
    }
  });

  it("stops at once when the notification's Cancel is clicked: no result, no heatmap, no error", async function () {
    if (!canActInWindow()) this.skip();
    const editor = await openFixture('probe/slow-conv.js');
    const uri = editor.document.uri;
    const probe = vscode.commands.executeCommand<ProbeFileResult | undefined>('gradlint.probeGradients', uri, 'model');
    await clickNotificationButton('Gradlint: probing model', 'Cancel');
    // Uncancelled, this probe (three steps of 21 convolutions on 64×64) returns a result and opens a heatmap.
    assert.equal(await probe, undefined);
    const reports = (await vscode.commands.executeCommand<HeatmapReport[]>('gradlint.heatmapReports')) ?? [];
    assert.ok(!reports.some((r) => r.uri === uri.toString()), 'no heatmap for the cancelled probe');
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gradlint-probe'), [], 'no probe verdict');
  });

  it("re-runs the probe from the heatmap's Re-run button with the steps typed there, and exports its CSV through the save dialog", async function () {
    if (!canActInWindow()) this.skip();
    const editor = await openFixture('yolo/sigmoid-plain.yaml');
    const uri = editor.document.uri;
    await vscode.commands.executeCommand('gradlint.probeGradients', uri, 'sigmoid-plain.yaml');
    const steps = vscode.workspace.getConfiguration('gradlint').get<number>('probe.steps')!;
    const columns = async (n: number) =>
      waitFor(async () => {
        const reports = (await vscode.commands.executeCommand<HeatmapReport[]>('gradlint.heatmapReports')) ?? [];
        return reports.find((r) => r.uri === uri.toString() && r.columns === n);
      }, `a heatmap of ${n} columns`);
    await columns(steps + 1);
    await inWebview('#steps', '1');
    await inWebview('#rerun');
    const report = await columns(2);
    assert.equal(report.rows, 22, 'still one row per YAML row');

    // Export CSV: the save dialog proposes a file beside the model; accepting it writes the table.
    const folder = vscode.Uri.joinPath(uri, '..');
    const csvFiles = async () => (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name).filter((n) => n.endsWith('.csv'));
    const before = await csvFiles();
    await inWebview('#export-csv');
    await acceptQuickInput();
    const name = await waitFor(async () => (await csvFiles()).find((n) => !before.includes(n)), 'the exported CSV file');
    const lines = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name))).toString('utf8').trim().split('\n');
    assert.match(lines[0], /^layer,kind,line,row,gradient_rms_0,gradient_rms_predicted,/);
    assert.equal(lines.length, 1 + 22, 'a header and one line per YAML row');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, name));
  });
});
