// Reads an Ultralytics model YAML into plain rows that keep their source ranges.
// YAML 1.2 core schema: `n:` stays the string "n" (a YAML 1.1 resolver would read false),
// `True`/`False` are booleans, `None` is a string that parse_model turns into Python None.

import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { Problem, Range, Value } from '../graph';

/** A YAML value with where it is written. */
export interface Located<T> {
  value: T;
  range: Range;
}

export interface RawRow {
  index: number;
  /** The whole `[from, repeats, module, args]` sequence. */
  range: Range;
  /** How many items the row list has (parse_model unpacks exactly four). */
  itemCount: number;
  from: Located<Value> | undefined;
  repeats: Located<Value> | undefined;
  module: Located<Value> | undefined;
  args: Located<Value>[];
  /** The args sequence itself, where arguments are inserted. */
  argsRange: Range | undefined;
  /** Whether the args are a flow sequence (`[64, 3]`), where text can be inserted after the last one. */
  argsFlow: boolean;
}

export interface ModelDocument {
  /** Top-level scalar and list settings (`nc`, `scales`, `depth_multiple`, ...), as values. */
  settings: Record<string, Located<Value>>;
  /** Where the `backbone:` key starts: new settings go on the line before it. */
  backboneKey: Range;
  rows: RawRow[];
}

export interface ReadResult {
  document: ModelDocument | undefined;
  problems: Problem[];
}

const rangeOf = (node: Node | null | undefined, fallback: Range): Range =>
  node?.range ? { start: node.range[0], end: node.range[1] } : fallback;

/** A YAML node as a plain value; maps become objects, aliases and tags their resolved value. */
function toValue(node: unknown): Value {
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    return String(v);
  }
  if (isSeq(node)) return node.items.map(toValue);
  if (isMap(node)) {
    const out: Record<string, Value> = {};
    for (const pair of node.items) out[String(toValue(pair.key))] = toValue(pair.value);
    return out;
  }
  return null;
}

const located = (node: unknown, fallback: Range): Located<Value> => ({
  value: toValue(node),
  range: rangeOf(node as Node, fallback),
});

function readRows(sectionPair: Pair, firstIndex: number, problems: Problem[]): RawRow[] {
  const section = sectionPair.value;
  const keyRange = rangeOf(sectionPair.key as Node, { start: 0, end: 0 });
  if (!isSeq(section)) {
    problems.push({ message: 'This section must be a list of [from, repeats, module, args] rows.', range: keyRange, severity: 'error' });
    return [];
  }
  return section.items.map((item, i): RawRow => {
    const range = rangeOf(item as Node, keyRange);
    if (!isSeq(item)) {
      return { index: firstIndex + i, range, itemCount: 0, from: undefined, repeats: undefined, module: undefined, args: [], argsRange: undefined, argsFlow: false };
    }
    const [from, repeats, module, args] = item.items;
    return {
      index: firstIndex + i,
      range,
      itemCount: item.items.length,
      from: from === undefined ? undefined : located(from, range),
      repeats: repeats === undefined ? undefined : located(repeats, range),
      module: module === undefined ? undefined : located(module, range),
      args: isSeq(args) ? args.items.map((a) => located(a, range)) : args === undefined ? [] : [located(args, range)],
      argsRange: isSeq(args) ? rangeOf(args, range) : undefined,
      argsFlow: isSeq(args) && args.flow === true,
    };
  });
}

/**
 * The model document, or undefined when the YAML is not a model file (no top-level
 * `backbone` and `head` lists): those files are ignored without a message.
 */
export function readModelDocument(text: string): ReadResult {
  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false });
  const contents = doc.contents;
  if (!isMap(contents)) return { document: undefined, problems: [] };
  const pairs = new Map<string, Pair>();
  for (const pair of contents.items) {
    if (isScalar(pair.key)) pairs.set(String(pair.key.value), pair);
  }
  const backbone = pairs.get('backbone');
  const head = pairs.get('head');
  if (!backbone || !head) return { document: undefined, problems: [] };

  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    message: `YAML: ${e.message.split('\n')[0]}`,
    range: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) },
    severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
  }));
  const settings: Record<string, Located<Value>> = {};
  for (const [key, pair] of pairs) {
    if (key !== 'backbone' && key !== 'head') settings[key] = located(pair.value, rangeOf(pair.key as Node, { start: 0, end: 0 }));
  }
  const backboneRows = readRows(backbone, 0, problems);
  const headRows = readRows(head, backboneRows.length, problems);
  return { document: { settings, backboneKey: rangeOf(backbone.key as Node, { start: 0, end: 0 }), rows: [...backboneRows, ...headRows] }, problems };
}
