import type { ExtractResult } from './graph';
import { extractTfjs } from './tfjs/extract';
import { extractModelJson } from './modeljson/extract';
import { extractYaml } from './yaml/extract';
import { extractPython } from './python/extract';
import { fileKind } from './modelFiles';

export interface ExtractOptions {
  /** YOLO scale letter to use when the file name does not carry one. */
  yoloScale?: string;
  /** Python notebook cells: the code cells above, run before this one (their imports, classes, functions). */
  prelude?: string;
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
