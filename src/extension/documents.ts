// Which documents the extension hands to the language server, and which ones a tab shows.
import * as vscode from 'vscode';
import { MODEL_LANGUAGES } from '../core/modelFiles';

/** Files, unsaved editors, and the code cells of notebooks (each analysed on its own). */
const SCHEMES = ['file', 'untitled', 'vscode-notebook-cell'];

/** The documents the language server reads and its providers apply to. */
export const MODEL_SELECTOR: vscode.DocumentFilter[] = MODEL_LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme })));

/** The documents some editor tab shows (both sides of a diff, every cell of a notebook), by URI string. */
export function documentsInTabs(): Set<string> {
  const shown = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText) shown.add(tab.input.uri.toString());
      else if (tab.input instanceof vscode.TabInputTextDiff) {
        shown.add(tab.input.original.toString());
        shown.add(tab.input.modified.toString());
      } else if (tab.input instanceof vscode.TabInputNotebook) {
        const notebookUri = tab.input.uri.toString();
        const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === notebookUri);
        for (const cell of notebook?.getCells() ?? []) shown.add(cell.document.uri.toString());
      }
    }
  }
  return shown;
}

const NOTEBOOK_CELL = 'vscode-notebook-cell';

/** The Python code cells of the notebook a cell belongs to, in order, and the cell's index among them. */
function pythonCells(doc: vscode.TextDocument): { cells: vscode.TextDocument[]; index: number } | undefined {
  if (doc.uri.scheme !== NOTEBOOK_CELL || doc.languageId !== 'python') return undefined;
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cells = notebook
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python')
      .map((c) => c.document);
    const index = cells.indexOf(doc);
    if (index >= 0) return { cells, index };
  }
  return undefined;
}

/**
 * A Python notebook cell is read after the Python code cells above it, as the kernel runs
 * them in order: their imports, classes and functions are known, their models are not its own.
 * The language server asks for it (it sees cells as documents, not the notebook).
 */
export function notebookPrelude(doc: vscode.TextDocument): string | undefined {
  const found = pythonCells(doc);
  if (!found || found.index === 0) return undefined;
  return found.cells
    .slice(0, found.index)
    .map((c) => c.getText())
    .join('\n');
}

/** The Python cells below a cell, whose reading depends on it. */
export function cellsAfter(doc: vscode.TextDocument): vscode.TextDocument[] {
  const found = pythonCells(doc);
  return found ? found.cells.slice(found.index + 1) : [];
}
