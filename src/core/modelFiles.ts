// Which files are model files: one decision for the CLI, the extension and the probe. By
// name (the front end that reads a file), by a glance at the text (cheap enough to keep
// unrelated files away from the parsers), and which files a workspace's .gitignore leaves out.
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';

export type FileKind = 'tfjs' | 'model.json' | 'yaml' | 'python';

const EXTENSIONS: Record<FileKind, readonly string[]> = {
  tfjs: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'],
  yaml: ['yaml', 'yml'],
  'model.json': ['json'],
  python: ['py'],
};
const KIND_BY_EXTENSION = new Map(Object.entries(EXTENSIONS).flatMap(([kind, exts]) => exts.map((e) => [`.${e}`, kind as FileKind])));

/** Every file fileKind accepts, as a glob. */
export const MODEL_FILE_GLOB = `**/*.{${Object.values(EXTENSIONS).flat().join(',')}}`;

/** Which front end reads a file, by its name; undefined for files gradlint does not read. */
export function fileKind(file: string): FileKind | undefined {
  return KIND_BY_EXTENSION.get(path.extname(file).toLowerCase());
}

/**
 * Jupyter notebooks, read by the command line as their Python code cells
 * (`core/python/notebook.ts`); the editor lints their cells as documents of their own.
 */
export const isNotebook = (file: string): boolean => path.extname(file).toLowerCase() === '.ipynb';

/** The path a notebook's cell is analysed under: next to the notebook (so its settings apply), Python unless the cell says otherwise. */
export const notebookCellPath = (notebook: string, extension = '.py'): string => `${notebook}.cell${extension}`;

/** Every file the command line reads (model files and notebooks), as a glob. */
export const CLI_FILE_GLOB = `**/*.{${[...Object.values(EXTENSIONS).flat(), 'ipynb'].join(',')}}`;

/** Whether the command line reads a file: a model file or a notebook. */
export const readByCli = (file: string): boolean => fileKind(file) !== undefined || isNotebook(file);

/** VS Code language ids of the files gradlint reads. */
const KIND_BY_LANGUAGE: Record<string, FileKind> = {
  javascript: 'tfjs',
  typescript: 'tfjs',
  javascriptreact: 'tfjs',
  typescriptreact: 'tfjs',
  yaml: 'yaml',
  json: 'model.json',
  jsonc: 'model.json',
  python: 'python',
};
export const MODEL_LANGUAGES = Object.keys(KIND_BY_LANGUAGE);

/** The kind of model file an editor language stands for. */
export const languageKind = (languageId: string): FileKind | undefined => KIND_BY_LANGUAGE[languageId];

/** A dependency's file: never the user's model (tfjs's own bundles mention tfjs). */
export const inNodeModules = (file: string): boolean => file.split(/[\\/]/).includes('node_modules');

/** Code that builds tfjs layers mentions tfjs (its import) or calls a `layers.` factory. */
const TFJS_HINT = /tfjs|\blayers\s*\??\.\s*[a-zA-Z]/;
/** An Ultralytics model file has top-level `backbone:` and `head:` sections. */
const YOLO_HINT = /^(?:backbone|head)\s*:/m;
/** PyTorch or Keras model code imports (or names) its framework. */
const PYTHON_HINT = /\b(?:torch|keras|tensorflow)\b/;
/** A tfjs model.json carries its topology. */
const MODEL_JSON_HINT = /"modelTopology"|"model_config"/;

/** Why a file is not read as a model, for people; `kind` is what programs decide on. */
export interface NotAModel {
  kind: 'not-a-model' | 'dependency';
  message: string;
}

/** Why the text of a file of `kind` is not a model to analyse; undefined when it looks like one. */
export function notAModel(kind: FileKind | undefined, fileName: string, text: string): NotAModel | undefined {
  const no = (message: string): NotAModel => ({ kind: 'not-a-model', message });
  if (!kind) return no('not a model language');
  if (inNodeModules(fileName)) return { kind: 'dependency', message: 'in node_modules (a dependency, not your model)' };
  switch (kind) {
    case 'tfjs':
      return TFJS_HINT.test(text) ? undefined : no('no TensorFlow.js layers in it');
    case 'yaml':
      return YOLO_HINT.test(text) ? undefined : no('not a YOLO model file (no backbone/head sections)');
    case 'model.json':
      return path.basename(fileName) === 'model.json' || MODEL_JSON_HINT.test(text) ? undefined : no('not a tfjs model.json');
    case 'python':
      return PYTHON_HINT.test(text) ? undefined : no('no PyTorch or Keras in it');
  }
}

/** The `.gitignore` files that apply to a tree, however they were read (from disk, through VS Code). */
export class Gitignores {
  private readonly rules: { dir: string; rules: Ignore }[];

  constructor(files: { dir: string; text: string }[]) {
    this.rules = files.map(({ dir, text }) => ({ dir, rules: ignore().add(text) }));
  }

  /** Whether a file is ignored by a .gitignore above it, or is a dependency. */
  ignores(file: string): boolean {
    if (inNodeModules(file)) return true;
    return this.rules.some(({ dir, rules }) => {
      const rel = path.relative(dir, file);
      return !rel.startsWith('..') && !path.isAbsolute(rel) && rules.ignores(rel.split(path.sep).join('/'));
    });
  }
}
