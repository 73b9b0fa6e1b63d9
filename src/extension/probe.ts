// "Gradlint: Probe gradients": a real tfjs backward pass of the model in a child process
// (the extension host's own Node through ELECTRON_RUN_AS_NODE), under a progress
// notification with Cancel. The verdicts show as `gradlint-probe` diagnostics until the
// document is edited; the heatmap panel shows the per-layer numbers.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ProbeFileResult } from '../probe/types';
import type { DocumentLinter } from './linter';
import { analysisPath, skipReason } from './documents';
import { PROBE_SOURCE, probeDiagnostics } from './probeVerdicts';
import { readSettings } from './settings';

let probeCollection: vscode.DiagnosticCollection | undefined;

/** The probe's findings for a document, cleared when the document changes. */
export function probeDiagnosticsFor(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
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

export async function probeGradients(
  context: vscode.ExtensionContext,
  linter: DocumentLinter,
  log: vscode.OutputChannel,
  uri?: vscode.Uri,
  modelName?: string,
): Promise<ProbeFileResult | undefined> {
  const doc = await targetDocument(uri);
  const reason = doc ? skipReason(doc) : 'no file is open';
  if (!doc || reason) {
    void vscode.window.showInformationMessage(`Gradlint: nothing to probe (${reason}).`);
    return undefined;
  }
  const settings = readSettings(doc.uri);
  const version = doc.version;
  const file = analysisPath(doc);
  const { runProbe, ProbeRunError } = await import('../probe/run');
  const name = vscode.workspace.asRelativePath(doc.uri);
  log.appendLine(`Probe ${name}${modelName ? ` (${modelName})` : ''}: ${settings.probe.steps} step(s), seed ${settings.probe.seed}.`);

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Gradlint: probing ${modelName ?? name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        const result = await runProbe(
          file,
          doc.getText(),
          {
            model: modelName,
            steps: settings.probe.steps,
            seed: settings.probe.seed,
            batch: settings.probe.batch,
            size: settings.probe.size,
            backend: settings.probe.backend,
            learningRate: 0.01,
            yoloScale: settings.yoloScale,
          },
          {
            signal: abort.signal,
            timeoutMs: settings.probe.timeoutSeconds * 1000,
            onProgress: (p) =>
              progress.report({ message: `${p.model}: step ${p.step}/${p.steps}`, increment: 100 / (p.steps * p.models) }),
            execPath: process.execPath,
            env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
            workspaceNodeModules: workspaceNodeModules(doc.uri),
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
  for (const m of result.models) {
    log.appendLine(`Probe ${name}: ${m.name} on ${m.backend ?? 'unknown backend'}, depth ratio log10 ${m.depthRatioLog10?.toFixed(2) ?? 'n/a'}.`);
  }
  // The verdicts belong to the text that was probed: show them only if it is still current.
  if (!doc.isClosed && doc.version === version) {
    const analysis = linter.analysisFor(doc);
    if (analysis) probeDiagnosticsFor(context).set(doc.uri, probeDiagnostics(doc, result.models, analysis.models, analysis.thresholds));
  }
  return result;
}
