// The YOLO YAML front end: recognises Ultralytics model files and expands them into the
// model graph as parse_model builds them. Every other YAML is ignored without a message.

import * as path from 'path';
import type { ExtractResult, ModelGraph } from '../graph';
import { readModelDocument } from './document';
import { expandModel } from './expand';
import { chooseScale } from './scale';
import { chooseDialect, DIALECT_NAMES, type Dialect } from './dialect';

export interface YamlOptions {
  /** Scale letter used when the file name carries none. */
  scale?: string;
  /** The repository whose parse_model reads the file; recognised from the content when unset. */
  dialect?: Dialect;
}

export function extractYaml(file: string, text: string, options: YamlOptions = {}): ExtractResult {
  try {
    const { document, problems } = readModelDocument(text);
    if (!document) return { file, models: [], problems: [] };
    const scale = chooseScale(document, file, options.scale, problems);
    const { dialect } = chooseDialect(document, options.dialect);
    const expansion = expandModel(document, text, scale, dialect);
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
    const message = err instanceof Error ? err.message : String(err);
    return { file, models: [], problems: [{ message: `gradlint could not read this model file: ${message}`, range: { start: 0, end: 0 }, severity: 'error' }] };
  }
}
