// Runs the VS Code integration suite (test/vscode/suite) inside a real VS Code on this
// machine: the VS Code 1.100.3 server of code-server 4.100.3 (installed by
// .ci/setup-vscode.sh), driven by Debian's headless Chromium through playwright-core.
// The suite is the same module @vscode/test-cli runs in desktop VS Code (.vscode-test.mjs).
//
// Prints mocha's report ("N passing" / "N failing"), saves a screenshot of the editor
// with the Problems panel to .artifacts/vscode-diagnostics.png, exits non-zero on failure.
// Options: --grep PATTERN (mocha grep), --keep (keep the temporary folders),
// --bench (run the benchmark module bench/extension.ts instead of the suite), --restricted
// (workspace trust on and the workspace not trusted: Restricted Mode).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { buildSuite } = require('./build');

const root = path.join(__dirname, '..', '..');
const CODE_SERVER_VERSION = '4.100.3';
const cacheDir = process.env.GRADLINT_CI_CACHE || path.join(os.homedir(), '.cache', 'gradlint-ci');
const serverMain = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'lib', 'vscode', 'out', 'server-main.js');
const chromium = process.env.GRADLINT_CHROMIUM || '/usr/bin/chromium';
const TEST_TIMEOUT_MS = Number(process.env.GRADLINT_VSCODE_TIMEOUT_MS || 600_000);

const args = process.argv.slice(2);
const grep = argValue('--grep');
const keep = args.includes('--keep');
const bench = args.includes('--bench');
// Workspace trust on, the workspace not trusted: what a user sees in Restricted Mode.
const restricted = args.includes('--restricted');

function argValue(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function fail(message) {
  console.log(message);
  console.log('\n  0 passing\n  1 failing');
  process.exit(1);
}

function startServer(dirs, env) {
  const server = spawn(
    process.execPath,
    [
      serverMain,
      '--host', '127.0.0.1',
      '--port', '0',
      '--without-connection-token',
      '--accept-server-license-terms',
      // Needed for the payload's extensionDevelopmentPath / extensionTestsPath.
      '--enable-smoke-test-driver',
      ...(restricted ? [] : ['--disable-workspace-trust']),
      '--disable-telemetry',
      '--server-data-dir', dirs.server,
      '--user-data-dir', dirs.user,
      '--extensions-dir', dirs.extensions,
    ],
    { cwd: dirs.base, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = [];
  const port = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      const text = chunk.toString();
      output.push(text);
      const m = /listening on (\d+)/.exec(output.join(''));
      if (m) resolve(Number(m[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`VS Code server exited (${code}) before listening:\n${output.join('')}`)));
    setTimeout(() => reject(new Error(`VS Code server did not start in 60 s:\n${output.join('')}`)), 60_000).unref();
  });
  return { server, port, output };
}

function stopServer(server) {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Offline noise of the web workbench (marketplace look-ups, its service worker) is left out. */
function isRelevant(entry) {
  return entry.level === 'error' && !/ENOTFOUND|ServiceWorker|Service Worker/.test(entry.message);
}

/** Log lines of the extension host that are mocha's report or our own output. */
function reportLines(message) {
  return String(message)
    .split('\n')
    .filter((line) => !/^\s*\[(?:Extension Host|\w+)\]\s*$/.test(line));
}

async function main() {
  if (!fs.existsSync(serverMain)) {
    fail(`vscode: the offline VS Code server is not installed (${serverMain}).\nRun .ci/setup-vscode.sh first (CI does it in .ci/run).`);
  }
  if (!fs.existsSync(chromium)) fail(`vscode: no Chromium at ${chromium} (apt-get install chromium).`);

  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlint-vscode-'));
  const dirs = {
    base,
    server: path.join(base, 'server-data'),
    user: path.join(base, 'user-data'),
    extensions: path.join(base, 'extensions'),
  };
  // Inside the repository so that the test module finds mocha in node_modules.
  const built = await buildSuite(path.join(root, 'out', 'vscode-test'), bench ? { entry: 'bench/extension.ts' } : undefined).catch((err) =>
    fail(`vscode: ${err.message}`),
  );

  const resultFile = path.join(base, 'result.json');
  const uiRequests = path.join(base, 'ui-requests');
  fs.mkdirSync(uiRequests);
  // The extension host inherits the server's environment: the suite reads its options from
  // here, and nothing is written to the home folder.
  const env = {
    ...process.env,
    HOME: base,
    XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
    XDG_DATA_HOME: path.join(base, 'xdg-data'),
    XDG_CACHE_HOME: path.join(base, 'xdg-cache'),
    TMPDIR: base,
    GRADLINT_TEST_RESULT: resultFile,
    GRADLINT_TEST_GREP: grep ?? '',
    GRADLINT_UI_REQUESTS: uiRequests,
  };
  delete env.ELECTRON_RUN_AS_NODE;

  const { server, port, output } = startServer(dirs, env);
  let browser;
  let exitCode = 1;
  try {
    const host = `127.0.0.1:${await port}`;
    const { chromium: driver } = require('playwright-core');
    browser = await driver.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const log = [];
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (level, message) => log.push({ level, message: String(message) }));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));

    const remote = (p) => `vscode-remote://${host}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(built.testModule)],
      ['skipWelcome', 'true'],
    ];
    const url = `http://${host}/?folder=${encodeURIComponent(remote(built.workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);

    // What the suite asks for in the window through files (helpers.ts uiRequest): the screenshot,
    // taken while its editor and diagnostics are on screen (they vanish when the extension host
    // exits), and what only a user can do: see a notification or click its button, click or
    // type into the open webview, accept what the quick input (a save dialog) proposes.
    const shot = path.join(root, '.artifacts', 'vscode-diagnostics.png');
    let shotTaken = false;
    const perform = (request) => {
      const timeout = 15_000;
      if (request.screenshot) {
        shotTaken = true;
        fs.mkdirSync(path.dirname(shot), { recursive: true });
        return page.screenshot({ path: shot }).catch((err) => console.log(`  screenshot failed: ${err.message}`));
      }
      if (request.quickInput) return page.locator('.quick-input-widget input.input').press('Enter', { timeout });
      if (request.webview) {
        const element = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator(request.webview);
        return request.fill !== undefined ? element.fill(request.fill, { timeout }) : element.click({ timeout });
      }
      const toast = page.locator('.notification-toast', { hasText: request.notification });
      return request.button ? toast.getByRole('button', { name: request.button }).click({ timeout }) : toast.waitFor({ timeout });
    };
    const watcher = setInterval(() => {
      for (const name of fs.readdirSync(uiRequests).filter((n) => n.endsWith('.request.json'))) {
        const file = path.join(uiRequests, name);
        const request = JSON.parse(fs.readFileSync(file, 'utf8'));
        fs.rmSync(file);
        const answer = file.replace(/\.request\.json$/, '.done');
        perform(request).then(() => fs.writeFileSync(answer, ''), (err) => fs.writeFileSync(answer, err.message));
      }
    }, 200);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), TEST_TIMEOUT_MS).unref());
    const code = await Promise.race([exited, timeout]);
    clearInterval(watcher);

    const report = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : undefined;
    if (report) process.stdout.write(report.output);
    if (code !== 'timeout' && !report) console.log(`vscode: the test module exited with code ${code} and no report.`);
    if (code === 'timeout') {
      console.log(`vscode: the suite did not finish in ${TEST_TIMEOUT_MS / 1000} s.`);
    }
    if (!report || code !== 0) {
      // Show what the workbench and the extension host said: the cause is in there.
      const messages = [...new Set(log.filter(isRelevant).map((e) => e.message))].slice(0, 5);
      for (const message of messages) for (const l of reportLines(message).slice(0, 12)) console.log(`  [error] ${l}`);
      if (!report) console.log(output.join('').split('\n').slice(-40).join('\n'));
    }
    if (shotTaken) console.log(`  screenshot: ${path.relative(root, shot)}`);
    else if (!bench && !grep) console.log('  no screenshot: the suite did not reach its screenshot test');
    exitCode = code === 0 && report && report.failures === 0 ? 0 : 1;
    if (!report) console.log('\n  0 passing\n  1 failing');
  } catch (err) {
    console.log(`vscode: ${err && err.stack ? err.stack : err}`);
    console.log('\n  0 passing\n  1 failing');
  } finally {
    if (browser) await browser.close().catch(() => {});
    stopServer(server);
    if (keep) console.log(`  kept ${base}`);
    else fs.rmSync(base, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main();
