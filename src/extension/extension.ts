// Activation starts the language server (src/server, a child process) and wires the
// commands; the analysis itself never runs in the extension host.
import * as vscode from 'vscode';
import { GradlintClient } from './client';
import { heatmapReports, registerHeatmapSerializer } from './heatmapPanel';
import { lintWorkspace } from './lintWorkspace';
import { probeGradients } from './probe';
import { PROBE_COMMAND } from '../server/protocol';

/** What activation returns: integration tests wait on lints with it rather than sleep. */
export interface GradlintApi {
  /** Fires after a document's diagnostics were published, or cleared because gradlint leaves the document alone. */
  onDidLint: vscode.Event<vscode.Uri>;
}

export async function activate(context: vscode.ExtensionContext): Promise<GradlintApi> {
  const log = vscode.window.createOutputChannel('Gradlint');
  const client = new GradlintClient(log);

  context.subscriptions.push(
    log,
    client,
    vscode.window.tabGroups.onDidChangeTabs(() => client.onTabsChanged()),
    vscode.workspace.onDidChangeTextDocument((e) => client.onChange(e)),
    // Trusting the workspace changes which tfjs the probe may load, not the static analysis.
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.appendLine('Workspace trusted: the probe may load the workspace tfjs-node.')),
    vscode.commands.registerCommand('gradlint.lintWorkspace', () => lintWorkspace(client, log)),
    // The CodeLens passes the document's URI as a string (it comes from the server).
    vscode.commands.registerCommand(PROBE_COMMAND, (uri?: vscode.Uri | string, modelName?: string) =>
      probeGradients(context, client, log, typeof uri === 'string' ? vscode.Uri.parse(uri) : uri, modelName),
    ),
    registerHeatmapSerializer(context, (uri, model, options) => probeGradients(context, client, log, uri, model, options)),
    // Not in the palette: what each open heatmap page reported after rendering (integration tests).
    vscode.commands.registerCommand('gradlint.heatmapReports', () => heatmapReports()),
  );

  // Awaited (the extension host is not blocked meanwhile): the hover, code-action and CodeLens
  // providers exist once the server has said what it offers, and callers of activate() expect them.
  await client.start().catch((err: unknown) => log.appendLine(`The gradlint server did not start: ${err instanceof Error ? err.message : String(err)}`));
  log.appendLine('Gradlint activated.');
  return { onDidLint: client.onDidLint };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
