// `npm test`: runs every suite in turn and ends with the line CI reads: "N passed, N failed".
// Each suite prints mocha's own report; suites that need a setup .ci/run makes (Chromium,
// the offline VS Code server) say so and fail when it is missing, rather than pass silently.
// Each suite has a time limit: one stuck suite fails, with what it printed, and the rest still run.
const { spawn } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const mocha = (config) => ['node', 'node_modules/mocha/bin/mocha.js', '--config', config, '--reporter', 'spec'];
const MINUTE = 60_000;
const suites = [
  { name: 'unit', cmd: mocha('test/unit/.mocharc.js'), limit: 10 * MINUTE },
  { name: 'behaviour', cmd: mocha('test/behaviour/.mocharc.js'), limit: 10 * MINUTE },
  { name: 'probe', cmd: mocha('test/probe/.mocharc.js'), limit: 15 * MINUTE },
  { name: 'hostile', cmd: mocha('test/hostile/.mocharc.js'), limit: 15 * MINUTE },
  // npm test's pretest has built dist/, which these run.
  { name: 'cli', cmd: mocha('test/cli/.mocharc.js'), limit: 10 * MINUTE },
  { name: 'browser', cmd: mocha('test/browser/.mocharc.js'), limit: 10 * MINUTE },
  { name: 'vscode', cmd: ['node', 'test/vscode/run.js'], limit: 20 * MINUTE },
  { name: 'vscode, Restricted Mode', cmd: ['node', 'test/vscode/run.js', '--restricted', '--grep', 'workspace trust'], limit: 10 * MINUTE },
];

/** Runs one suite in its own process group, so that at its limit the whole group is killed. */
function run(suite) {
  return new Promise((resolve) => {
    const child = spawn(suite.cmd[0], suite.cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGKILL');
    }, suite.limit);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ out, status, timedOut });
    });
  });
}

(async () => {
  let passed = 0;
  let failed = 0;
  for (const suite of suites) {
    console.log(`\n=== ${suite.name} ===`);
    const started = process.hrtime.bigint();
    const { out, status, timedOut } = await run(suite);
    if (timedOut) console.log(`\n${suite.name}: stopped at its limit of ${suite.limit / MINUTE} minutes`);
    const p = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
    const f = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
    passed += p;
    // A suite that died or was stopped without a report of failures counts as one failure.
    failed += f || (status !== 0 || timedOut ? 1 : 0);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`--- ${suite.name}: ${p} passed, ${f} failed in ${seconds.toFixed(1)} s`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
