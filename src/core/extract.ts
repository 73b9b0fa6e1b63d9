import type { ExtractResult } from './graph';
import { extractTfjs } from './tfjs/extract';
import type { ReadFile } from './tfjs/modules';
import { extractModelJson } from './modeljson/extract';
import { extractYaml } from './yaml/extract';
import { fileKind } from './modelFiles';

export interface ExtractOptions {
  /** YOLO scale letter to use when the file name does not carry one. */
  yoloScale?: string;
  /** Reads another file of the project (tfjs builders imported by relative path); the core reads none itself. */
  readFile?: ReadFile;
}

/** Reads every model defined in one file. Never throws; unreadable input becomes problems. */
export function extractModels(file: string, text: string, options: ExtractOptions = {}): ExtractResult {
  switch (fileKind(file)) {
    case 'tfjs':
      return extractTfjs(file, text, undefined, options.readFile);
    case 'yaml':
      return extractYaml(file, text, { scale: options.yoloScale });
    case 'model.json':
      return extractModelJson(file, text);
    default:
      return { file, models: [], problems: [] };
  }
}
