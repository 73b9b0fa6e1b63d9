// Builds what the VS Code integration suite needs, for both runners:
// - the offline harness (test/vscode/run.js) loads `index.js`, the test-electron `run()` module;
// - @vscode/test-cli (.vscode-test.mjs) loads `all.test.js` with its own mocha runner.
// Both get a fresh copy of the fixture workspace, because the tests edit and save files.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');

/** Bundles the extension (dist/) and the suite into `outDir`; copies the workspace there. */
async function buildSuite(outDir, { entry = 'test/vscode/suite/index.ts' } = {}) {
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('`node esbuild.js` failed; the extension cannot be loaded');
  const esbuild = require('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // vscode comes from the host; mocha is required from the repository's node_modules.
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'], // as esbuild.js: jsonc-parser's ESM build bundles, its UMD one does not
    logLevel: 'warning',
  };
  await esbuild.build({ ...common, entryPoints: [path.join(root, entry)], outfile: path.join(outDir, 'index.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(root, 'test/vscode/suite/all.ts')], outfile: path.join(outDir, 'all.test.js') });
  const workspace = path.join(outDir, 'workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  return { testModule: path.join(outDir, 'index.js'), workspace };
}

module.exports = { buildSuite };

if (require.main === module) {
  buildSuite(path.join(root, 'out', 'vscode-test')).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
