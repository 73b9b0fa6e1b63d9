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
