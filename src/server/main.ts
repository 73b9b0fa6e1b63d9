// dist/server.js: the language server as the VS Code extension starts it (node IPC), or over
// stdio with `--stdio` (what `gradlint lsp --stdio` runs).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The transport comes from the command line: --node-ipc, --stdio or --socket=N.
startServer(createConnection(ProposedFeatures.all));
