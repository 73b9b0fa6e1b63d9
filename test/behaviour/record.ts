// Records what gradlint reports and fixes on every model file of examples/ and
// test/fixtures/: each finding with its fixes, and the text after fixing everything that is
// fixable (errors and warnings, then every severity). `snapshot.json` is this record, taken
// before the issue-13 restructuring; behaviour.test.ts proves the code still produces it.
// `npx tsx test/behaviour/record.ts` rewrites the snapshot (only when a change is intended).
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { fileKind } from '../../src/core/modelFiles';
import { fixAll, lint, loadSettings } from '../../src/lint/index';
import type { Diagnostic } from '../../src/core/diagnostic';

const ROOT = path.join(__dirname, '..', '..');
export const SNAPSHOT = path.join(__dirname, 'snapshot.json');
const ROOTS = ['examples', 'test/fixtures'];

interface Recorded {
  findings: unknown[];
  /** The one edit turning the file into its fixed form (errors and warnings fixed), if any. */
  fixErrorsAndWarnings?: unknown;
  /** The same with every severity fixed: gradlint's fix-all policy (core/lint.ts FIX_ALL). */
  fixEverything?: unknown;
}

function edit(before: string, after: string): unknown {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return { start, end: endB, newText: after.slice(start, endA) };
}

export function modelFiles(): string[] {
  return ROOTS.flatMap((r) => fg.sync(`${r}/**/*`, { cwd: ROOT, dot: true, onlyFiles: true }))
    .filter((f) => fileKind(f))
    .sort();
}

export function record(rel: string): Recorded {
  const file = path.join(ROOT, rel);
  const text = fs.readFileSync(file, 'utf8');
  const { config } = loadSettings(file);
  const diagnostics = lint(file, text, config).diagnostics;
  const findings = diagnostics.map((d) => ({
    ruleId: d.ruleId,
    severity: d.severity,
    message: d.message,
    range: d.range,
    related: d.related,
    model: d.model,
    fixes: d.fixes.map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits })),
  }));
  const serious = (d: Diagnostic) => d.severity === 'error' || d.severity === 'warning';
  return {
    findings,
    fixErrorsAndWarnings: edit(text, fixAll(file, text, config, serious).text),
    fixEverything: edit(text, fixAll(file, text, config).text),
  };
}

if (require.main === module) {
  const out: Record<string, Recorded> = {};
  for (const rel of modelFiles()) out[rel] = record(rel);
  // One line per file: a change shows as the lines of the files it touches.
  const lines = Object.entries(out).map(([file, rec]) => `${JSON.stringify(file)}: ${JSON.stringify(rec)}`);
  fs.writeFileSync(SNAPSHOT, `{\n${lines.join(',\n')}\n}\n`);
  console.log(`${Object.keys(out).length} files recorded in ${path.relative(ROOT, SNAPSHOT)}`);
}
