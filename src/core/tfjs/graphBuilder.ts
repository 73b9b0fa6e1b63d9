// What the interpreter records while it runs (layer objects, their applications, models
// under construction) and how that becomes the shared ModelGraph once the file is read.

import type { GraphNode, Layer, ModelGraph, PropSource, Range, Value } from '../graph';
import { applyLayerDefaults } from '../layerDefaults';

export interface LayerRec {
  seq: number;
  kind: string;
  explicitName?: string;
  config: Record<string, Value>;
  unknown: Record<string, string>;
  props: Record<string, PropSource>;
  line: number;
  range: Range;
  configRange?: Range;
  wrapped?: LayerRec;
  /** For kind 'model': the model used as a layer. */
  nested?: ModelBuild;
  /** stackedRNNCells: its cells, when all are known. */
  cells?: LayerRec[];
  /** tf.layers.rnn over known cells: the recurrent layers it equals (recurrentCells.ts), used in its place. */
  stack?: LayerRec[];
  note?: string;
  /** The latest application, for `layer.output`. */
  lastApplied?: AppNode;
}

export interface TensorRef {
  node: AppNode;
  index?: number;
}

export interface AppNode {
  seq: number;
  layer: LayerRec;
  inputs: TensorRef[];
  /** Why some inputs of this application are missing from the graph. */
  unresolvedInput?: string;
}

export interface ModelBuild {
  seq: number;
  kind: 'sequential' | 'functional' | 'loaded';
  name?: string;
  /** Named after the function returning it: outer functions keep that name. */
  namedByFunction?: boolean;
  line: number;
  range: Range;
  /** Sequential: layers in `add` order. */
  layers: LayerRec[];
  /** Functional and loaded models: declared inputs and outputs. */
  inputs: TensorRef[];
  outputs: TensorRef[];
  notes: string[];
  /** The note saying why its outputs are not known statically, if they are not. */
  outputsUnknown?: string;
  /** The Layer this model is when applied inside another model. */
  asLayer?: LayerRec;
  /** An explicit `name` in the model's config. */
  explicitName?: string;
  /**
   * Built in one branch of an `if` whose condition is not known statically, when the other
   * branch builds a model too: the branch (`task === 'cls'`, `else`) and the model of the
   * first branch, whose name both share.
   */
  branch?: { label: string; nameFrom?: ModelBuild };
}

/** The name a model is shown with: a model built in a branch is named after it. */
export function modelName(model: ModelBuild, fallbackName: string): string {
  let named = model;
  while (named.branch?.nameFrom) named = named.branch.nameFrom;
  const base = named.name ?? model.name ?? fallbackName;
  return model.branch ? `${base} (${model.branch.label})` : base;
}

const snakeNames = new Map<string, string>();
/** tfjs's auto-name prefix for a layer kind (conv2dTranspose → conv2d_transpose), read once per kind. */
function snake(kind: string): string {
  let name = snakeNames.get(kind);
  if (name === undefined) snakeNames.set(kind, (name = kind.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()));
  return name;
}

/**
 * Builds the ModelGraph of one model; nested models are finalised recursively.
 * `unconnected`: its layers that reach none of its outputs (unconnected.ts); `neverApplied`:
 * the layers created beside it that nothing uses (neverApplied.ts).
 */
export function finalizeModel(
  model: ModelBuild,
  fallbackName: string,
  unconnected: LayerRec[] = [],
  neverApplied: LayerRec[] = [],
  active = new Set<ModelBuild>(),
): ModelGraph {
  active.add(model);
  const graph: ModelGraph = {
    name: modelName(model, fallbackName),
    line: model.line,
    range: model.range,
    source: 'tfjs',
    layers: [],
    nodes: [],
    inputs: [],
    outputs: [],
  };
  const notes = [...model.notes];
  const counters = new Map<string, number>();
  const layerIds = new Map<LayerRec, string>();
  const seqById = new Map<string, number>();

  const autoName = (prefix: string): string => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${n}`;
  };

  const toLayer = (rec: LayerRec, id: string): Layer => {
    const prefix = rec.kind === 'model' ? (rec.nested?.kind === 'sequential' ? 'sequential' : 'model') : snake(rec.kind);
    const layer: Layer = {
      id,
      name: rec.explicitName ?? autoName(prefix),
      kind: rec.kind,
      config: rec.config,
      unknown: rec.unknown,
      line: rec.line,
      range: rec.range,
      props: rec.props,
    };
    if (rec.configRange) layer.configRange = rec.configRange;
    if (rec.note) layer.note = rec.note;
    if (rec.wrapped) layer.wrapped = toLayer(rec.wrapped, `${id}_wrapped`);
    if (rec.nested) {
      if (active.has(rec.nested)) notes.push(`model \`${rec.nested.name ?? '?'}\` contains itself`);
      else layer.model = finalizeModel(rec.nested, rec.nested.kind, [], [], active);
    }
    return layer;
  };

  const addLayer = (rec: LayerRec): string => {
    let id = layerIds.get(rec);
    if (id === undefined) {
      id = `L${rec.seq}`;
      layerIds.set(rec, id);
      seqById.set(id, rec.seq);
      graph.layers.push(toLayer(rec, id));
    }
    return id;
  };

  if (model.kind === 'sequential') finalizeSequential(model, graph, addLayer);
  else finalizeFunctional(model, graph, addLayer, notes);
  const inputLayer = graph.nodes.length ? graph.layers.find((l) => l.id === graph.nodes[0].layer) : undefined;
  const shape = inputLayer?.kind === 'input' ? inputLayer.config.batchInputShape : undefined;
  if (Array.isArray(shape) && shape.every((d) => d === null || typeof d === 'number')) {
    graph.inputShape = (shape as (number | null)[]).slice(1);
  }
  // Layers in creation order, as tfjs would list them (mostly they already are).
  const seqOf = (layer: Layer): number => seqById.get(layer.id) ?? -1;
  if (graph.layers.some((layer, i) => i > 0 && seqOf(graph.layers[i - 1]) > seqOf(layer))) graph.layers.sort((a, b) => seqOf(a) - seqOf(b));
  if (unconnected.length) graph.unconnected = unconnected.map((rec) => toLayer(rec, `U${rec.seq}`));
  if (neverApplied.length) graph.neverApplied = neverApplied.map((rec) => toLayer(rec, `N${rec.seq}`));
  if (notes.length) graph.notes = notes;
  if (model.outputsUnknown !== undefined) graph.outputsUnknown = model.outputsUnknown;
  active.delete(model);
  return graph;
}

/** The batch input shape tfjs derives from a first layer's config, if it is known. */
export function firstLayerBatchShape(rec: LayerRec, seen = new Set<LayerRec>()): Value[] | undefined {
  // A model added as the first layer takes its own input's shape.
  if (rec.nested) return seen.has(rec) ? undefined : nestedBatchShape(rec.nested, seen.add(rec));
  const c = rec.config;
  const batch = typeof c.batchSize === 'number' ? c.batchSize : null;
  if (Array.isArray(c.batchInputShape)) return c.batchInputShape;
  if (Array.isArray(c.inputShape)) return [batch, ...c.inputShape];
  if (rec.kind === 'embedding') {
    if ('inputLength' in c) return [batch, ...(Array.isArray(c.inputLength) ? c.inputLength : [c.inputLength])];
    return 'inputDim' in c ? [batch, null] : undefined;
  }
  if (typeof c.inputDim === 'number') {
    const recurrent = 'returnSequences' in c;
    return recurrent ? [batch, typeof c.inputLength === 'number' ? c.inputLength : null, c.inputDim] : [batch, c.inputDim];
  }
  return undefined;
}

function nestedBatchShape(model: ModelBuild, seen: Set<LayerRec>): Value[] | undefined {
  const first = model.kind === 'sequential' ? model.layers[0] : model.inputs.length === 1 ? model.inputs[0].node.layer : undefined;
  if (!first) return undefined;
  if (first.kind === 'input') {
    const shape = first.config.batchInputShape;
    return Array.isArray(shape) && !first.unknown.batchInputShape ? shape : undefined;
  }
  return firstLayerBatchShape(first, seen);
}

function finalizeSequential(model: ModelBuild, graph: ModelGraph, addLayer: (rec: LayerRec) => string): void {
  if (!model.layers.length) return;
  const explicitInput = model.layers[0].kind === 'input';
  const body = model.layers.slice(1);
  let previous: string;
  if (explicitInput) previous = addInputNode(graph, addLayer(model.layers[0]));
  else {
    // tfjs builds the input layer from the first layer's shape arguments.
    const first = model.layers[0];
    const shape = firstLayerBatchShape(first);
    const firstId = addLayer(first);
    graph.layers.unshift({
      id: 'L_input',
      name: `${graph.layers[0].name}_input`,
      kind: 'input',
      config: applyLayerDefaults('input', shape ? { batchInputShape: shape } : {}),
      unknown: shape ? {} : { batchInputShape: 'the first layer gives no inputShape, batchInputShape or inputDim' },
      line: first.line,
      range: first.range,
      props: {},
    });
    previous = addInputNode(graph, 'L_input');
    graph.nodes.push({ id: 'n1', layer: firstId, inputs: [previous] });
    previous = 'n1';
  }
  for (const rec of body) {
    const id = `n${graph.nodes.length}`;
    graph.nodes.push({ id, layer: addLayer(rec), inputs: [previous] });
    previous = id;
  }
  graph.outputs.push(previous);
}

function addInputNode(graph: ModelGraph, layerId: string): string {
  graph.nodes.push({ id: 'n0', layer: layerId, inputs: [] });
  graph.inputs.push('n0');
  return 'n0';
}

function finalizeFunctional(
  model: ModelBuild,
  graph: ModelGraph,
  addLayer: (rec: LayerRec) => string,
  notes: string[],
): void {
  const ids = new Map<AppNode, string>();
  let unresolved = false;
  // Depth-first from the outputs: every application after the ones feeding it.
  const visit = (node: AppNode): string => {
    const known = ids.get(node);
    if (known !== undefined) return known;
    ids.set(node, ''); // a cycle reads as a missing input rather than looping
    // Inputs and the output index each takes, without the missing ones (kept parallel).
    const resolved = node.inputs.map((t) => ({ id: visit(t.node), index: t.index })).filter((t) => t.id !== '');
    if (node.unresolvedInput || resolved.length < node.inputs.length) unresolved = true;
    const id = `n${graph.nodes.length}`;
    const gn: GraphNode = { id, layer: addLayer(node.layer), inputs: resolved.map((t) => t.id) };
    if (resolved.some((t) => t.index !== undefined)) gn.inputOutputs = resolved.map((t) => t.index ?? 0);
    ids.set(node, id);
    graph.nodes.push(gn);
    return id;
  };
  for (const t of model.inputs) graph.inputs.push(visit(t.node));
  for (const t of model.outputs) graph.outputs.push(visit(t.node));
  if (unresolved) notes.push('some layer inputs are not known statically; the graph may be incomplete');
}
