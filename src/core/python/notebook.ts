// Jupyter notebooks (.ipynb) for the command line: the Python code cells of the notebook's
// JSON, each with a map from its text back to the JSON text (so findings land on the file's
// own lines), and cells written back with minimal edits (the rest of the file untouched).
import { applyEdits, modify, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { Range } from '../graph';

export interface NotebookCell {
  /** 1-based position among all the notebook's cells (markdown included), as `cells[n - 1]`. */
  number: number;
  /** The cell's source as the kernel reads it, IPython magics and shell lines blanked. */
  text: string;
  /** The cell's source as written. */
  raw: string;
  /** Written as a list of lines (nbformat's usual form) rather than one string. */
  lines: boolean;
  /** Offset in the notebook's JSON text of each offset of `text` (one more, for the end). */
  jsonOffsets: number[];
}

export type NotebookRead = { cells: NotebookCell[] } | { error: string };

const isString = (n: Node | undefined): n is Node => n?.type === 'string';

/** The value at a path of object keys. */
function prop(node: Node | undefined, ...keys: string[]): Node | undefined {
  for (const key of keys) node = node?.type === 'object' ? node.children?.find((p) => p.children?.[0].value === key)?.children?.[1] : undefined;
  return node;
}

/** The Python code cells of a notebook, in order; a clear error for JSON that is not one. */
export function readNotebook(json: string): NotebookRead {
  const errors: ParseError[] = [];
  const root = parseTree(json, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length || root.type !== 'object') return { error: 'not a Jupyter notebook: the file is not valid JSON' };
  const cells = prop(root, 'cells');
  if (cells?.type !== 'array') return { error: 'not a Jupyter notebook: no "cells" list (nbformat 4 is read)' };
  // An R or Julia notebook has no Python cells; a notebook that names no language is taken as Python.
  const language = prop(root, 'metadata', 'kernelspec', 'language')?.value ?? prop(root, 'metadata', 'language_info', 'name')?.value;
  if (typeof language === 'string' && language.toLowerCase() !== 'python') return { cells: [] };
  const out: NotebookCell[] = [];
  (cells.children ?? []).forEach((cell, i) => {
    if (cell.type !== 'object' || prop(cell, 'cell_type')?.value !== 'code') return;
    const source = prop(cell, 'source');
    const pieces = source?.type === 'array' ? (source.children ?? []) : source ? [source] : [];
    if (!pieces.every(isString)) return;
    let text = '';
    const jsonOffsets: number[] = [];
    for (const piece of pieces) {
      text += piece.value as string;
      jsonOffsets.push(...decodedOffsets(json, piece));
    }
    jsonOffsets.push(pieces.length ? pieces[pieces.length - 1].offset + pieces[pieces.length - 1].length - 1 : (source?.offset ?? 0));
    out.push({ number: i + 1, text: blankMagics(text), raw: text, lines: source?.type === 'array', jsonOffsets });
  });
  return { cells: out };
}

/** For each character of a JSON string literal's value, its offset in the JSON text. */
function decodedOffsets(json: string, literal: Node): number[] {
  const out: number[] = [];
  const end = literal.offset + literal.length - 1;
  for (let at = literal.offset + 1; at < end; ) {
    out.push(at);
    if (json[at] !== '\\') at++;
    else if (json[at + 1] === 'u') {
      // A surrogate pair written as two escapes is two UTF-16 units: one offset each.
      at += 6;
    } else at += 2;
  }
  return out;
}

/**
 * IPython's line magics (`%matplotlib inline`) and shell lines (`!pip install torch`) are not
 * Python: blanked to spaces of the same length so every other offset stays where it was. A
 * cell magic (`%%bash`) makes the whole cell another language: blanked whole.
 */
function blankMagics(text: string): string {
  if (/^\s*%%(?!time|timeit|capture)/.test(text)) return text.replace(/[^\n]/g, ' ');
  return text.replace(/^([ \t]*)[%!][^\n]*/gm, (line) => line.replace(/[^\s]/g, ' '));
}

/** A range of a cell's text as a range of the notebook's JSON text. */
export function cellRangeInJson(cell: NotebookCell, range: Range): Range {
  const at = (offset: number) => cell.jsonOffsets[Math.max(0, Math.min(offset, cell.jsonOffsets.length - 1))];
  return { start: at(range.start), end: at(range.end) };
}

/**
 * A fixed cell text (fixes were made on `cell.text`) with the cell's blanked magics put back;
 * undefined when a fix changed text across a magic line, which then cannot be kept.
 */
export function restoreMagics(cell: NotebookCell, fixed: string): string | undefined {
  const before = cell.text;
  let prefix = 0;
  while (prefix < before.length && prefix < fixed.length && before[prefix] === fixed[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < fixed.length - prefix && before[before.length - 1 - suffix] === fixed[fixed.length - 1 - suffix]) suffix++;
  const changedEnd = before.length - suffix;
  if (cell.raw.slice(prefix, changedEnd) !== before.slice(prefix, changedEnd)) return undefined;
  return cell.raw.slice(0, prefix) + fixed.slice(prefix, fixed.length - suffix) + cell.raw.slice(changedEnd);
}

/** The notebook's JSON with the given cells' sources replaced (by cell number), nothing else changed. */
export function writeCells(json: string, cells: readonly NotebookCell[], texts: ReadonlyMap<number, string>): string {
  const indent = /\n( +)"/.exec(json)?.[1].length ?? 1;
  let out = json;
  for (const cell of cells) {
    const text = texts.get(cell.number);
    if (text === undefined) continue;
    const value = cell.lines ? (text.match(/[^\n]*\n|[^\n]+$/g) ?? []) : text;
    const edits = modify(out, ['cells', cell.number - 1, 'source'], value, { formattingOptions: { insertSpaces: true, tabSize: indent, eol: '\n' } });
    out = applyEdits(out, edits);
  }
  return out;
}

/** Where an offset of the notebook's JSON text is in a cell: its number and 0-based line and column. */
export function cellPositionAt(cells: readonly NotebookCell[], jsonOffset: number): { cell: number; line: number; character: number } | undefined {
  for (const cell of cells) {
    const offsets = cell.jsonOffsets;
    if (jsonOffset < offsets[0] || jsonOffset > offsets[offsets.length - 1]) continue;
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= jsonOffset) lo = mid;
      else hi = mid - 1;
    }
    const before = cell.text.slice(0, lo);
    const line = before.split('\n').length - 1;
    return { cell: cell.number, line, character: lo - (before.lastIndexOf('\n') + 1) };
  }
  return undefined;
}
