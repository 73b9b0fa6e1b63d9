// The dependency direction of DEVELOPERS.md: extension/cli → lint → rules → core. The core
// knows no rule, no probe and no editor; the rules know no linter binding or front-end glue.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';

const SRC = path.join(__dirname, '../../src');

/** The src/ folders (or 'vscode') each file under `folder` imports; `module` is the file imported, relative to src/. */
function importsOf(folder: string): { file: string; target: string; module?: string }[] {
  return fg.sync(`${folder}/**/*.ts`, { cwd: SRC, ignore: ['**/*.test.ts'] }).flatMap((rel) => {
    const text = fs.readFileSync(path.join(SRC, rel), 'utf8');
    return [...text.matchAll(/(?:from|import\(?)\s*'([^']+)'/g)].map((m) => {
      const spec = m[1];
      if (!spec.startsWith('.')) return { file: rel, target: spec };
      const resolved = path.relative(SRC, path.resolve(path.dirname(path.join(SRC, rel)), spec));
      return { file: rel, target: resolved.split(path.sep)[0], module: resolved.split(path.sep).join('/') };
    });
  });
}

describe('layering', () => {
  it('src/core imports nothing from src/rules, src/lint, src/probe, the CLI or the extension, nor vscode', () => {
    const bad = importsOf('core').filter(({ target }) => ['rules', 'lint', 'probe', 'cli', 'extension', 'vscode'].includes(target));
    assert.deepEqual(bad, []);
  });

  it('src/rules imports only the core (and itself)', () => {
    const bad = importsOf('rules').filter(({ target }) => ['lint', 'probe', 'cli', 'extension', 'vscode'].includes(target));
    assert.deepEqual(bad, []);
  });

  it('the language server knows no editor: src/server imports nothing from the extension, the CLI or vscode', () => {
    const bad = importsOf('server').filter(({ target }) => ['extension', 'cli', 'vscode'].includes(target));
    assert.deepEqual(bad, []);
  });

  it('the extension takes only the protocol from the server, never the analysis (it runs in the server process)', () => {
    const bad = importsOf('extension').filter(({ target, module }) => ['lint', 'rules'].includes(target) || (target === 'server' && module !== 'server/protocol'));
    assert.deepEqual(bad, []);
  });
});
