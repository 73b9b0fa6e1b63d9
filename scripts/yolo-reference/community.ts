// Compares gradlint's reading of community YOLO YAMLs with the parameter counts the project's own
// code builds (community.py's TSV): per row, whether a module that no dialect knows is expanded
// from the project's Python, and whether its count equals the project's.
//   npx tsx scripts/yolo-reference/community.ts REFERENCE.tsv [--rows]
// Run through community.sh. Each file of the TSV is read twice: without the project's files (the
// rows no dialect knows: "unknown before") and with them, as a user has the project open.

import * as fs from 'fs';
import { extractModels } from '../../src/core/extract';
import type { ModelGraph } from '../../src/core/graph';
import { readProjectFile } from '../../src/lint/readFile';

interface Reference {
  file: string;
  scale?: string;
  total?: number;
  rows?: number[];
  /** Why the project's code did not build the file. */
  notBuilt?: string;
}

function readReference(tsv: string): Reference[] {
  return fs
    .readFileSync(tsv, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const notBuilt = /^# (.*?): not built: (.*)$/.exec(line);
      if (notBuilt) return { file: notBuilt[1], notBuilt: notBuilt[2] };
      const [file, scale, total, perRow] = line.split('\t');
      return { file, scale: scale === '-' ? undefined : scale, total: Number(total), rows: perRow.split(',').map(Number) };
    });
}

/** The rows of a model that are read as identity (no dialect knows them, or their class could not be read). */
const unknownRows = (model: ModelGraph): Set<number> => new Set(model.unknownRows?.rows ?? []);

interface FileResult {
  file: string;
  unknownBefore: number[];
  unknownNow: number[];
  /** Formerly unknown rows, expanded now, in files the project builds: row → [gradlint, project]. */
  compared: Map<number, [number, number]>;
  notBuilt?: string;
  modules: Map<number, string>;
  /** The file's total parameters equal the project's (files it builds). */
  totalEqual?: boolean;
}

function compare(ref: Reference): FileResult | undefined {
  const text = fs.readFileSync(ref.file, 'utf8');
  const before = extractModels(ref.file, text, { yoloScale: ref.scale }).models[0];
  const now = extractModels(ref.file, text, { yoloScale: ref.scale, readFile: readProjectFile }).models[0];
  if (!before || !now) return undefined; // not a model file (anchors.yaml, data files)
  const unknownBefore = [...unknownRows(before)];
  const unknownNow = unknownRows(now);
  const compared = new Map<number, [number, number]>();
  for (const row of unknownBefore) {
    if (unknownNow.has(row) || !ref.rows) continue;
    compared.set(row, [now.rows?.[row]?.params ?? NaN, ref.rows[row]]);
  }
  const modules = new Map((now.rows ?? []).map((r) => [r.index, r.module]));
  const totalEqual = ref.total === undefined ? undefined : now.params === ref.total;
  return { file: ref.file, unknownBefore, unknownNow: unknownBefore.filter((r) => unknownNow.has(r)), compared, notBuilt: ref.notBuilt, modules, totalEqual };
}

const args = process.argv.slice(2);
const results = readReference(args[0]).flatMap((ref) => compare(ref) ?? []);
const sum = (f: (r: FileResult) => number) => results.reduce((s, r) => s + f(r), 0);
const equal = (r: FileResult) => [...r.compared.values()].filter(([a, b]) => a === b).length;
if (args.includes('--rows')) {
  for (const r of results) {
    if (r.unknownBefore.length === 0) continue;
    const cells = r.unknownBefore.map((row) => {
      const pair = r.compared.get(row);
      const what = r.unknownNow.includes(row) ? 'unknown' : !pair ? 'expanded' : pair[0] === pair[1] ? `= ${pair[1]}` : `${pair[0]} vs ${pair[1]}`;
      return `${row} ${r.modules.get(row)}: ${what}`;
    });
    console.log(`${r.file}${r.notBuilt ? ` (not built by the project: ${r.notBuilt.slice(0, 80)})` : ''}\n  ${cells.join('\n  ')}`);
  }
}
const before = sum((r) => r.unknownBefore.length);
const still = sum((r) => r.unknownNow.length);
console.log(
  [
    `files\t${results.length}`,
    `files not built by the project\t${results.filter((r) => r.notBuilt).length}`,
    `rows unknown without the project's Python\t${before}`,
    `of those, unknown with it\t${still}`,
    `expanded\t${before - still} (${((100 * (before - still)) / Math.max(before, 1)).toFixed(1)}%)`,
    `expanded in files the project builds\t${sum((r) => r.compared.size)}`,
    `of those, with the project's parameter count\t${sum(equal)}`,
    `files built whose total equals the project's\t${results.filter((r) => r.totalEqual).length} of ${results.filter((r) => r.totalEqual !== undefined).length}`,
  ].join('\n'),
);
