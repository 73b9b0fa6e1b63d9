// `gradlint lsp --stdio` driven by a real LSP client (vscode-languageserver-protocol over the
// process's stdin/stdout), as Neovim or any other LSP editor drives it.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { blocksSource, MAIN_SOURCE } from '../lib/importedBlocks';
import { startLspServer, type LspSession } from '../lib/lspClient';
import { root } from './gradlint';

const cli = path.join(root, 'dist/cli.js');
const fixture = path.join(root, 'test/fixtures/workspace/sigmoid-mlp.js');
const uri = pathToFileURL(fixture).href;
const text = fs.readFileSync(fixture, 'utf8');

interface Session extends LspSession {
  /** The next diagnostics published that `accept` takes (by default: the fixture's). */
  diagnostics(accept?: (p: PublishDiagnosticsParams) => boolean): Promise<Diagnostic[]>;
}

/** `gradlint lsp --stdio` in the fixture's folder; `settings` answers workspace/configuration. */
async function start(settings: Record<string, unknown> = {}): Promise<Session> {
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm run test:cli does)`);
  const session = await startLspServer([cli, 'lsp', '--stdio'], path.dirname(fixture), settings);
  return { ...session, diagnostics: (accept = (p) => p.uri === uri) => session.published(accept).then((p) => p.diagnostics) };
}

const stop = (s: Session) => s.stop();

const open = (s: Session) =>
  s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text } });

const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

describe('gradlint lsp --stdio', function () {
  this.timeout(30_000);

  it('publishes the findings of an opened model file, offers its quick fixes and the estimate on hover', async () => {
    const s = await start();
    try {
      assert.equal(s.initialized.serverInfo?.name, 'gradlint');
      assert.equal(s.initialized.capabilities.hoverProvider, true);
      const published = s.diagnostics();
      await open(s);
      const ds = await published;
      const vanishing = ds.find((d) => d.code === 'vanishing-gradient');
      assert.ok(vanishing, `vanishing-gradient among ${ds.map((d) => d.code).join(', ')}`);
      assert.equal(vanishing.source, 'gradlint');
      assert.equal(vanishing.severity, 2, 'a warning');
      assert.match(vanishing.message, /^Vanishing gradient in model/);
      assert.match(vanishing.codeDescription?.href ?? '', /src\/rules\/vanishing-gradient\/README\.md$/);
      const first = lineOf("activation: 'sigmoid', inputShape");
      assert.deepEqual(vanishing.range.start, { line: first, character: text.split('\n')[first].indexOf("'sigmoid'") });
      assert.ok((vanishing.relatedInformation?.length ?? 0) >= 2, 'the layers involved as related information');

      const actions = (await s.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: vanishing.range,
        context: { diagnostics: [vanishing], only: ['quickfix'] },
      })) as CodeAction[];
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Disable vanishing-gradient for this line'), titles.join(' | '));
      assert.equal(actions.filter((a) => a.isPreferred).length, 1, titles.join(' | '));
      const disable = actions.find((a) => a.title === 'Disable vanishing-gradient for this line')!;
      assert.deepEqual(disable.edit?.changes?.[uri]?.map((e) => e.newText), ['// gradlint-disable-next-line vanishing-gradient\n']);

      const hover = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: first, character: text.split('\n')[first].indexOf('dense') } });
      const markdown = (hover?.contents as MarkupContent).value;
      assert.match(markdown, /`dense_1` \(dense\) in model `model`/);
      assert.match(markdown, /kernel gradient RMS/);
    } finally {
      await stop(s);
    }
  });

  it('lints a changed document again, and reads the settings the editor sends', async () => {
    const s = await start({ rules: { 'vanishing-gradient': 'error' }, debounceMs: 0 });
    try {
      const published = s.diagnostics();
      await open(s);
      assert.equal((await published).find((d) => d.code === 'vanishing-gradient')?.severity, 1, 'an error, as the settings say');
      // Every sigmoid becomes relu: the gradient no longer vanishes.
      const healed = s.diagnostics((p) => p.uri === uri && p.version === 2);
      await s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: text.replaceAll("'sigmoid'", "'relu'") }],
      });
      const after = await healed;
      assert.ok(!after.some((d) => d.code === 'vanishing-gradient'), after.map((d) => d.code).join(', '));
    } finally {
      await stop(s);
    }
  });

  it('reads an imported file from its open editor, unsaved text included, and lints the importing document again when it changes', async () => {
    // On disk the imported layers are relu; the editor's unsaved text makes them sigmoid.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlint-lsp-imports-'));
    fs.writeFileSync(path.join(dir, 'blocks.js'), blocksSource('relu'));
    fs.writeFileSync(path.join(dir, 'main.js'), MAIN_SOURCE);
    const mainUri = pathToFileURL(path.join(dir, 'main.js')).href;
    const blocksUri = pathToFileURL(path.join(dir, 'blocks.js')).href;
    const s = await start({ debounceMs: 0 });
    const vanishing = (vanishes: boolean) => (p: PublishDiagnosticsParams) => p.uri === mainUri && p.diagnostics.some((d) => d.code === 'vanishing-gradient') === vanishes;
    const openBlocks = (version: number, text: string) =>
      s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: blocksUri, languageId: 'javascript', version, text } });
    try {
      const fromDisk = s.diagnostics((p) => p.uri === mainUri);
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: mainUri, languageId: 'javascript', version: 1, text: MAIN_SOURCE } });
      assert.ok(!(await fromDisk).some((d) => d.code === 'vanishing-gradient'), 'relu layers from the disk: no vanishing gradient');

      let published = s.diagnostics(vanishing(true));
      await openBlocks(1, blocksSource('sigmoid'));
      await published;

      published = s.diagnostics(vanishing(false));
      await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: blocksUri } });
      await published;

      await openBlocks(2, blocksSource('relu'));
      published = s.diagnostics(vanishing(true));
      await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: blocksUri, version: 3 }, contentChanges: [{ text: blocksSource('sigmoid') }] });
      await published;
    } finally {
      await stop(s);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lints the importing document again when an imported file without an editor is created or changed on disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlint-lsp-watched-'));
    const blocksFile = path.join(dir, 'blocks.js');
    const mainUri = pathToFileURL(path.join(dir, 'main.js')).href;
    const blocksUri = pathToFileURL(blocksFile).href;
    fs.writeFileSync(path.join(dir, 'main.js'), MAIN_SOURCE);
    const s = await start({ debounceMs: 0 });
    const vanishing = (vanishes: boolean) => (p: PublishDiagnosticsParams) => p.uri === mainUri && p.diagnostics.some((d) => d.code === 'vanishing-gradient') === vanishes;
    const onDisk = async (activation: string, type: FileChangeType) => {
      fs.writeFileSync(blocksFile, blocksSource(activation));
      await s.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: blocksUri, type }] });
    };
    try {
      // blocks.js does not exist yet: one sigmoid layer and the output, not vanishing.
      let published = s.diagnostics(vanishing(false));
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: mainUri, languageId: 'javascript', version: 1, text: MAIN_SOURCE } });
      await published;

      published = s.diagnostics(vanishing(true));
      await onDisk('sigmoid', FileChangeType.Created);
      await published;

      published = s.diagnostics(vanishing(false));
      await onDisk('relu', FileChangeType.Changed);
      await published;
    } finally {
      await stop(s);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
