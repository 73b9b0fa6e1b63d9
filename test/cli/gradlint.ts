// Runs the built command line (dist/cli.js, which `npm test` and `npm run test:cli` build
// first) as a user would: a node process of its own, its exit code, stdout and stderr.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const root = path.join(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `gradlint ARGS...` in the folder `cwd`. */
export function gradlintIn(cwd: string, ...args: string[]): Run {
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm run test:cli does)`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `gradlint ARGS...` in the repository's root. */
export const gradlint = (...args: string[]): Run => gradlintIn(root, ...args);
