// What a file gives the front ends: its text, or for a Jupyter notebook each Python code cell
// read after the cells above it (as the kernel runs them), with where its text sits in the file.
import * as fs from 'fs';
import { isNotebook, notebookCellPath } from '../core/modelFiles';
import { readNotebook, type NotebookCell } from '../core/python/notebook';

export interface SourceText {
  /** The path the front ends read the text under (a cell's is Python, next to its notebook). */
  path: string;
  text: string;
  /** A cell's: the Python cells above it. */
  prelude?: string;
  cell?: NotebookCell;
}

/** The texts of one file's models, or why a notebook cannot be read. */
export function sourceTexts(file: string, text: string): { sources: SourceText[] } | { error: string } {
  if (!isNotebook(file)) return { sources: [{ path: file, text }] };
  const notebook = readNotebook(text);
  if ('error' in notebook) return notebook;
  const cellPath = notebookCellPath(file);
  return {
    sources: notebook.cells.map((cell, i) => ({
      path: cellPath,
      text: cell.text,
      prelude: i ? notebook.cells.slice(0, i).map((c) => c.text).join('\n') : undefined,
      cell,
    })),
  };
}

/** How a cell is named to people: `notebook.ipynb#cell3` (cells counted from 1, markdown included). */
export const cellLabel = (display: string, cell: NotebookCell): string => `${display}#cell${cell.number}`;

/**
 * The whole program a file runs: its text, or a notebook's Python cells joined in order (as
 * the kernel runs them), under a Python path. For the estimate and the probe, which report
 * per model rather than per position.
 */
export function programText(file: string, text: string): { path: string; text: string } | { error: string } {
  const read = sourceTexts(file, text);
  if ('error' in read) return read;
  if (!isNotebook(file)) return { path: file, text };
  return { path: notebookCellPath(file), text: read.sources.map((s) => s.text).join('\n') };
}

/**
 * Reads `file` as the program `gradlint <command>` runs (see programText); on an unreadable
 * file or notebook says why on stderr and returns undefined (the command exits 2).
 */
export function readProgram(command: string, file: string): { path: string; text: string } | undefined {
  let program: ReturnType<typeof programText>;
  try {
    program = programText(file, fs.readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`gradlint ${command}: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  if ('error' in program) {
    console.error(`gradlint ${command}: ${file}: ${program.error}`);
    return undefined;
  }
  return program;
}
