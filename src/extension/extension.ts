// Activation wires listeners and providers only; nothing is parsed until a model document
// is open (DocumentLinter loads the core on first use).
import * as vscode from 'vscode';
import { GradlintCodeActions } from './codeActions';
import { heatmapReports, registerHeatmapSerializer } from './heatmapPanel';
import { MODEL_SELECTOR } from './documents';
import { EstimateHover, ProbeCodeLenses, PROBE_COMMAND } from './lenses';
import { DocumentLinter } from './linter';
import { lintWorkspace } from './lintWorkspace';
import { probeGradients } from './probe';

/** What activation returns: integration tests wait on lints with it rather than sleep. */
export interface GradlintApi {
  /** Fires after a document's diagnostics were published, or cleared because gradlint leaves the document alone. */
  onDidLint: vscode.Event<vscode.Uri>;
}

export function activate(context: vscode.ExtensionContext): GradlintApi {
  const log = vscode.window.createOutputChannel('Gradlint');
  const linter = new DocumentLinter(log, context.globalStorageUri.fsPath);
  const rcWatcher = vscode.workspace.createFileSystemWatcher('**/.gradlintrc.json');
  const relint = () => linter.relintAll();

  context.subscriptions.push(
    log,
    linter,
    rcWatcher,
    vscode.workspace.onDidOpenTextDocument((doc) => linter.onOpen(doc)),
    vscode.workspace.onDidChangeTextDocument((e) => linter.onChange(e)),
    vscode.workspace.onDidSaveTextDocument((doc) => linter.onSave(doc)),
    vscode.workspace.onDidCloseTextDocument((doc) => linter.onClose(doc)),
    vscode.window.tabGroups.onDidChangeTabs(() => linter.onTabsChanged()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gradlint')) relint();
    }),
    rcWatcher.onDidChange(relint),
    rcWatcher.onDidCreate(relint),
    rcWatcher.onDidDelete(relint),
    // Trusting the workspace changes which tfjs the probe may load, not the static analysis.
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.appendLine('Workspace trusted: the probe may load the workspace tfjs-node.')),
    vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, new GradlintCodeActions(linter), GradlintCodeActions.metadata),
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, new EstimateHover(linter)),
    vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, new ProbeCodeLenses(linter)),
    vscode.commands.registerCommand('gradlint.lintWorkspace', () => lintWorkspace(linter, log)),
    vscode.commands.registerCommand(PROBE_COMMAND, (uri?: vscode.Uri, modelName?: string) =>
      probeGradients(context, linter, log, uri, modelName),
    ),
    registerHeatmapSerializer(context, (uri, model, options) => probeGradients(context, linter, log, uri, model, options)),
    // Not in the palette: what each open heatmap page reported after rendering (integration tests).
    vscode.commands.registerCommand('gradlint.heatmapReports', () => heatmapReports()),
  );

  for (const doc of vscode.workspace.textDocuments) linter.onOpen(doc);
  log.appendLine('Gradlint activated.');
  return { onDidLint: linter.onDidLint };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
