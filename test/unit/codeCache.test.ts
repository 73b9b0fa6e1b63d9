import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadWithCodeCache } from '../../src/codeCache';
import { tempDir } from '../lib/tempTree';

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
