import type { ExtractResult } from './graph';
import { extractTfjs } from './tfjs/extract';
import { extractModelJson } from './modeljson/extract';
import { extractYaml } from './yaml/extract';
import { fileKind } from './modelFiles';

export interface ExtractOptions {
  /** YOLO scale letter to use when the file name does not carry one. */
  yoloScale?: string;
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
    default:
      return { file, models: [], problems: [] };
  }
}
