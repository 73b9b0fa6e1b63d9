// Reads an Ultralytics model YAML into plain rows that keep their source ranges.
// YAML 1.2 core schema: `n:` stays the string "n" (a YAML 1.1 resolver would read false),
// `True`/`False` are booleans, `None` is a string that parse_model turns into Python None.

import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Problem, Range, Value } from '../graph';
import { LineIndex } from '../text';

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

/** Nesting and alias expansion a model file never needs: beyond them a value reads as null, with one problem. */
const MAX_DEPTH = 64;
const MAX_NODES = 100_000;
const MAX_YAML_PROBLEMS = 100;

/**
 * Turns YAML nodes into plain values: maps become objects, tags their resolved value, and
 * aliases (`*args`) the node they name, as PyYAML resolves them for Ultralytics. Depth and the
 * nodes visited are bounded, so deep nesting or an alias bomb costs a bounded walk.
 */
class ValueReader {
  private nodes = 0;
  private cut = false;

  constructor(
    readonly doc: Document,
    private readonly problems: Problem[],
  ) {}

  value(node: unknown, depth = 0): Value {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) return this.tooLarge(node);
    if (isAlias(node)) return this.value(node.resolve(this.doc), depth + 1);
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
      return String(v);
    }
    if (isSeq(node)) return node.items.map((item) => this.value(item, depth + 1));
    if (isMap(node)) {
      const out: Record<string, Value> = {};
      for (const pair of node.items) out[String(this.value(pair.key, depth + 1))] = this.value(pair.value, depth + 1);
      return out;
    }
    return null;
  }

  located(node: unknown, fallback: Range): Located<Value> {
    return { value: this.value(node), range: rangeOf(node as Node, fallback) };
  }

  private tooLarge(node: unknown): null {
    if (!this.cut) {
      this.cut = true;
      const message = `This value nests deeper than ${MAX_DEPTH} levels or expands to more than ${MAX_NODES} items (through aliases); it is read as null.`;
      this.problems.push({ message, range: rangeOf(node as Node, { start: 0, end: 0 }), severity: 'error' });
    }
    return null;
  }
}

function readRows(sectionPair: Pair, firstIndex: number, problems: Problem[], reader: ValueReader): RawRow[] {
  const section = sectionPair.value;
  const keyRange = rangeOf(sectionPair.key as Node, { start: 0, end: 0 });
  if (!isSeq(section)) {
    problems.push({ message: 'This section must be a list of [from, repeats, module, args] rows.', range: keyRange, severity: 'error' });
    return [];
  }
  return section.items.map((written, i): RawRow => {
    const item = isAlias(written) ? written.resolve(reader.doc) : written;
    const range = rangeOf(written as Node, keyRange);
    if (!isSeq(item)) {
      return { index: firstIndex + i, range, itemCount: 0, from: undefined, repeats: undefined, module: undefined, args: [], argsRange: undefined, argsFlow: false };
    }
    const [from, repeats, module, args] = item.items;
    // `*args` names a list written elsewhere: its items are the arguments.
    const argList = isAlias(args) ? args.resolve(reader.doc) : args;
    return {
      index: firstIndex + i,
      range,
      itemCount: item.items.length,
      from: from === undefined ? undefined : reader.located(from, range),
      repeats: repeats === undefined ? undefined : reader.located(repeats, range),
      module: module === undefined ? undefined : reader.located(module, range),
      args: isSeq(argList) ? argList.items.map((a) => reader.located(a, range)) : argList === undefined ? [] : [reader.located(argList, range)],
      argsRange: isSeq(args) ? rangeOf(args, range) : undefined,
      argsFlow: isSeq(args) && args.flow === true,
    };
  });
}

/**
 * Parses without what a file of broken YAML pays per error (one per character of 20,000 nested
 * brackets): a stack trace, and a pretty message quoting the line (quadratic on a long line).
 * Only the first errors are shown, and their line and column are added then (`at`).
 */
function parseQuietly(text: string): Document {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false, prettyErrors: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** What the yaml package's pretty errors add to a message: ` at line L, column C`. */
function at(lines: LineIndex, offset: number): string {
  if (offset < 0) return '';
  const { line, character } = lines.positionAt(offset);
  return ` at line ${line + 1}, column ${character + 1}`;
}

/**
 * The model document, or undefined when the YAML is not a model file (no top-level
 * `backbone` and `head` lists): those files are ignored without a message.
 */
export function readModelDocument(text: string): ReadResult {
  const doc = parseQuietly(text);
  const contents = doc.contents;
  if (!isMap(contents)) return { document: undefined, problems: [] };
  const pairs = new Map<string, Pair>();
  for (const pair of contents.items) {
    if (isScalar(pair.key)) pairs.set(String(pair.key.value), pair);
  }
  const backbone = pairs.get('backbone');
  const head = pairs.get('head');
  if (!backbone || !head) return { document: undefined, problems: [] };

  // A file of broken YAML can have an error per character: the first ones say what is wrong.
  const lines = new LineIndex(text);
  const problems: Problem[] = [...doc.errors, ...doc.warnings].slice(0, MAX_YAML_PROBLEMS).map((e) => ({
    message: `YAML: ${e.message.split('\n')[0]}${at(lines, e.pos[0])}`,
    range: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) },
    severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
  }));
  const reader = new ValueReader(doc, problems);
  const settings: Record<string, Located<Value>> = {};
  for (const [key, pair] of pairs) {
    if (key !== 'backbone' && key !== 'head') settings[key] = reader.located(pair.value, rangeOf(pair.key as Node, { start: 0, end: 0 }));
  }
  const backboneRows = readRows(backbone, 0, problems, reader);
  const headRows = readRows(head, backboneRows.length, problems, reader);
  return { document: { settings, backboneKey: rangeOf(backbone.key as Node, { start: 0, end: 0 }), rows: [...backboneRows, ...headRows] }, problems };
}
