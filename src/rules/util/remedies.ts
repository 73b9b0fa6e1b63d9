// Fix candidates shared by the estimate-driven rules: change activations, initializers, or
// insert batch normalisation. Each candidate is tried on a copy of the graph with the
// estimate, so a fix is only offered when the estimate shows it heals the finding.

import type { Fix } from '../../core/diagnostic';
import type { GraphNode, Layer, ModelGraph, Value } from '../../core/graph';
import type { ModelEstimate } from '../../core/estimate/types';
import { applyLayerDefaults } from '../../core/layerDefaults';
import { insertBatchNormAfter, setLayerConfig } from '../../core/fixes/edits';
import type { RuleContext } from '../../core/rule';
import { coreLayer } from './graphView';

const HE = new Set(['relu', 'relu6', 'elu', 'leakyReLU', 'prelu', 'thresholdedReLU', 'gelu', 'gelu_new', 'swish', 'mish', 'softplus']);

/** The initializer whose scale fits an activation: He for the relu family, LeCun for selu, Glorot otherwise. */
export function fittingInitializer(activation: string): 'heNormal' | 'leCunNormal' | 'glorotNormal' {
  if (HE.has(activation)) return 'heNormal';
  if (activation === 'selu') return 'leCunNormal';
  return 'glorotNormal';
}

/** One change to one layer: new config values, or a batch normalisation inserted after it. */
export interface LayerChange {
  layer: Layer;
  config?: Record<string, Value>;
  batchNormAfter?: boolean;
}

export interface Candidate {
  title: string;
  changes: LayerChange[];
}

/** Source text for a config value: strings quoted in the file's style, initializer specs by name. */
function valueCode(value: Value, quote: string): string {
  if (typeof value === 'string') return `${quote}${value}${quote}`;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.name === 'string' && Object.keys(value).length === 1) {
    return `${quote}${value.name}${quote}`;
  }
  return JSON.stringify(value);
}

/** Sets an activation; on a weighted layer also the initializer that fits it. */
export const setActivation = (layer: Layer, activation: string, weighted: boolean): LayerChange => ({
  layer: coreLayer(layer),
  config: weighted ? { activation, kernelInitializer: { name: fittingInitializer(activation) } } : { activation },
});

export const setInitializer = (layer: Layer, key: string, name: string): LayerChange => ({
  layer: coreLayer(layer),
  config: { [key]: { name } },
});

/** The model with the changes made, as the front end would read the edited source. */
export function changedModel(model: ModelGraph, changes: LayerChange[]): ModelGraph {
  const patches = new Map<string, Record<string, Value>>();
  for (const c of changes) if (c.config) patches.set(c.layer.id, { ...patches.get(c.layer.id), ...c.config });
  const patch = (layer: Layer): Layer => {
    const config = patches.get(layer.id);
    const wrapped = layer.wrapped ? patch(layer.wrapped) : undefined;
    if (!config && wrapped === layer.wrapped) return layer;
    return { ...layer, config: config ? { ...layer.config, ...config } : layer.config, wrapped };
  };
  const layers = model.layers.map(patch);
  const normalizeAfter = new Set(changes.filter((c) => c.batchNormAfter).map((c) => c.layer.id));
  if (!normalizeAfter.size) return { ...model, layers };

  const nodes: GraphNode[] = [];
  const renamed = new Map<string, string>();
  const rename = (id: string): string => renamed.get(id) ?? id;
  const layerById = new Map(layers.map((l) => [l.id, l]));
  for (const node of model.nodes) {
    nodes.push({ ...node, inputs: node.inputs.map(rename) });
    const layer = layerById.get(node.layer);
    if (!layer || !(normalizeAfter.has(layer.id) || normalizeAfter.has(coreLayer(layer).id))) continue;
    const bn: Layer = {
      id: `${node.id}#batchNormalization`,
      name: `${layer.name}_batch_normalization`,
      kind: 'batchNormalization',
      config: applyLayerDefaults('batchNormalization', {}),
      unknown: {},
      line: layer.line,
      range: layer.range,
      props: {},
    };
    layers.push(bn);
    nodes.push({ id: bn.id, layer: bn.id, inputs: [node.id] });
    renamed.set(node.id, bn.id);
  }
  return { ...model, layers, nodes, outputs: model.outputs.map(rename) };
}

/** The text edits making the changes, or undefined when one of them cannot be written. */
function editsFor(ctx: RuleContext, changes: LayerChange[]): Fix['edits'] | undefined {
  const quote = ctx.source.editable ? ctx.source.quote() : "'";
  const edits: Fix['edits'] = [];
  for (const change of changes) {
    if (change.config) {
      const code = Object.fromEntries(Object.entries(change.config).map(([k, v]) => [k, valueCode(v, quote)]));
      const made = setLayerConfig(ctx.source, change.layer, code);
      if (!made) return undefined;
      edits.push(...made);
    }
    if (change.batchNormAfter) {
      const made = insertBatchNormAfter(ctx.source, change.layer);
      if (!made) return undefined;
      edits.push(...made);
    }
  }
  return edits;
}

/**
 * The candidates the estimate shows healing, as fixes: `score` returns how far from healthy
 * a changed model's estimate is (lower is better) or undefined when the finding remains.
 * Candidates keep their given order of preference, each group sorted by score; the first
 * healing one is the preferred fix.
 */
export function healingFixes(
  ctx: RuleContext,
  groups: Candidate[][],
  score: (estimate: ModelEstimate, model: ModelGraph) => number | undefined,
): Fix[] {
  const fixes: Fix[] = [];
  for (const group of groups) {
    const scored: { fix: Fix; score: number }[] = [];
    for (const candidate of group) {
      if (!candidate.changes.length) continue;
      const edits = editsFor(ctx, candidate.changes);
      if (!edits) continue;
      const model = changedModel(ctx.model, candidate.changes);
      const s = score(ctx.estimateVariant(model), model);
      if (s !== undefined) scored.push({ fix: { title: candidate.title, edits, preferred: false }, score: s });
    }
    fixes.push(...scored.sort((a, b) => a.score - b.score).map((s) => s.fix));
  }
  if (fixes.length) fixes[0].preferred = true;
  return fixes;
}

export const isFix = (fix: Fix | undefined): fix is Fix => fix !== undefined;

/** Edits-only fix for changes that need no estimate to be known to work. */
export function directFix(ctx: RuleContext, title: string, changes: LayerChange[], preferred: boolean): Fix | undefined {
  const edits = editsFor(ctx, changes);
  return edits && edits.length ? { title, edits, preferred } : undefined;
}
