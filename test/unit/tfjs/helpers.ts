import * as fs from 'fs';
import * as path from 'path';
import type { ExtractResult, Layer, ModelGraph, Range } from '../../../src/core/graph';
import { extractTfjs } from '../../../src/core/tfjs/extract';

export const FIXTURES = path.join(__dirname, '../../fixtures/tfjs');

export interface Loaded extends ExtractResult {
  text: string;
  /** The model with this name (fails the test when absent). */
  model(name: string): ModelGraph;
}

export function load(name: string): Loaded {
  const file = path.join(FIXTURES, name);
  const text = fs.readFileSync(file, 'utf8');
  const result = extractTfjs(file, text);
  return {
    ...result,
    text,
    model(modelName: string): ModelGraph {
      const m = result.models.find((x) => x.name === modelName);
      if (!m) throw new Error(`no model ${modelName} in ${name}: ${result.models.map((x) => x.name).join(', ')}`);
      return m;
    },
  };
}

/** Layers in the order data flows through them (one entry per application). */
export function flow(model: ModelGraph): Layer[] {
  return model.nodes.map((n) => model.layers.find((l) => l.id === n.layer)!);
}

export const kinds = (model: ModelGraph): string[] => flow(model).map((l) => l.kind);

export const slice = (text: string, r: Range | undefined): string => (r ? text.slice(r.start, r.end) : '<none>');
