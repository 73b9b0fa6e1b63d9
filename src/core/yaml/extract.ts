// The YOLO YAML front end: recognises Ultralytics model files and expands them into the
// model graph as parse_model builds them. Every other YAML is ignored without a message.

import { chargeParse, countTokens, isBudgetExhausted } from '../budget';
import * as path from 'path';
import type { ExtractResult, ModelGraph } from '../graph';
import { readModelDocument } from './document';
import { expandModel } from './expand';
import { chooseScale } from './scale';
import { chooseDialect, DIALECT_NAMES, type Dialect } from './dialect';
import { ProjectModules } from './customModules';
import type { ReadFile } from '../tfjs/modules';

export interface YamlOptions {
  /** Scale letter used when the file name carries none. */
  scale?: string;
  /** The repository whose parse_model reads the file; recognised from the content when unset. */
  dialect?: Dialect;
  /** Reads the project's Python files, where unknown module names are looked up (the core reads none itself). */
  readFile?: ReadFile;
}

/**
 * YAML tokens (separators) a model file is far below: Ultralytics' largest has about a
 * thousand. The yaml package spends tens of microseconds a token, so a 4 MB flow list took a
 * minute to parse; larger files are not parsed at all.
 */
const MAX_YAML_TOKENS = 50_000;

export function extractYaml(file: string, text: string, options: YamlOptions = {}): ExtractResult {
  const tokens = countTokens(text);
  if (tokens > MAX_YAML_TOKENS) {
    // Other YAML (workflows, data) is left alone, as always; a model file is told why it is not read.
    if (!/^backbone\s*:/m.test(text) || !/^head\s*:/m.test(text)) return { file, models: [], problems: [] };
    const message = `This YAML has ${tokens} items, far more than any model file (a limit of ${MAX_YAML_TOKENS}); gradlint does not read it.`;
    return { file, models: [], problems: [{ message, range: { start: 0, end: 0 }, severity: 'warning', code: 'analysis-stopped' }] };
  }
  chargeParse(text);
  try {
    const { document, problems } = readModelDocument(text);
    if (!document) return { file, models: [], problems: [] };
    const scale = chooseScale(document, file, options.scale, problems);
    const { dialect } = chooseDialect(document, options.dialect);
    const project = options.readFile ? new ProjectModules(file, options.readFile) : undefined;
    const expansion = expandModel(document, text, scale, dialect, project);
    const stem = path.basename(file);
    // Files of the YOLOv5/v7/v9 repositories say so in their name (what `graph` shows).
    const labels = [scale.letter ? `scale ${scale.letter}` : '', dialect === 'ultralytics' ? '' : DIALECT_NAMES[dialect]].filter((l) => l !== '');
    const model: ModelGraph = {
      name: labels.length > 0 ? `${stem} (${labels.join(', ')})` : stem,
      line: 1,
      range: { start: 0, end: text.length },
      source: 'yaml',
      layers: expansion.layers,
      nodes: expansion.nodes,
      inputs: ['input'],
      outputs: expansion.outputs,
      inputShape: expansion.inputShape,
      rows: expansion.rows,
      params: expansion.params,
    };
    if (expansion.notes.length > 0) model.notes = expansion.notes;
    if (expansion.unknownRows.rows.length > 0) model.unknownRows = expansion.unknownRows;
    return { file, models: [model], problems: [...problems, ...expansion.problems] };
  } catch (err) {
    // The front end never throws: an internal failure is reported, not raised.
    // The budget running out is the one exception: extractModels reports it for the file.
    if (isBudgetExhausted(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    return { file, models: [], problems: [{ message: `gradlint could not read this model file: ${message}`, range: { start: 0, end: 0 }, severity: 'error', code: 'internal-error' }] };
  }
}
