import type { ExtractResult } from './graph';
import { extractTfjs } from './tfjs/extract';
import { extractModelJson } from './modeljson/extract';
import { extractYaml } from './yaml/extract';
import { fileKind } from './modelFiles';
import type { Dialect } from './yaml/dialect';

export interface ExtractOptions {
  /** YOLO scale letter to use when the file name does not carry one. */
  yoloScale?: string;
  /** The repository whose parse_model reads YOLO YAML files; recognised per file when unset. */
  yoloDialect?: Dialect;
}

/** Reads every model defined in one file. Never throws; unreadable input becomes problems. */
export function extractModels(file: string, text: string, options: ExtractOptions = {}): ExtractResult {
  switch (fileKind(file)) {
    case 'tfjs':
      return extractTfjs(file, text);
    case 'yaml':
      return extractYaml(file, text, { scale: options.yoloScale, dialect: options.yoloDialect });
    case 'model.json':
      return extractModelJson(file, text);
    default:
      return { file, models: [], problems: [] };
  }
}
