// gradlint's language server: diagnostics, quick fixes, suppression comments,
// source.fixAll.gradlint, the estimate on hover and the "Probe gradients" CodeLens, over LSP.
// The VS Code extension starts it as a child process (dist/server.js); `gradlint lsp --stdio`
// serves any other LSP editor with the same code.
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type Connection,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { fileURLToPath } from 'url';
import { estimateToResult } from '../core/estimate/report';
import { healthThresholds, traitsOf } from '../core/judge';
import { PARSE_ERROR_RULE } from '../core/rule';
import { disableCommentEdit } from '../core/suppress';
import { fixAllText } from './analysis';
import { coreDiagnosticFor, editAction, FIX_ALL_KIND, minimalEdit, quickFix, toLspDiagnostic } from './convert';
import { hoverMarkdown } from './hoverText';
import { ServerLinter } from './linter';
import {
  LINT_FILE,
  PROBE_COMMAND,
  PROBE_CONTEXT,
  RELINT,
  type InitializationOptions,
  type LintFileParams,
  type LintFileResult,
  type ProbeContext,
} from './protocol';

/** Whether `kind` is among the kinds asked for (or all are), by LSP's hierarchical kinds. */
function wanted(kind: string, only: string[] | undefined): boolean {
  return !only || only.some((k) => k === kind || kind.startsWith(`${k}.`) || k.startsWith(`${kind}.`));
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const linter = new ServerLinter(connection, documents);
  let options: InitializationOptions = {};
  let registerConfiguration = false;
  const opened = new Set<string>();

  connection.onInitialize((params): InitializeResult => {
    options = (params.initializationOptions ?? {}) as InitializationOptions;
    linter.markTooSlow(options.tooSlow ?? []);
    linter.askPrelude = options.cellPrelude === true;
    linter.pullSettings = params.capabilities.workspace?.configuration === true;
    registerConfiguration = linter.pullSettings && params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    linter.workspaceFolder = folder?.startsWith('file:') ? fileURLToPath(folder) : undefined;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        // Only for a client that can run the probe (the VS Code extension).
        ...(options.probeCodeLens ? { codeLensProvider: { resolveProvider: false } } : {}),
      },
      serverInfo: { name: 'gradlint' },
    };
  });

  connection.onInitialized(() => {
    // A client that is asked for settings is told to say when they change (where it can be told).
    if (registerConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'gradlint' }).catch((err) => connection.console.error(`Could not register for settings changes: ${err}`));
    }
  });

  connection.onDidChangeConfiguration((params) => linter.settingsChanged(linter.pullSettings ? undefined : (params.settings as Record<string, unknown> | undefined)?.gradlint ?? {}));
  connection.onDidChangeWatchedFiles(({ changes }) => linter.filesChanged(changes.map((c) => c.uri)));

  documents.onDidChangeContent(({ document }) => {
    const first = !opened.has(document.uri);
    opened.add(document.uri);
    void linter.changed(document, first);
  });
  documents.onDidSave(({ document }) => void linter.saved(document));
  documents.onDidClose(({ document }) => {
    opened.delete(document.uri);
    linter.closed(document.uri);
  });

  /** The current analysis of an open document, if it has one and it is still current. */
  async function analysisOf(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const state = await linter.stateFor(doc);
    return state.analysis && doc.version === state.version ? { doc, analysis: state.analysis } : undefined;
  }

  connection.onCodeAction(async ({ textDocument, context }: CodeActionParams): Promise<CodeAction[]> => {
    const found = await analysisOf(textDocument.uri);
    if (!found) return [];
    const { doc, analysis } = found;
    const actions: CodeAction[] = [];
    if (wanted(CodeActionKind.QuickFix, context.only)) {
      for (const diagnostic of context.diagnostics) {
        const core = coreDiagnosticFor(doc, analysis.diagnostics, diagnostic);
        if (!core) continue;
        for (const fix of core.fixes) actions.push(quickFix(doc, fix, diagnostic));
        // A file that cannot be read is fixed, not silenced.
        if (core.ruleId === PARSE_ERROR_RULE.id) continue;
        for (const scope of ['line', 'file'] as const) {
          const edit = disableCommentEdit(analysis.file, analysis.text, core.ruleId, scope, doc.positionAt(core.range.start).line);
          if (edit) actions.push(editAction(doc, `Disable ${core.ruleId} for this ${scope}`, edit, CodeActionKind.QuickFix, diagnostic));
        }
      }
    }
    // Only when asked for (source actions, fix-all on save): it rewrites the whole file.
    if (context.only && wanted(FIX_ALL_KIND, context.only)) {
      const edit = minimalEdit(analysis.text, fixAllText(analysis, await linter.settingsFor(doc.uri), linter.readFile));
      if (edit) actions.push(editAction(doc, 'Fix all gradlint problems (preferred fixes)', edit, FIX_ALL_KIND));
    }
    return actions;
  });

  connection.onHover(async ({ textDocument, position }): Promise<Hover | null> => {
    const found = await analysisOf(textDocument.uri);
    const text = found && hoverMarkdown(found.analysis.estimates, found.doc.offsetAt(position));
    return text ? { contents: { kind: 'markdown', value: text } } : null;
  });

  connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
    const found = await analysisOf(textDocument.uri);
    if (!found) return [];
    return found.analysis.models.map((model) => {
      const at = found.doc.positionAt(model.range.start);
      return { range: { start: at, end: at }, command: { title: 'Probe gradients', command: PROBE_COMMAND, arguments: [textDocument.uri, model.name] } };
    });
  });

  connection.onRequest(LINT_FILE, async ({ uri, text }: LintFileParams): Promise<LintFileResult> => {
    const { doc, state } = await linter.lintText(uri, text);
    if (state.skip) return { skipped: state.skip, diagnostics: [] };
    return { diagnostics: state.analysis.diagnostics.map((d) => toLspDiagnostic(doc, d)) };
  });

  connection.onNotification(RELINT, ({ uris }: { uris: string[] }) => linter.relint(uris));

  connection.onRequest(PROBE_CONTEXT, async ({ uri }: { uri: string }): Promise<ProbeContext | null> => {
    const found = await analysisOf(uri);
    if (!found) return null;
    const { analysis } = found;
    const settings = await linter.settingsFor(uri);
    return {
      file: analysis.file,
      version: analysis.version,
      yoloScale: settings.yoloScale,
      yoloDialect: settings.yoloDialect,
      models: analysis.models.map((m) => ({
        name: m.name,
        range: m.range,
        layers: m.layers.map((l) => ({ name: l.name, range: l.range })),
        ...(m.rows ? { rows: m.rows.map((r) => ({ range: r.range })) } : {}),
      })),
      estimates: Object.fromEntries(analysis.estimates.map((e) => [e.model.name, estimateToResult(e)])),
      judgement: healthThresholds(analysis.thresholds),
      traits: Object.fromEntries(analysis.estimates.map((e) => [e.model.name, traitsOf(e)])),
      ...(analysis.prelude !== undefined ? { graphs: analysis.models } : {}),
    };
  });

  documents.listen(connection);
  connection.listen();
}
