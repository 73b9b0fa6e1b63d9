// Loads a CommonJS bundle as `require` would, with a V8 code cache in a folder of ours. The
// extension's core (dist/engine.js) and the command line (dist/cli.js) are 11 MB each, mostly
// the TypeScript parser, and compiling them is most of a window's wait for its first
// diagnostics and of a short `gradlint lint`. V8 rejects a cache from another V8, but checks
// the source only by its length: the cache is therefore named by a hash of the source, so an
// updated gradlint never runs the old code. Shared by the extension and the CLI's launcher.
import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

export interface Loaded {
  exports: unknown;
  /** 'used': compiled from the cache; 'written': compiled from source, cache saved; 'unsaved': the folder was not writable. */
  cache: 'used' | 'written' | 'unsaved';
}

export function loadWithCodeCache(file: string, cacheDir: string): Loaded {
  const source = fs.readFileSync(file, 'utf8');
  const prefix = `${path.basename(file)}.`;
  const cacheFile = path.join(cacheDir, `${prefix}${createHash('sha1').update(source).digest('hex')}.v8-cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // No cache yet.
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  const dir = path.dirname(file);
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dir);
  mod.loaded = true;
  if (cachedData && !script.cachedDataRejected) return { exports: mod.exports, cache: 'used' };
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const old of fs.readdirSync(cacheDir)) {
      if (old.startsWith(prefix) && old.endsWith('.v8-cache')) fs.rmSync(path.join(cacheDir, old), { force: true });
    }
    // Made after the module ran, so the functions its top level compiled are in it too; written
    // aside and renamed, so that another window never reads half a cache.
    const partial = `${cacheFile}.${process.pid}.partial`;
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, cacheFile);
    return { exports: mod.exports, cache: 'written' };
  } catch {
    return { exports: mod.exports, cache: 'unsaved' };
  }
}
