// The server's live linting: the latest analysis (or the reason it was skipped) per open
// document, linted on open and (debounced) on change, published as diagnostics. Only a
// document whose text changed is analysed again; a result for a version that is no longer
// current is dropped. Before each analysis the client is told which document it is about,
// so that a watchdog outside this process can kill it when the analysis hangs. Each open
// document keeps a LintCache: an edit re-analyses only the models it changed. The files a
// tfjs model imports are read from their open editors when they are open (unsaved text
// included), and a change there lints the open documents that import them again.
import * as path from 'path';
import { fileURLToPath } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import { SETTINGS_FILE_NAMES } from '../core/config';
import type { ReadFile } from '../core/tfjs/modules';
import { LintCache, readProjectFile } from '../lint/index';
import { analyse, describe, type Analysis } from './analysis';
import { toLspDiagnostic } from './convert';
import { documentTarget } from './documentPath';
import { ANALYSED, ANALYSING, CELL_PRELUDE, SKIPPED, type AnalysingParams, type SkippedParams, type SkipReason } from './protocol';
import { DEFAULT_SETTINGS, lintSettings, type LintSettings } from './settings';

export type DocumentState = { version: number; analysis: Analysis; skip?: undefined } | { version: number; skip: SkipReason; analysis?: undefined };

export class ServerLinter {
  private readonly states = new Map<string, DocumentState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly settingsCache = new Map<string, Promise<LintSettings>>();
  private readonly shownConfigErrors = new Set<string>();
  /** Each open document's cache of its earlier lints. */
  private readonly caches = new Map<string, LintCache>();
  /** Documents (by URI) at the version that ran past the client's watchdog. */
  private readonly tooSlow = new Map<string, number>();
  /** Settings pushed by a client that cannot be asked (no workspace/configuration). */
  private pushedSettings: LintSettings = DEFAULT_SETTINGS;
  pullSettings = false;
  /** The client answers CELL_PRELUDE. */
  askPrelude = false;
  workspaceFolder: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /** A project file's text: its open editor's, unsaved changes included, else the disk's. */
  readonly readFile: ReadFile = (file) => {
    const open = this.documents.all().find((d) => filePathOf(d.uri) === file);
    return open ? open.getText() : readProjectFile(file);
  };

  markTooSlow(documents: AnalysingParams[]): void {
    for (const d of documents) this.tooSlow.set(d.uri, d.version);
  }

  settingsFor(uri: string): Promise<LintSettings> {
    if (!this.pullSettings) return Promise.resolve(this.pushedSettings);
    let settings = this.settingsCache.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'gradlint' }).then(lintSettings, () => DEFAULT_SETTINGS);
      this.settingsCache.set(uri, settings);
    }
    return settings;
  }

  /** Settings or a settings file changed: every open document is linted again. */
  settingsChanged(pushed?: unknown): void {
    if (pushed !== undefined) this.pushedSettings = lintSettings(pushed);
    this.settingsCache.clear();
    this.shownConfigErrors.clear();
    this.states.clear();
    for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
  }

  /**
   * Files changed on disk (the editor watches settings and model files): a settings file means
   * every document is linted again; any other file, the open documents that read it from the
   * disk (an import not open in an editor, or one that did not exist yet).
   */
  filesChanged(uris: string[]): void {
    if (uris.some((uri) => SETTINGS_FILE_NAMES.includes(path.basename(filePathOf(uri) ?? '')))) return this.settingsChanged();
    const open = new Set(this.documents.keys());
    this.relint([...new Set(uris.filter((uri) => !open.has(uri)).flatMap((uri) => this.dependants(uri)))]);
  }

  /** A document was opened (linted at once) or changed (debounced, or left for the save); so were those importing it. */
  async changed(doc: TextDocument, opened: boolean): Promise<void> {
    const settings = await this.settingsFor(doc.uri);
    for (const uri of [doc.uri, ...this.dependants(doc.uri)]) {
      if (uri !== doc.uri) this.states.delete(uri);
      if (opened) this.schedule(uri, 0);
      else if (settings.lintOnType) this.schedule(uri, settings.debounceMs);
      else this.cancel(uri);
    }
  }

  async saved(doc: TextDocument): Promise<void> {
    if (!(await this.settingsFor(doc.uri)).lintOnType) this.schedule(doc.uri, 0);
  }

  closed(uri: string): void {
    this.cancel(uri);
    this.states.delete(uri);
    this.caches.delete(uri);
    this.settingsCache.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    // Those importing it read it from the disk again.
    this.relint(this.dependants(uri));
  }

  /** The open documents whose last analysis read the file of `uri` (they import it). */
  private dependants(uri: string): string[] {
    const file = filePathOf(uri);
    if (!file) return [];
    return [...this.states].filter(([other, state]) => other !== uri && state.analysis?.imports.includes(file)).map(([other]) => other);
  }

  /** The analysis of the document's current text (or why there is none), computed now if the last one is stale. */
  async stateFor(doc: TextDocument): Promise<DocumentState> {
    const cached = this.states.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    return this.compute(doc, await this.settingsFor(doc.uri));
  }


  /** Lints a text under `uri`, open or not, without keeping the result (Lint workspace). */
  async lintText(uri: string, text: string): Promise<{ doc: TextDocument; state: DocumentState }> {
    const open = this.documents.get(uri);
    if (open && open.getText() === text) return { doc: open, state: await this.stateFor(open) };
    const doc = TextDocument.create(uri, '', 0, text);
    const settings = await this.settingsFor(uri);
    const target = documentTarget({ uri, text }, settings, this.workspaceFolder);
    return { doc, state: 'skip' in target ? { version: 0, skip: target.skip } : { version: 0, analysis: await this.run(doc, target.file, settings) } };
  }

  /** Documents whose reading changed without their text (a Python cell's prelude): read again. */
  relint(uris: string[]): void {
    for (const uri of uris) {
      this.states.delete(uri);
      if (this.documents.get(uri)) this.schedule(uri, 0);
    }
  }

  /** A Python notebook cell is read after the Python cells above it, which only the client knows. */
  private async preludeOf(doc: TextDocument): Promise<string | undefined> {
    if (!this.askPrelude || doc.languageId !== 'python' || !doc.uri.startsWith('vscode-notebook-cell:')) return undefined;
    return (await this.connection.sendRequest<string | null>(CELL_PRELUDE, { uri: doc.uri })) ?? undefined;
  }

  private async compute(doc: TextDocument, settings: LintSettings): Promise<DocumentState> {
    const slow = this.tooSlow.get(doc.uri) === doc.version;
    const prelude = await this.preludeOf(doc);
    const text = prelude ? `${prelude}\n${doc.getText()}` : doc.getText();
    const target = slow
      ? { skip: { kind: 'too-slow', message: 'its analysis ran past the watchdog; it is analysed again when it changes' } as SkipReason }
      : documentTarget({ uri: doc.uri, languageId: doc.languageId, text }, settings, this.workspaceFolder);
    const state: DocumentState =
      'skip' in target ? { version: doc.version, skip: target.skip } : { version: doc.version, analysis: await this.run(doc, target.file, settings, prelude, this.cacheFor(doc.uri)) };
    this.states.set(doc.uri, state);
    return state;
  }

  private cacheFor(uri: string): LintCache {
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new LintCache()));
    return cache;
  }

  private async run(doc: TextDocument, file: string, settings: LintSettings, prelude?: string, cache?: LintCache): Promise<Analysis> {
    const about: AnalysingParams = { uri: doc.uri, version: doc.version };
    // Awaited: the message is written out before the analysis holds this process.
    await this.connection.sendNotification(ANALYSING, about);
    const analysis = analyse(file, doc.getText(), doc.version, settings, { prelude, readFile: this.readFile, cache });
    void this.connection.sendNotification(ANALYSED, about);
    this.reportConfigErrors(analysis.configErrors);
    this.connection.console.log(describe(doc.uri, analysis));
    return analysis;
  }

  private schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    // Even at 0, a timer: change notifications already queued arrive first and replace it.
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.lint(uri).catch((err: unknown) => this.connection.console.error(`Linting ${uri} failed: ${err instanceof Error ? err.stack : String(err)}`));
      }, delayMs),
    );
  }

  private cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  private async lint(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const previous = this.states.get(uri);
    const state = await this.stateFor(doc);
    // A result for a version that is no longer current would put squiggles in the wrong places.
    if (this.documents.get(uri)?.version !== version) return;
    if (state.skip && previous?.skip?.message !== state.skip.message) this.connection.console.log(`Skipped ${uri}: ${state.skip.message}.`);
    void this.connection.sendNotification(SKIPPED, { uri, reason: state.skip } satisfies SkippedParams);
    const diagnostics = state.analysis ? state.analysis.diagnostics.map((d) => toLspDiagnostic(doc, d)) : [];
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** Settings problems are logged, and shown once each. */
  private reportConfigErrors(errors: string[]): void {
    for (const error of errors) {
      if (this.shownConfigErrors.has(error)) continue;
      this.shownConfigErrors.add(error);
      this.connection.console.warn(`Settings: ${error}`);
      void this.connection.window.showWarningMessage(`Gradlint: ${error}`);
    }
  }
}

/** The local path of a file URI; undefined for other schemes (untitled documents, notebook cells). */
function filePathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}
