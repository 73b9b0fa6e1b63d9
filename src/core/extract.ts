import * as path from 'path';
import type { ExtractResult } from './graph';
import { extractTfjs } from './tfjs/extract';
import { extractModelJson } from './modeljson/extract';
import { extractYaml } from './yaml/extract';
import { extractPython } from './python/extract';

export interface ExtractOptions {
  /** YOLO scale letter to use when the file name does not carry one. */
  yoloScale?: string;
  /** Python notebook cells: the code cells above, run before this one (their imports, classes, functions). */
  prelude?: string;
}

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx']);
const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

export type FileKind = 'tfjs' | 'model.json' | 'yaml' | 'python';

/** Which front end reads a file, by its name; undefined for files gradlint does not read. */
export function fileKind(file: string): FileKind | undefined {
  const ext = path.extname(file).toLowerCase();
  if (CODE_EXTENSIONS.has(ext)) return 'tfjs';
  if (YAML_EXTENSIONS.has(ext)) return 'yaml';
  if (ext === '.json') return 'model.json';
  if (ext === '.py' || ext === '.pyi') return 'python';
  return undefined;
}

/** Reads every model defined in one file. Never throws; unreadable input becomes problems. */
export function extractModels(file: string, text: string, options: ExtractOptions = {}): ExtractResult {
  switch (fileKind(file)) {
    case 'tfjs':
      return extractTfjs(file, text);
    case 'yaml':
      return extractYaml(file, text, { scale: options.yoloScale });
    case 'model.json':
      return extractModelJson(file, text);
    case 'python':
      return extractPython(file, text, options.prelude);
    default:
      return { file, models: [], problems: [] };
  }
}
