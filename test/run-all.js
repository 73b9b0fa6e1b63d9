// `npm test`: runs every suite in turn and ends with the line CI reads: "N passed, N failed".
// Each suite prints mocha's own report; suites that need a setup .ci/run makes (Chromium,
// the offline VS Code server) say so and fail when it is missing, rather than pass silently.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const suites = [
  { name: 'unit', cmd: ['npx', 'mocha', '--reporter', 'spec'] },
  ...(fs.existsSync(path.join(root, 'test/browser')) ? [{ name: 'browser', cmd: ['npx', 'mocha', '--config', 'test/browser/.mocharc.json'] }] : []),
  ...(fs.existsSync(path.join(root, 'test/vscode/run.js'))
    ? [
        { name: 'vscode', cmd: ['node', 'test/vscode/run.js'] },
        { name: 'vscode, Restricted Mode', cmd: ['node', 'test/vscode/run.js', '--restricted', '--grep', 'workspace trust'] },
      ]
    : []),
];

let passed = 0;
let failed = 0;
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const r = spawnSync(suite.cmd[0], suite.cmd.slice(1), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const out = r.stdout ?? '';
  const p = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
  const f = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
  passed += p;
  // A suite that died without a report counts as one failure.
  failed += f || (r.status !== 0 ? 1 : 0);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
