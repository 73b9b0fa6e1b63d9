// "Gradlint: Probe gradients": a real tfjs backward pass of the model in a child process
// (the extension host's own Node through ELECTRON_RUN_AS_NODE), under a progress
// notification with Cancel. The verdicts show as `gradlint-probe` diagnostics until the
// document is edited; the heatmap panel (heatmapPanel.ts) shows the per-layer numbers.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProbeFileResult, ProbeModelResult } from '../core/gradientResult';
import { NOT_PROBED } from '../probe/protocol';
import type { GradlintClient } from './client';
import { PROBE_SOURCE, probeDiagnostics } from './probeVerdicts';
import { showHeatmap } from './heatmapPanel';
import { readProbeSettings, type ProbeSettings } from './settings';

let probeCollection: vscode.DiagnosticCollection | undefined;

/** The probe's findings for a document, cleared when the document changes. */
function probeDiagnosticsFor(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  if (!probeCollection) {
    const collection = vscode.languages.createDiagnosticCollection(PROBE_SOURCE);
    probeCollection = collection;
    context.subscriptions.push(
      collection,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) collection.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
      { dispose: () => (probeCollection = undefined) },
    );
  }
  return probeCollection;
}

/** A workspace's own tfjs-node may be loaded only when the workspace is trusted. */
function workspaceNodeModules(uri: vscode.Uri): string | undefined {
  if (!vscode.workspace.isTrusted) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? path.join(folder.uri.fsPath, 'node_modules') : undefined;
}

async function targetDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  return vscode.window.activeTextEditor?.document;
}

function nothingToProbe(reason: string): undefined {
  void vscode.window.showInformationMessage(`Gradlint: nothing to probe (${reason}).`);
  return undefined;
}

export async function probeGradients(
  context: vscode.ExtensionContext,
  client: GradlintClient,
  log: vscode.OutputChannel,
  uri?: vscode.Uri,
  modelName?: string,
  overrides: Partial<Pick<ProbeSettings, 'steps' | 'seed'>> = {},
): Promise<ProbeFileResult | undefined> {
  const doc = await targetDocument(uri);
  if (!doc) return nothingToProbe('no file is open');
  // The static analysis of the text being probed (by the language server): where verdicts go, the "predicted" column.
  const analysis = await client.probeContext(doc);
  if (!analysis) return nothingToProbe(client.skipReason(doc.uri)?.message ?? 'gradlint does not analyse this document');
  const file = analysis.file;
  const probe = { ...readProbeSettings(doc.uri), ...overrides };
  const { runProbe, runProbeOnGraphs, ProbeRunError } = await import('../probe/run');
  // A Python notebook cell is read after the cells above it: the probe builds the graphs that reading found.
  const graphs = analysis.graphs?.filter((m) => !modelName || m.name === modelName);
  const start: typeof runProbe = (f, text, options, run) => (graphs ? runProbeOnGraphs(f, graphs, options, run) : runProbe(f, text, options, run));
  const name = vscode.workspace.asRelativePath(doc.uri);
  log.appendLine(`Probe ${name}${modelName ? ` (${modelName})` : ''}: ${probe.steps} step(s), seed ${probe.seed}.`);

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Gradlint: probing ${modelName ?? name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        const result = await start(
          file,
          doc.getText(),
          {
            model: modelName,
            steps: probe.steps,
            seed: probe.seed,
            batch: probe.batch,
            size: probe.size,
            backend: probe.backend,
            learningRate: 0.01,
            maxParameters: probe.maxParameters,
            maxLayers: probe.maxLayers,
            yoloScale: analysis.yoloScale,
            yoloDialect: analysis.yoloDialect,
          },
          {
            signal: abort.signal,
            timeoutMs: probe.timeoutSeconds * 1000,
            onProgress: (p) =>
              progress.report({ message: `${p.model}: step ${p.step}/${p.steps}`, increment: 100 / (p.steps * p.models) }),
            execPath: process.execPath,
            env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
            workspaceNodeModules: workspaceNodeModules(doc.uri),
            onBackend: (backend) => log.appendLine(`Probe ${name}: running on ${backend}.`),
            onNotes: (notes) => {
              for (const note of notes) log.appendLine(`Probe ${name}: ${note}`);
            },
          },
        );
        return { result };
      } catch (err) {
        return { error: err instanceof ProbeRunError && err.reason === 'cancelled' ? 'cancelled' : err instanceof Error ? err.message : String(err) };
      }
    },
  );
  if ('error' in outcome) {
    log.appendLine(`Probe ${name}: ${outcome.error}`);
    if (outcome.error !== 'cancelled') void vscode.window.showErrorMessage(`Gradlint probe failed: ${outcome.error}`);
    return undefined;
  }
  const result = outcome.result;
  // Models of the file the probe could not build, while it probed the others.
  const unprobed = (result.unprobed ?? []).map((u) => `${u.model}: ${NOT_PROBED}${u.reason}`);
  if (unprobed.length) void vscode.window.showWarningMessage(`Gradlint: ${unprobed.join('; ')}`);
  for (const m of result.models) {
    log.appendLine(`Probe ${name}: ${m.name} on ${m.backend ?? 'unknown backend'}, depth ratio log10 ${m.depthRatioLog10?.toFixed(2) ?? 'n/a'}.`);
  }
  const models = result.models.map((m) => ({
    result: m,
    estimate: analysis.estimates[m.name] as ProbeModelResult | undefined,
    traits: analysis.traits[m.name],
  }));
  const thresholds = analysis.judgement;
  // The verdicts belong to the text that was probed: show them only if it is still current.
  if (!doc.isClosed && doc.version === analysis.version) {
    probeDiagnosticsFor(context).set(doc.uri, probeDiagnostics(doc, models, analysis.models, thresholds));
  }
  for (const m of models) {
    showHeatmap(context, { uri: doc.uri, result: m.result, estimate: m.estimate, traits: m.traits, steps: probe.steps, seed: probe.seed, thresholds });
  }
  return result;
}
