import { Command } from 'commander';
import { registerEstimate } from './commands/estimate';
import { registerGraph } from './commands/graph';
import { registerLint } from './commands/lint';
import { registerLsp } from './commands/lsp';
import { registerProbe } from './commands/probe';

const program = new Command('gradlint')
  .description('Catches vanishing and exploding gradients in model definitions.')
  .showHelpAfterError()
  // Usage errors exit 2, like ESLint.
  .exitOverride((err) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
    process.exit(2);
  });

// A reader that stops early (`gradlint graph dir/ | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 2));

registerEstimate(program);
registerGraph(program);
registerLint(program);
registerLsp(program);
registerProbe(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`gradlint: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
