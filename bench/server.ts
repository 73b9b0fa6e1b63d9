// The language server's edit → diagnostics latency on a 2,000-line model file, without an
// editor: a real LSP client drives dist/server.js over stdio (debounce 0) and times each
// didChange to the diagnostics published for that version. Three kinds of edit: one model's
// text (its first activation toggled, so its findings change), a line added or removed at
// the top (every model moves, none changes), and an unrelated constant. Next to it, the full
// lint of the same text in this process; only the ratios are meaningful, never asserted.
//   npm run bench   or   npm run build && npx tsx bench/server.ts
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { DEFAULT_CONFIG, lint } from '../src/lint/index';
import { startLspServer } from '../test/lib/lspClient';
import { median } from './lib/median';
import { processCpuMs } from './lib/processCpu';
import { sigmoidModelFile } from './lib/sigmoidModelFile';

const EDITS = 20;

// bench/ under tsx, dist/bench/ when bundled: the repository root is the one with esbuild.js.
const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((d) => fs.existsSync(path.join(d, 'esbuild.js')))!;
const serverJs = path.join(root, 'dist/server.js');

/** One edit of the text: the range it replaces (offsets) and the new text. */
interface Edit {
  start: number;
  end: number;
  newText: string;
}

/** The LSP position of `offset` in `text`. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

async function main(): Promise<void> {
  if (!fs.existsSync(serverJs)) throw new Error(`${serverJs} is missing: run \`npm run build\` first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlint-bench-'));
  const file = path.join(dir, 'bench-2000-lines.js');
  const uri = pathToFileURL(file).href;
  let text = sigmoidModelFile();
  fs.writeFileSync(file, text);

  const session = await startLspServer([serverJs, '--stdio'], dir, { debounceMs: 0 });
  const { connection, server } = session;

  let version = 1;
  const publishedFor = (v: number): Promise<PublishDiagnosticsParams> => session.published((p) => p.uri === uri && p.version === v);
  let t0 = performance.now();
  const first = publishedFor(version);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version, text } });
  const findings = (await first).diagnostics.length;
  console.log(`server bench: ${text.split('\n').length - 1} lines, ${findings} findings; first lint (the server loading the core) ${(performance.now() - t0).toFixed(0)} ms`);

  /** Sends `edit` as an incremental change; milliseconds until its diagnostics are published, and their count. */
  const change = async (edit: Edit): Promise<[number, number]> => {
    const range = { start: positionAt(text, edit.start), end: positionAt(text, edit.end) };
    text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    version++;
    const published = publishedFor(version);
    t0 = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: edit.newText }] });
    const p = await published;
    return [performance.now() - t0, p.diagnostics.length];
  };

  // Each pair of edits puts the text back, so every kind starts from the same file.
  const activation = text.indexOf("'sigmoid'");
  const constant = text.indexOf('const setting0_0 = 0;') + 'const setting0_0 = '.length;
  const kinds: [string, (i: number) => Edit][] = [
    ['one model edited (its first activation toggled)', (i) => ({ start: activation, end: activation + 9, newText: i % 2 === 0 ? "'relu'   " : "'sigmoid'" })],
    ['a line added or removed at the top (every model moves)', (i) => (i % 2 === 0 ? { start: 0, end: 0, newText: '// top\n' } : { start: 0, end: 7, newText: '' })],
    ['an unrelated constant edited', (i) => ({ start: constant, end: constant + 1, newText: i % 2 === 0 ? '7' : '0' })],
  ];
  const results: { label: string; ms: number; cpuMs?: number; counts: Set<number> }[] = [];
  for (const [label, edit] of kinds) {
    const times: number[] = [];
    const counts = new Set<number>();
    const cpuBefore = processCpuMs(server.pid!);
    for (let i = 0; i < EDITS; i++) {
      const [ms, count] = await change(edit(i));
      times.push(ms);
      counts.add(count);
    }
    const cpuAfter = processCpuMs(server.pid!);
    const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / EDITS;
    results.push({ label, ms: median(times), cpuMs, counts });
  }

  // Warmed up as the server is by the edits above.
  for (let i = 0; i < 5; i++) lint(file, text, DEFAULT_CONFIG);
  const core: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c0 = performance.now();
    lint(file, text, DEFAULT_CONFIG);
    core.push(performance.now() - c0);
  }
  const full = median(core);
  for (const r of results) {
    const cpu = r.cpuMs === undefined ? '' : `, the server's CPU ${r.cpuMs.toFixed(0)} ms an edit`;
    console.log(`  edit → diagnostics, ${r.label} (median of ${EDITS}): ${r.ms.toFixed(1)} ms${cpu}, ${(r.ms / full).toFixed(2)}× a full lint; findings ${[...r.counts].join(' / ')}`);
  }
  console.log(`  full lint of the same text in this process (after 5 to warm up, median of 7): ${full.toFixed(1)} ms`);

  await session.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
