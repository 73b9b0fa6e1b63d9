// The extension's side of the language server (src/server, dist/server.js): starts it as a
// child process and relays. The analysis never runs in the extension host, so a file that
// makes it slow cannot freeze the editor; the watchdog kills a server whose analysis runs
// past gradlint.watchdogMs, reports the file, and restarts the server without that file
// (until it changes). Diagnostics follow the tabs: a file's go when its last tab closes.
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, type CloseHandlerResult, type LanguageClientOptions } from 'vscode-languageclient/node';
import { SETTINGS_FILE_NAMES } from '../core/config';
import { MODEL_FILE_GLOB } from '../core/modelFiles';
import { cellsAfter, documentsInTabs, MODEL_SELECTOR, notebookPrelude } from './documents';
import {
  ANALYSED,
  ANALYSING,
  CELL_PRELUDE,
  LINT_FILE,
  PROBE_CONTEXT,
  RELINT,
  SKIPPED,
  type AnalysingParams,
  type InitializationOptions,
  type LintFileResult,
  type ProbeContext,
  type SkipReason,
  type SkippedParams,
} from '../server/protocol';

const SERVER_BUNDLE = 'server.js';
const OPEN_SETTING = 'Open Setting';
const SIZE_SETTING = 'gradlint.maxFileSizeKiB';
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

export class GradlintClient implements vscode.Disposable {
  private readonly client: LanguageClient;
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were published (or cleared because it is left alone). */
  readonly onDidLint = this.changeEmitter.event;
  /** The latest diagnostics of each document, kept while no tab shows it. */
  private readonly published = new Map<string, vscode.Diagnostic[]>();
  private readonly skipped = new Map<string, SkipReason>();
  private readonly tooSlow: AnalysingParams[] = [];
  private server: ChildProcess | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private restarting = false;
  private crashes: number[] = [];

  constructor(private readonly log: vscode.OutputChannel) {
    const options: LanguageClientOptions = {
      documentSelector: MODEL_SELECTOR as LanguageClientOptions['documentSelector'],
      outputChannel: log,
      // Evaluated at every start: a restarted server learns which documents hung the last one.
      initializationOptions: (): InitializationOptions => ({ tooSlow: [...this.tooSlow], probeCodeLens: true, cellPrelude: true }),
      // Settings files, and model files a document may import from the disk without an editor.
      synchronize: { fileEvents: [vscode.workspace.createFileSystemWatcher(`**/{${SETTINGS_FILE_NAMES.join(',')}}`), vscode.workspace.createFileSystemWatcher(MODEL_FILE_GLOB)] },
      middleware: { handleDiagnostics: (uri, diagnostics) => this.received(uri, diagnostics) },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => this.closed(),
      },
    };
    this.client = new LanguageClient('gradlint', 'Gradlint', () => Promise.resolve(this.startServer()), options);
    this.client.onNotification(ANALYSING, (p: AnalysingParams) => this.startWatchdog(p));
    this.client.onNotification(ANALYSED, () => this.stopWatchdog());
    this.client.onNotification(SKIPPED, (p: SkippedParams) => this.onSkipped(p));
    this.client.onRequest(CELL_PRELUDE, ({ uri }: { uri: string }) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      return (doc && notebookPrelude(doc)) ?? null;
    });
  }

  /** A Python cell changed: the cells below it read it first, so they are read again. */
  onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const later = cellsAfter(event.document).map((d) => d.uri.toString());
    if (later.length) void this.client.sendNotification(RELINT, { uris: later });
  }

  start(): Promise<void> {
    return this.client.start();
  }

  /** The server, spawned on the extension host's own Node (as the probe is). */
  private startServer(): ChildProcess {
    this.restarting = false;
    const child = spawn(process.execPath, [path.join(__dirname, SERVER_BUNDLE), '--stdio', `--clientProcessId=${process.pid}`], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: 'pipe',
    });
    this.server = child;
    return child;
  }

  /** The watchdog's kill: start again (it named the file). A crash: again, unless it keeps crashing. */
  private closed(): CloseHandlerResult {
    if (this.restarting) return { action: CloseAction.Restart, handled: true };
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length > MAX_CRASHES) return { action: CloseAction.DoNotRestart, message: `The gradlint server crashed ${this.crashes.length} times in 3 minutes; it is not restarted.` };
    return { action: CloseAction.Restart };
  }

  private startWatchdog(about: AnalysingParams): void {
    this.stopWatchdog();
    const ms = Math.max(100, vscode.workspace.getConfiguration('gradlint').get<number>('watchdogMs', 10_000));
    this.watchdog = setTimeout(() => this.hung(about, ms), ms);
  }

  private stopWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  /** The server is stuck in one analysis: kill it; the client restarts it without that document. */
  private hung(about: AnalysingParams, ms: number): void {
    this.watchdog = undefined;
    this.tooSlow.push(about);
    const name = vscode.workspace.asRelativePath(vscode.Uri.parse(about.uri));
    this.log.appendLine(`Analysing ${name} took longer than ${ms} ms: the analyser is restarted, and ${name} is left alone until it changes.`);
    void vscode.window.showWarningMessage(`Gradlint: analysing ${name} took longer than gradlint.watchdogMs (${ms} ms); it is left alone until it changes.`);
    this.restarting = true;
    this.server?.kill('SIGKILL');
  }

  private onSkipped({ uri, reason }: SkippedParams): void {
    const previous = this.skipped.get(uri);
    if (reason) this.skipped.set(uri, reason);
    else this.skipped.delete(uri);
    // A model file left alone for its size would otherwise look healthy; said once, not on
    // every edit that changes its size.
    if (reason?.kind !== 'too-large' || previous?.kind === 'too-large') return;
    const name = vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
    void vscode.window.showInformationMessage(`Gradlint: ${name} is not analysed: ${reason.message}.`, OPEN_SETTING).then((choice) => {
      if (choice === OPEN_SETTING) void vscode.commands.executeCommand('workbench.action.openSettings', SIZE_SETTING);
    });
  }

  /** Why the server leaves a document alone, if it said so. */
  skipReason(uri: vscode.Uri): SkipReason | undefined {
    return this.skipped.get(uri.toString());
  }

  private received(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    const key = uri.toString();
    this.published.set(key, diagnostics);
    if (documentsInTabs().has(key)) this.collection()?.set(uri, diagnostics);
    else this.collection()?.delete(uri);
    this.changeEmitter.fire(uri);
  }

  private collection(): vscode.DiagnosticCollection | undefined {
    return this.client.diagnostics;
  }

  /**
   * Tabs opened, closed or replaced. VS Code keeps a document open for a while after its last
   * tab closes (its close comes much later), so squiggles are cleared when no tab shows it, as
   * the TypeScript extension does, and come back when a tab shows it again.
   */
  onTabsChanged(): void {
    const shown = documentsInTabs();
    for (const doc of vscode.workspace.textDocuments) {
      const key = doc.uri.toString();
      const latest = this.published.get(key);
      if (!latest) continue;
      if (!shown.has(key)) this.collection()?.delete(doc.uri);
      else if (!this.collection()?.has(doc.uri)) {
        this.collection()?.set(doc.uri, latest);
        this.changeEmitter.fire(doc.uri);
      }
    }
  }

  /** Lints a file, open or not (Lint workspace); its findings are kept like an open document's. */
  async lintFile(uri: vscode.Uri, text: string): Promise<{ findings: number; skipped?: SkipReason }> {
    const result = await this.client.sendRequest<LintFileResult>(LINT_FILE, { uri: uri.toString(), text });
    if (result.skipped) return { findings: 0, skipped: result.skipped };
    const diagnostics = await this.client.protocol2CodeConverter.asDiagnostics(result.diagnostics as never);
    this.published.set(uri.toString(), diagnostics);
    this.collection()?.set(uri, diagnostics);
    return { findings: diagnostics.length };
  }

  /** What the probe needs of the document's current analysis; undefined when it is not analysed. */
  async probeContext(doc: vscode.TextDocument): Promise<ProbeContext | undefined> {
    return (await this.client.sendRequest<ProbeContext | null>(PROBE_CONTEXT, { uri: doc.uri.toString() })) ?? undefined;
  }

  dispose(): void {
    this.stopWatchdog();
    this.changeEmitter.dispose();
    void this.client.stop();
  }
}
