// Bundles the extension, the language server, the CLI, the probe worker, the webview script and the benchmarks.
// `node esbuild.js` builds once, `--watch` rebuilds on change, `--production` minifies.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** [entry, outfile, platform]; entries that do not exist yet are skipped. */
const targets = [
  ['src/extension/extension.ts', 'dist/extension.js', 'node'],
  ['src/server/main.ts', 'dist/server.js', 'node'], // the language server, a child process of the extension
  ['src/cli/main.ts', 'dist/cli.js', 'node'],
  ['src/cli/launch.ts', 'dist/launch.js', 'node'], // bin/gradlint.js: dist/cli.js through a code cache
  ['src/probe/worker.ts', 'dist/probeWorker.js', 'node'],
  ['media/heatmap/main.ts', 'dist/media/heatmap.js', 'browser'],
  ...benchEntries(),
];

function benchEntries() {
  if (!fs.existsSync('bench')) return [];
  return fs
    .readdirSync('bench')
    // Run by hand with tsx, not part of `npm run bench`: heldout.ts is an accuracy check,
    // python-parser.ts the measurement behind the choice of Python parser.
    .filter((f) => f.endsWith('.ts') && f !== 'heldout.ts' && f !== 'python-parser.ts')
    .map((f) => [`bench/${f}`, `dist/bench/${f.replace(/\.ts$/, '.js')}`, 'node']);
}

function options([entry, outfile, platform]) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform,
    format: platform === 'node' ? 'cjs' : 'iife',
    target: platform === 'node' ? 'node20' : 'es2022',
    sourcemap: !production,
    minify: production,
    // vscode is provided by the host; tfjs-node is optional and loaded at run time when present.
    external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    // jsonc-parser's UMD main cannot be bundled; its ESM build (module) can.
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  };
}

async function main() {
  const present = targets.filter(([entry]) => fs.existsSync(path.join(__dirname, entry)));
  if (watch) {
    for (const t of present) await (await esbuild.context(options(t))).watch();
    console.log(`watching ${present.length} bundles`);
    return;
  }
  await Promise.all(present.map((t) => esbuild.build(options(t))));
  copyWasmBinaries();
}

/** The wasm backend loads its .wasm files from next to the bundle that needs them. */
function copyWasmBinaries() {
  const dir = path.join(__dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.wasm'))) {
    fs.copyFileSync(path.join(dir, f), path.join(__dirname, 'dist', f));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
