// Live diagnostics: lints open model documents on open and (debounced) on change, drops
// results for versions that are no longer current, cancels pending work when the document
// changes again, and clears them when no tab shows the document any more. Keeps the latest
// analysis per document for the code actions, hovers and CodeLenses.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Analysis } from './engine';
import { analysisPath, cellsAfter, documentsInTabs, isModelLanguage, notebookPrelude, SIZE_SETTING, skipReason, type SkipReason } from './documents';
import { readSettings, type Settings } from './settings';
import { loadWithCodeCache } from '../codeCache';

type Engine = typeof import('./engine');
const ENGINE_BUNDLE = 'engine.js';
const OPEN_SETTING = 'Open Setting';

interface Pending {
  timer?: NodeJS.Timeout;
  cancel: vscode.CancellationTokenSource;
}

export class DocumentLinter implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('gradlint');
  private readonly analyses = new Map<string, Analysis>();
  private readonly pending = new Map<string, Pending>();
  private readonly skipped = new Map<string, SkipReason>();
  private readonly shownConfigErrors = new Set<string>();
  private engineModule: Engine | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were published (or cleared). */
  readonly onDidLint = this.changeEmitter.event;

  /** `codeCacheDir`: where the compiled core is cached between windows (the extension's global storage). */
  constructor(
    private readonly log: vscode.OutputChannel,
    private readonly codeCacheDir: string,
  ) {}

  /**
   * The core, loaded on first use: activation must not parse anything. It is a bundle of its
   * own (dist/engine.js, next to dist/extension.js), so that activation does not even compile it.
   */
  engine(): Engine {
    if (!this.engineModule) {
      const started = performance.now();
      const loaded = loadWithCodeCache(path.join(__dirname, ENGINE_BUNDLE), this.codeCacheDir);
      this.engineModule = loaded.exports as Engine;
      this.log.appendLine(`Loaded the analyser in ${(performance.now() - started).toFixed(0)} ms (code cache ${loaded.cache}).`);
    }
    return this.engineModule;
  }

  /** Schedules a lint after `delayMs`, replacing (and cancelling) any pending one. */
  schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (!isModelLanguage(doc)) return;
    const key = doc.uri.toString();
    this.cancelPending(key);
    const pending: Pending = { cancel: new vscode.CancellationTokenSource() };
    this.pending.set(key, pending);
    const run = () => void this.lint(doc, pending.cancel.token).finally(() => {
      if (this.pending.get(key) === pending) this.pending.delete(key);
      pending.cancel.dispose();
    });
    if (delayMs <= 0) run();
    else pending.timer = setTimeout(run, delayMs);
  }

  onOpen(doc: vscode.TextDocument): void {
    this.schedule(doc, 0);
  }

  onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const settings = readSettings(event.document.uri);
    if (!settings.enable) return;
    if (settings.lintOnType) {
      this.schedule(event.document, settings.debounceMs);
      // Python cells below read this one first: they are read again too.
      for (const later of cellsAfter(event.document)) this.schedule(later, settings.debounceMs);
    } else this.cancelPending(event.document.uri.toString());
  }

  onSave(doc: vscode.TextDocument): void {
    if (!readSettings(doc.uri).lintOnType) this.schedule(doc, 0);
  }

  onClose(doc: vscode.TextDocument): void {
    this.forget(doc.uri);
  }

  /**
   * Tabs opened, closed or replaced. VS Code keeps a document open for a while after its last
   * tab closes (onDidClose comes much later), so squiggles are cleared when no tab shows it,
   * as the TypeScript extension does, and come back when a tab shows it again.
   */
  onTabsChanged(): void {
    const shown = documentsInTabs();
    for (const key of [...this.analyses.keys(), ...this.pending.keys()]) {
      if (!shown.has(key)) this.forget(vscode.Uri.parse(key));
    }
    for (const doc of vscode.workspace.textDocuments) {
      const key = doc.uri.toString();
      if (shown.has(key) && !this.analyses.has(key) && !this.pending.has(key)) this.schedule(doc, 0);
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.cancelPending(key);
    this.analyses.delete(key);
    this.skipped.delete(key);
    this.diagnostics.delete(uri);
  }

  /** Re-lints every open document (settings or a `.gradlintrc.json` changed). */
  relintAll(): void {
    this.analyses.clear();
    this.shownConfigErrors.clear();
    for (const doc of vscode.workspace.textDocuments) if (isModelLanguage(doc)) this.schedule(doc, 0);
  }

  /** The analysis of the document's current text, computed now if the last one is stale. */
  analysisFor(doc: vscode.TextDocument): Analysis | undefined {
    const cached = this.analyses.get(doc.uri.toString());
    if (cached && cached.version === doc.version && cached.prelude === notebookPrelude(doc)) return cached;
    const settings = readSettings(doc.uri);
    if (!settings.enable || skipReason(doc, settings)) return undefined;
    const analysis = this.analyse(doc, settings);
    this.analyses.set(doc.uri.toString(), analysis);
    return analysis;
  }

  /** Lints an open document at once and publishes; returns the number of findings. */
  lintNow(doc: vscode.TextDocument): number {
    const analysis = this.analysisFor(doc);
    if (!analysis) return 0;
    this.publish(doc, analysis);
    return analysis.diagnostics.length;
  }

  /** Lints a file that is not open (Lint workspace); returns the number of findings. */
  lintFile(uri: vscode.Uri, text: string, settings: Settings): number {
    const engine = this.engine();
    const analysis = engine.analyse(uri.fsPath, text, 0, settings);
    this.reportConfigErrors(analysis.configErrors);
    this.diagnostics.set(uri, engine.toVscodeDiagnostics(engine.positionedText(uri, text), analysis));
    this.log.appendLine(engine.describe(vscode.workspace.asRelativePath(uri), analysis));
    return analysis.diagnostics.length;
  }

  private analyse(doc: vscode.TextDocument, settings: Settings): Analysis {
    const analysis = this.engine().analyse(analysisPath(doc), doc.getText(), doc.version, settings, notebookPrelude(doc));
    this.reportConfigErrors(analysis.configErrors);
    return analysis;
  }

  private publish(doc: vscode.TextDocument, analysis: Analysis): void {
    this.analyses.set(doc.uri.toString(), analysis);
    this.diagnostics.set(doc.uri, this.engine().toVscodeDiagnostics(doc, analysis));
    this.log.appendLine(this.engine().describe(vscode.workspace.asRelativePath(doc.uri), analysis));
    this.changeEmitter.fire(doc.uri);
  }

  private reportSkip(doc: vscode.TextDocument, reason: SkipReason, previous: SkipReason | undefined): void {
    const name = vscode.workspace.asRelativePath(doc.uri);
    this.log.appendLine(`Skipped ${name}: ${reason.message}.`);
    // A model file left alone for its size would otherwise look healthy; said once, not on
    // every edit that changes its size.
    if (reason.kind !== 'too-large' || previous?.kind === 'too-large') return;
    void vscode.window.showInformationMessage(`Gradlint: ${name} is not analysed: ${reason.message}.`, OPEN_SETTING).then((choice) => {
      if (choice === OPEN_SETTING) void vscode.commands.executeCommand('workbench.action.openSettings', SIZE_SETTING);
    });
  }

  /** Settings problems are logged, and shown once each. */
  private reportConfigErrors(errors: string[]): void {
    for (const error of errors) {
      if (this.shownConfigErrors.has(error)) continue;
      this.shownConfigErrors.add(error);
      this.log.appendLine(`Settings: ${error}`);
      void vscode.window.showWarningMessage(`Gradlint: ${error}`);
    }
  }

  private async lint(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<void> {
    // Let change events that are already queued arrive first: they cancel this run.
    await new Promise((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested || doc.isClosed) return;
    const key = doc.uri.toString();
    const settings = readSettings(doc.uri);
    const reason: SkipReason | undefined = !settings.enable ? { kind: 'disabled', message: 'gradlint.enable is off' } : skipReason(doc, settings);
    if (reason) {
      const previous = this.skipped.get(key);
      if (previous?.message !== reason.message) this.reportSkip(doc, reason, previous);
      this.skipped.set(key, reason);
      this.analyses.delete(key);
      this.diagnostics.delete(doc.uri);
      this.changeEmitter.fire(doc.uri);
      return;
    }
    this.skipped.delete(key);
    const version = doc.version;
    const cached = this.analyses.get(key);
    const analysis = cached && cached.version === version && cached.prelude === notebookPrelude(doc) ? cached : this.analyse(doc, settings);
    // A result for a version that is no longer current would put squiggles in the wrong places.
    if (token.isCancellationRequested || doc.isClosed || doc.version !== version) return;
    this.publish(doc, analysis);
  }

  private cancelPending(key: string): void {
    const previous = this.pending.get(key);
    if (!previous) return;
    clearTimeout(previous.timer);
    previous.cancel.cancel();
    this.pending.delete(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancelPending(key);
    this.diagnostics.dispose();
    this.changeEmitter.dispose();
  }
}
