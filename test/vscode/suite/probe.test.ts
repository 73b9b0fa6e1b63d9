import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ProbeFileResult } from '../../../src/probe/types';
import { closeAllEditors, openFixture, revert, waitForDiagnostics } from './helpers';

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
      /^Probe of sigmoid-plain\.yaml \((wasm|cpu|tfjs-node), step 0\): gradients vanish: row 0 \(nn\.Conv2d\) receives 10\^-\d+\.\d of row 21 \(Classify\)'s gradient/,
    );
    assert.equal(editor.document.getText(verdict.range), '[-1, 1, nn.Conv2d, [3, 32, 3, 2, 1]]');

    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'the verdict gone after an edit', 5_000, 'gradlint-probe');
    await revert(editor);
  });
});
