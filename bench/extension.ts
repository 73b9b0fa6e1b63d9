// Extension speed, in one run inside a real VS Code (the offline harness): activation time,
// the first lint of a 2,000-line model file (starting the language server included), and the
// latency from an edit to published diagnostics, split into VS Code's round trip (edit → change
// event in the extension host) and gradlint's part (change event → the language server's
// diagnostics back in the extension host), next to the core's own lint time on the same text. `node dist/bench/extension.js` (or `npm run bench`) starts the
// harness with this module as the test module; in the extension host it exports `run()`.
import * as fs from 'fs';
import * as path from 'path';
import { median } from './lib/median';
import { childProcess, processCpuMs } from './lib/processCpu';
import { sigmoidModelFile } from './lib/sigmoidModelFile';

const EDITS = 20;

export async function run(): Promise<void> {
  // Loaded here so that the harness side of this file runs without VS Code.
  const vscode = await import('vscode');
  const { lint: lintText } = await import('../src/lint/index');
  const { DEFAULT_CONFIG } = await import('../src/lint/index');
  const out: string[] = [];
  const report = (line: string) => {
    out.push(line);
    console.log(line);
  };

  const ext = vscode.extensions.getExtension('gradlint.gradlint');
  if (!ext) throw new Error('gradlint is not installed in this VS Code');
  if (ext.isActive) report('activation: already active before the benchmark (not measured)');
  else {
    const t0 = performance.now();
    await ext.activate();
    report(`activation: ${(performance.now() - t0).toFixed(1)} ms (no document open, nothing parsed)`);
  }

  const folder = vscode.workspace.workspaceFolders![0].uri;
  const uri = vscode.Uri.joinPath(folder, 'bench-2000-lines.js');
  const text = sigmoidModelFile();
  fs.writeFileSync(uri.fsPath, text);
  await vscode.workspace.getConfiguration('gradlint').update('debounceMs', 0, vscode.ConfigurationTarget.Workspace);

  const published = (accept: (n: number) => boolean) =>
    new Promise<number>((resolve) => {
      const check = () => {
        const n = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gradlint').length;
        if (!accept(n)) return;
        listener.dispose();
        resolve(n);
      };
      const listener = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) check();
      });
    });

  let t0 = performance.now();
  const firstFindings = published((n) => n > 0);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const findings = await firstFindings;
  report(`first lint of ${editor.document.lineCount - 1} lines (opening the file, the server loading the core): ${(performance.now() - t0).toFixed(0)} ms, ${findings} findings`);

  // Each edit makes the first model healthy or sick again, so the published set changes.
  // An edit reaches the extension host as a change event after a round trip through VS Code's
  // window; gradlint's part starts there (its own listener gets the same event).
  let changedAt = 0;
  const changes = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document.uri.toString() === uri.toString()) changedAt = performance.now();
  });
  const roundTrips: number[] = [];
  const latencies: number[] = [];
  // The server's own CPU time over the edits: gradlint's work, apart from waiting for a core
  // (the window, VS Code's TypeScript servers and the extension host share this machine's).
  const server = childProcess(process.pid, 'server.js');
  const serverCpuBefore = server === undefined ? undefined : processCpuMs(server);
  const firstLayer = editor.document.getText().indexOf("'sigmoid'");
  for (let i = 0; i < EDITS; i++) {
    const [from, to] = i % 2 === 0 ? ["'sigmoid'", "'relu'   "] : ["'relu'   ", "'sigmoid'"];
    const range = new vscode.Range(editor.document.positionAt(firstLayer), editor.document.positionAt(firstLayer + from.length));
    const before = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gradlint').length;
    const changed = published((n) => n !== before);
    t0 = performance.now();
    await editor.edit((b) => b.replace(range, to));
    await changed;
    roundTrips.push(changedAt - t0);
    latencies.push(performance.now() - changedAt);
  }
  changes.dispose();
  const serverCpuAfter = server === undefined ? undefined : processCpuMs(server);

  const core: number[] = [];
  const coreCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c0 = performance.now();
    const cpu0 = process.cpuUsage();
    lintText(uri.fsPath, editor.document.getText(), DEFAULT_CONFIG);
    const cpu = process.cpuUsage(cpu0);
    core.push(performance.now() - c0);
    coreCpu.push((cpu.user + cpu.system) / 1000);
  }
  const latency = median(latencies);
  const lint = median(core);
  report(`edit → change event in the extension host (VS Code's own round trip, median of ${EDITS}): ${median(roundTrips).toFixed(0)} ms`);
  report(`change event → diagnostics published (gradlint, debounce 0, median of ${EDITS}): ${latency.toFixed(0)} ms`);
  if (serverCpuBefore !== undefined && serverCpuAfter !== undefined) {
    report(`the language server's CPU time per edit (its own work, read from /proc): ${((serverCpuAfter - serverCpuBefore) / EDITS).toFixed(0)} ms`);
  }
  report(`core lint of the same text in the extension host (median of 5): ${lint.toFixed(0)} ms, ${median(coreCpu).toFixed(0)} ms of CPU; the extension's part is ${(latency / lint).toFixed(2)}× the lint`);
  report('(with the default debounce, add gradlint.debounceMs = 250 ms; the built-in TypeScript server analyses the same file meanwhile)');

  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  const resultFile = process.env.GRADLINT_TEST_RESULT;
  if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ failures: 0, passes: 0, output: out.join('\n') + '\n' }));
}

// Run as a script: start the offline harness with this module.
if (require.main === module) {
  const root = path.join(__dirname, '..', '..');
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const r = spawnSync(process.execPath, [path.join(root, 'test', 'vscode', 'run.js'), '--bench'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
