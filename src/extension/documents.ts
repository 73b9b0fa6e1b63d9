// Which open documents gradlint reads, decided cheaply from the language and a glance at the
// text, so that activation and unrelated files never reach the parsers.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Settings } from './settings';

const CODE_LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];

/** Where the providers (code actions, hover, CodeLens) apply. */
export const MODEL_SELECTOR: vscode.DocumentSelector = [
  ...CODE_LANGUAGES.map((language) => ({ language })),
  { language: 'yaml' },
  { language: 'json' },
  { language: 'jsonc' },
];

const CODE_EXTENSIONS: Record<string, string> = {
  javascript: '.js',
  typescript: '.ts',
  javascriptreact: '.jsx',
  typescriptreact: '.tsx',
  yaml: '.yaml',
  json: '.json',
  jsonc: '.json',
};

/** Code that builds tfjs layers mentions tfjs (its import) or calls a `layers.` factory. */
const TFJS_HINT = /tfjs|\blayers\s*\??\.\s*[a-zA-Z]/;
/** An Ultralytics model file has top-level `backbone:` and `head:` sections. */
const YOLO_HINT = /^(?:backbone|head)\s*:/m;
/** A tfjs model.json carries its topology. */
const MODEL_JSON_HINT = /"modelTopology"|"model_config"/;

export type ModelFileKind = 'code' | 'yaml' | 'json';

/** The kind of model file a language id or file extension stands for. */
export function kindOf(languageIdOrExtension: string): ModelFileKind | undefined {
  const id = languageIdOrExtension.toLowerCase();
  if (CODE_LANGUAGES.includes(id) || /^\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(id)) return 'code';
  if (id === 'yaml' || id === '.yaml' || id === '.yml') return 'yaml';
  if (id === 'json' || id === 'jsonc' || id === '.json') return 'json';
  return undefined;
}

/** Why a file of this kind does not look like a model file; undefined when it does. */
function notAModel(kind: ModelFileKind, fileName: string, text: string): string | undefined {
  switch (kind) {
    case 'code':
      return TFJS_HINT.test(text) ? undefined : 'no TensorFlow.js layers in it';
    case 'yaml':
      return YOLO_HINT.test(text) ? undefined : 'not a YOLO model file (no backbone/head sections)';
    case 'json':
      return path.basename(fileName) === 'model.json' || MODEL_JSON_HINT.test(text) ? undefined : 'not a tfjs model.json';
  }
}

/** Named in the reason a model file is skipped for its size: the one skip a user can act on. */
export const SIZE_SETTING = 'gradlint.maxFileSizeKiB';

/**
 * Why a file is not analysed; undefined when it is. A dependency's sources (tfjs's own bundles
 * mention tfjs) and files above the size limit are left alone: the analysis runs on the
 * extension host, and a multi-megabyte bundle would hold it up for seconds on every edit.
 */
export function skipReasonFor(kind: ModelFileKind | undefined, fileName: string, text: string, maxFileSizeKiB: number): string | undefined {
  if (!kind) return 'not a model language';
  if (fileName.split(/[\\/]/).includes('node_modules')) return 'in node_modules (a dependency, not your model)';
  const notModel = notAModel(kind, fileName, text);
  if (notModel) return notModel;
  const kib = Buffer.byteLength(text, 'utf8') / 1024;
  return kib > maxFileSizeKiB ? `${Math.ceil(kib)} KiB, above ${SIZE_SETTING} (${maxFileSizeKiB} KiB)` : undefined;
}

const NOTEBOOK_CELL = 'vscode-notebook-cell';
/** Files, unsaved editors, and the code cells of notebooks (each analysed on its own). */
const ANALYSED_SCHEMES = new Set(['file', 'untitled', NOTEBOOK_CELL]);

/** Why a document is not analysed under its `settings`; undefined when it is. */
export function skipReason(doc: vscode.TextDocument, settings: Settings): string | undefined {
  if (!ANALYSED_SCHEMES.has(doc.uri.scheme)) return `scheme ${doc.uri.scheme} is not a file`;
  return skipReasonFor(kindOf(doc.languageId), doc.fileName, doc.getText(), settings.maxFileSizeKiB);
}

export function isModelLanguage(doc: vscode.TextDocument): boolean {
  return kindOf(doc.languageId) !== undefined;
}

/**
 * The path the core analyses the text under: the file itself, or for an untitled document a
 * name in the first workspace folder (so `.gradlintrc.json` is found) with the language's extension.
 */
export function analysisPath(doc: vscode.TextDocument): string {
  if (doc.uri.scheme === 'file') return doc.uri.fsPath;
  // A cell's path is its notebook's: settings are found next to the notebook.
  if (doc.uri.scheme === NOTEBOOK_CELL) return `${doc.uri.fsPath}.cell${CODE_EXTENSIONS[doc.languageId] ?? ''}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const name = doc.uri.path.replace(/[^\w.-]/g, '_') || 'untitled';
  return path.join(folder, name + (CODE_EXTENSIONS[doc.languageId] ?? ''));
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
