import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../lib/tempTree';
import { chooseBackend, tfjsNodeCandidates } from '../../src/probe/backend';

// tfjs-node cannot be installed here (its native download fails), so these use packages
// written to a temporary folder: one that is present but fails to load, as a broken
// native build does.

function nodeModules(withTfjsNode: 'none' | 'broken'): string {
  const dir = path.join(tempDir('backend'), 'node_modules');
  fs.mkdirSync(dir);
  if (withTfjsNode === 'broken') {
    const pkg = path.join(dir, '@tensorflow', 'tfjs-node');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), "throw new Error('The specified module could not be found: tfjs_binding.node');\n");
  }
  return dir;
}

describe('probe backend choice', () => {
  it('looks for tfjs-node in the workspace first, then in the extension', () => {
    const workspace = nodeModules('broken');
    const own = nodeModules('broken');
    const empty = nodeModules('none');
    assert.deepStrictEqual(tfjsNodeCandidates({ workspaceNodeModules: workspace, ownNodeModules: [own] }), [workspace, own]);
    assert.deepStrictEqual(tfjsNodeCandidates({ workspaceNodeModules: empty, ownNodeModules: [own] }), [own]);
    assert.deepStrictEqual(tfjsNodeCandidates({ ownNodeModules: [empty] }), []);
  });

  it('falls back to wasm when tfjs-node is present but does not load, and says why', async () => {
    const workspace = nodeModules('broken');
    const choice = await chooseBackend({ workspaceNodeModules: workspace, ownNodeModules: [] });
    assert.strictEqual(choice.backend, 'wasm');
    assert.deepStrictEqual(choice.notes, [
      `tfjs-node from ${workspace} could not be loaded: The specified module could not be found: tfjs_binding.node`,
    ]);
  });

  it('falls back to wasm when tfjs-node is not installed', async () => {
    const choice = await chooseBackend({ ownNodeModules: [nodeModules('none')] });
    assert.deepStrictEqual(choice, { backend: 'wasm', notes: ['tfjs-node is not installed'] });
  });

  it('fails with the reason when a forced backend cannot start', async () => {
    await assert.rejects(
      chooseBackend({ backend: 'tfjs-node', ownNodeModules: [] }),
      { message: 'the tfjs-node backend is not available: tfjs-node is not installed' },
    );
  });

  it('runs a forced backend', async () => {
    assert.strictEqual((await chooseBackend({ backend: 'cpu' })).backend, 'cpu');
  });
});
