import type { Command } from 'commander';

// Placeholder until `graph` lands.
export function registerGraph(program: Command): void {
  program.command('graph').description('List the models and layers found in files.');
}
