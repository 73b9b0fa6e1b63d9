// Which open documents gradlint reads, decided cheaply from the language and a glance at the
// text (core/modelFiles.ts), so that activation and unrelated files never reach the parsers.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Settings } from './settings';
import { languageKind, MODEL_LANGUAGES, notAModel, type FileKind, type NotAModel } from '../core/modelFiles';

/** Where the providers (code actions, hover, CodeLens) apply. */
export const MODEL_SELECTOR: vscode.DocumentSelector = MODEL_LANGUAGES.map((language) => ({ language }));

/** The extension an untitled document or a notebook cell is analysed under, by its language. */
const EXTENSIONS: Record<string, string> = {
  javascript: '.js',
  typescript: '.ts',
  javascriptreact: '.jsx',
  typescriptreact: '.tsx',
  yaml: '.yaml',
  json: '.json',
  jsonc: '.json',
  python: '.py',
};

/** Named in the reason a model file is skipped for its size: the one skip a user can act on. */
export const SIZE_SETTING = 'gradlint.maxFileSizeKiB';

/** Why a file is not analysed: `kind` for deciding (only a size skip is shown to the user), `message` for people. */
export interface SkipReason {
  kind: NotAModel['kind'] | 'too-large' | 'scheme' | 'disabled';
  message: string;
}

/**
 * Why a file is not analysed; undefined when it is. A dependency's sources (tfjs's own bundles
 * mention tfjs) and files above the size limit are left alone: the analysis runs on the
 * extension host, and a multi-megabyte bundle would hold it up for seconds on every edit.
 */
export function skipReasonFor(kind: FileKind | undefined, fileName: string, text: string, maxFileSizeKiB: number): SkipReason | undefined {
  const notModel = notAModel(kind, fileName, text);
  if (notModel) return notModel;
  const kib = Buffer.byteLength(text, 'utf8') / 1024;
  return kib > maxFileSizeKiB ? { kind: 'too-large', message: `${Math.ceil(kib)} KiB, above ${SIZE_SETTING} (${maxFileSizeKiB} KiB)` } : undefined;
}

const NOTEBOOK_CELL = 'vscode-notebook-cell';
/** Files, unsaved editors, and the code cells of notebooks (each analysed on its own). */
const ANALYSED_SCHEMES = new Set(['file', 'untitled', NOTEBOOK_CELL]);

/** Why a document is not analysed under its `settings`; undefined when it is. */
export function skipReason(doc: vscode.TextDocument, settings: Settings): SkipReason | undefined {
  if (!ANALYSED_SCHEMES.has(doc.uri.scheme)) return { kind: 'scheme', message: `scheme ${doc.uri.scheme} is not a file` };
  // A Python cell may use what cells above it import and define.
  const prelude = notebookPrelude(doc);
  const text = prelude ? `${prelude}\n${doc.getText()}` : doc.getText();
  return skipReasonFor(languageKind(doc.languageId), doc.fileName, text, settings.maxFileSizeKiB);
}

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

export function isModelLanguage(doc: vscode.TextDocument): boolean {
  return languageKind(doc.languageId) !== undefined;
}

/**
 * The path the core analyses the text under: the file itself, or for an untitled document a
 * name in the first workspace folder (so `.gradlintrc.json` is found) with the language's extension.
 */
export function analysisPath(doc: vscode.TextDocument): string {
  if (doc.uri.scheme === 'file') return doc.uri.fsPath;
  // A cell's path is its notebook's: settings are found next to the notebook.
  if (doc.uri.scheme === NOTEBOOK_CELL) return `${doc.uri.fsPath}.cell${EXTENSIONS[doc.languageId] ?? ''}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const name = doc.uri.path.replace(/[^\w.-]/g, '_') || 'untitled';
  return path.join(folder, name + (EXTENSIONS[doc.languageId] ?? ''));
}

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
