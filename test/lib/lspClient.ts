// A real LSP client (vscode-languageserver-protocol) driving gradlint's language server over a
// child process's stdin/stdout, as Neovim or any LSP editor does: the CLI's LSP tests and the
// server bench share it.
import { spawn, type ChildProcess } from 'child_process';
import { pathToFileURL } from 'url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export interface LspSession {
  connection: ProtocolConnection;
  server: ChildProcess;
  initialized: InitializeResult;
  /** Resolves with the next diagnostics published that `accept` takes. */
  published(accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Shuts the server down as an editor does, and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` (the server over stdio) and initialises it for the workspace folder
 * `folder`; `settings` answers every workspace/configuration request.
 */
export async function startLspServer(args: string[], folder: string, settings: Record<string, unknown> = {}): Promise<LspSession> {
  const server = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const waiting: { accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const i = waiting.findIndex((w) => w.accept(p));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(p);
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => settings));
  connection.listen();
  const folderUri = pathToFileURL(folder).href;
  const initialized = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'workspace' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    server,
    initialized,
    published: (accept) => new Promise((resolve) => waiting.push({ accept, resolve })),
    stop: async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
    },
  };
}
