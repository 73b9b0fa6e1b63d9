import type { Command } from 'commander';

export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description('Run the language server (what the VS Code extension runs) for any LSP editor, over stdin/stdout.')
    .requiredOption('--stdio', 'speak LSP over stdin/stdout (the only transport)')
    .action(async () => {
      // Loaded here: the other commands do not pay for the LSP libraries.
      const { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
      const { startServer } = await import('../../server/server');
      startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)));
    });
}
