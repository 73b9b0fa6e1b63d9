import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadWithCodeCache } from '../../src/codeCache';
import { tempDir } from './tempTree';

/** A bundle that uses what CommonJS gives a module: require (relative and built-in), module, __filename. */
function bundle(dir: string, answer: number): string {
  fs.writeFileSync(path.join(dir, 'helper.js'), 'module.exports = (x) => x * 2;\n');
  const file = path.join(dir, 'bundle.js');
  fs.writeFileSync(
    file,
    `const double = require('./helper');\nconst path = require('path');\nmodule.exports = { answer: double(${answer / 2}), name: path.basename(__filename), dir: __dirname };\n`,
  );
  return file;
}

describe('loading a bundle with a V8 code cache', () => {
  it('loads as require does, writes the cache once, then compiles from it', () => {
    const file = bundle(tempDir('bundle'), 42);
    const cache = tempDir('code-cache');
    const first = loadWithCodeCache(file, cache);
    assert.deepEqual(first.exports, { answer: 42, name: 'bundle.js', dir: path.dirname(file) });
    assert.equal(first.cache, 'written');
    assert.deepEqual(fs.readdirSync(cache).length, 1);
    const second = loadWithCodeCache(file, cache);
    assert.equal(second.cache, 'used');
    assert.deepEqual(second.exports, first.exports);
  });

  it('never runs the cache of other source of the same length (an updated extension): writes a new one in its place', () => {
    const dir = tempDir('bundle');
    const cache = tempDir('code-cache');
    loadWithCodeCache(bundle(dir, 42), cache);
    const updated = loadWithCodeCache(bundle(dir, 44), cache);
    assert.equal((updated.exports as { answer: number }).answer, 44);
    assert.equal(updated.cache, 'written');
    assert.equal(fs.readdirSync(cache).length, 1, 'the old cache is removed');
  });

  it('still loads when the cache cannot be saved', () => {
    const notADir = path.join(tempDir('code-cache'), 'file');
    fs.writeFileSync(notADir, '');
    const loaded = loadWithCodeCache(bundle(tempDir('bundle'), 42), notADir);
    assert.equal(loaded.cache, 'unsaved');
    assert.equal((loaded.exports as { answer: number }).answer, 42);
  });
});

describe('the gradlint command', () => {
  it('keeps the compiled CLI in $XDG_CACHE_HOME/gradlint and prints the same from the cache', () => {
    const root = path.join(__dirname, '../..');
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
