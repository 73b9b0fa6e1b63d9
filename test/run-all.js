// `npm test`: runs every suite in turn and ends with the line CI reads: "N passed, N failed".
// Each suite prints mocha's own report; suites that need a setup .ci/run makes (Chromium,
// the offline VS Code server) say so and fail when it is missing, rather than pass silently.
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const mocha = (config) => ['npx', 'mocha', '--config', config, '--reporter', 'spec'];
const suites = [
  { name: 'unit', cmd: mocha('test/unit/.mocharc.js') },
  { name: 'behaviour', cmd: mocha('test/behaviour/.mocharc.js') },
  { name: 'probe', cmd: mocha('test/probe/.mocharc.js') },
  { name: 'hostile', cmd: mocha('test/hostile/.mocharc.js') },
  // npm test's pretest has built dist/, which these run.
  { name: 'cli', cmd: mocha('test/cli/.mocharc.js') },
  { name: 'browser', cmd: mocha('test/browser/.mocharc.js') },
  { name: 'vscode', cmd: ['node', 'test/vscode/run.js'] },
  { name: 'vscode, Restricted Mode', cmd: ['node', 'test/vscode/run.js', '--restricted', '--grep', 'workspace trust'] },
];

let passed = 0;
let failed = 0;
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const started = process.hrtime.bigint();
  const r = spawnSync(suite.cmd[0], suite.cmd.slice(1), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const out = r.stdout ?? '';
  const p = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
  const f = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
  passed += p;
  // A suite that died without a report counts as one failure.
  failed += f || (r.status !== 0 ? 1 : 0);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`--- ${suite.name}: ${p} passed, ${f} failed in ${seconds.toFixed(1)} s`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
