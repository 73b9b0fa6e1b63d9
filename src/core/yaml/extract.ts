// The YOLO YAML front end: recognises Ultralytics model files and expands them into the
// model graph as parse_model builds them. Every other YAML is ignored without a message.

import { isBudgetExhausted } from '../budget';
import * as path from 'path';
import type { ExtractResult, ModelGraph } from '../graph';
import { readModelDocument } from './document';
import { expandModel } from './expand';
import { chooseScale } from './scale';

export interface YamlOptions {
  /** Scale letter used when the file name carries none. */
  scale?: string;
}

export function extractYaml(file: string, text: string, options: YamlOptions = {}): ExtractResult {
  try {
    const { document, problems } = readModelDocument(text);
    if (!document) return { file, models: [], problems: [] };
    const scale = chooseScale(document, file, options.scale, problems);
    const expansion = expandModel(document, text, scale);
    const stem = path.basename(file);
    const model: ModelGraph = {
      name: scale.letter ? `${stem} (scale ${scale.letter})` : stem,
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
    return { file, models: [model], problems: [...problems, ...expansion.problems] };
  } catch (err) {
    // The front end never throws: an internal failure is reported, not raised.
    // The budget running out is the one exception: extractModels reports it for the file.
    if (isBudgetExhausted(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    return { file, models: [], problems: [{ message: `gradlint could not read this model file: ${message}`, range: { start: 0, end: 0 }, severity: 'error', code: 'internal-error' }] };
  }
}
