import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../lib/tempTree';
import { root } from './gradlint';

describe('the gradlint command', () => {
  it('keeps the compiled CLI in $XDG_CACHE_HOME/gradlint and prints the same from the cache', () => {
    const cacheHome = tempDir('xdg-cache');
    const run = () =>
      spawnSync(process.execPath, [path.join(root, 'bin/gradlint.js'), 'lint', 'examples/rules/saturating-stack.js'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, XDG_CACHE_HOME: cacheHome },
      });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /saturating-stack/);
    const cached = fs.readdirSync(path.join(cacheHome, 'gradlint'));
    assert.equal(cached.length, 1);
    assert.match(cached[0], /^cli\.js\.[0-9a-f]{40}\.v8-cache$/);
    const second = run();
    assert.deepEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr]);
  });
});
