// The static estimate of the probe contract's step-0 numbers: activation second moments go
// forward through the graph in topological order, squared gradients come back from the loss
// L = Σ_k mean((y_k − t_k)²), t ~ N(0, 1), and each kernel's gradient is summed over the
// batch and the positions it slides over. See ../shared/reference/gradient-flow.md.
import { charge, LAYER_UNITS } from '../budget';
import type { GraphNode, Layer, ModelGraph } from '../graph';
import { transferFor } from './layers';
import { isFrozen } from '../layerDefaults';
import type { KernelTerm, NodeResult } from './transfer';
import { ConfigReader, leadingSize, size, type Signal } from './signal';
import type { LayerEstimate, ModelEstimate } from './types';

export interface EstimateOptions {
  /** Samples per batch; the contract's default is 16 for tfjs models, 2 for YOLO YAML. */
  batch?: number;
  /** YOLO input height and width when the graph leaves them open (the contract: 64 for P5, 128 for P6). */
  size?: number;
}

/** Unknown non-batch dimensions of a tfjs input become this (the contract). */
const UNKNOWN_DIM = 16;

/** One application of a layer after nested models have been inlined. */
interface FlatNode {
  id: string;
  layer: Layer;
  /** Identifies the weights: the same for every application of a shared layer. */
  key: string;
  /** `key` as a small number (see keyIndices): per-key figures live in arrays, not maps. */
  keyIndex: number;
  inputs: string[];
  outputIndex?: number;
  /** Parallel to `inputs`: which output of each input feeds this node (GraphNode.inputOutputs). */
  inputOutputs?: number[];
}

interface Flat {
  nodes: FlatNode[];
  inputs: string[];
  outputs: string[];
}

/**
 * Numbers the nodes' keys, equal keys alike; returns how many there are. At the top level a
 * key is its layer's id, numbered by the layer's place in `model.layers` (as flatten found it);
 * with nested models (rare) keys are numbered by first appearance.
 */
function keyIndices(nodes: FlatNode[], nested: boolean, layerCount: number): number {
  if (!nested) return layerCount;
  const numbers = new Map<string, number>();
  for (const node of nodes) {
    let n = numbers.get(node.key);
    if (n === undefined) numbers.set(node.key, (n = numbers.size));
    node.keyIndex = n;
  }
  return numbers.size;
}

/** Inlines nested models so that every node is a plain layer application. */
function flatten(model: ModelGraph, prefix: string, keyPrefix: string, outerInputs: string[] | undefined, out: FlatNode[]): Flat {
  // Plain loops, no pairs or closures per node: this runs for every model of every lint.
  // Layer id → place in model.layers (the last of equal ids, as a map of layers would hold).
  const layers = new Map<string, number>();
  for (let i = 0; i < model.layers.length; i++) layers.set(model.layers[i].id, i);
  // Node ids that stand for another node's output (an outer input, a nested model's output): few models have any.
  let alias: Map<string, string> | undefined;
  const resolve = (id: string): string => alias?.get(id) ?? prefix + id;
  const inputs: string[] = [];
  const firstExternal = outerInputs?.[0];
  for (const node of model.nodes) {
    const at = layers.get(node.layer);
    if (at === undefined) continue;
    const layer = model.layers[at];
    if (layer.kind === 'input' && outerInputs) {
      const index = model.inputs.indexOf(node.id);
      const outer = outerInputs[index >= 0 ? index : 0];
      if (outer !== undefined) (alias ??= new Map()).set(node.id, outer);
      continue;
    }
    // A nested sequential model without an input node takes the outer input at its first layer.
    const nodeInputs =
      node.inputs.length === 0 && outerInputs && firstExternal !== undefined
        ? [firstExternal]
        : // At the top level with nothing aliased yet, ids resolve to themselves: the list is shared, not copied (it is only read).
          prefix === '' && !alias
          ? node.inputs
          : node.inputs.map(resolve);
    if (layer.kind === 'model' && layer.model) {
      const inner = flatten(layer.model, `${prefix}${node.id}/`, `${keyPrefix}${layer.id}/`, nodeInputs, out);
      const picked = inner.outputs[node.outputIndex ?? 0] ?? inner.outputs[0];
      if (picked !== undefined) (alias ??= new Map()).set(node.id, picked);
      continue;
    }
    // keyIndex: the layer's place, right for a model without nested ones (keyIndices renumbers the others).
    const flat: FlatNode = { id: prefix + node.id, layer, key: keyPrefix + layer.id, keyIndex: at, inputs: nodeInputs, outputIndex: node.outputIndex, inputOutputs: undefined };
    // Output indices name outputs of plain layers; an input aliased to a nested model's output has already been picked.
    if (node.inputOutputs) flat.inputOutputs = node.inputs.map((id, k) => (alias?.has(id) ? 0 : (node.inputOutputs?.[k] ?? 0)));
    out.push(flat);
    if (layer.kind === 'input' || (node.inputs.length === 0 && !outerInputs)) inputs.push(flat.id);
  }
  return { nodes: out, inputs, outputs: model.outputs.map(resolve) };
}

/** The shape an input layer (or the first layer of a sequential model) declares, without the batch. */
function declaredShape(layer: Layer): (number | null)[] | undefined {
  const c = layer.config;
  const dims = (v: unknown): (number | null)[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null) ? (v as (number | null)[]) : undefined;
  const batched = dims(c.batchShape) ?? dims(c.batchInputShape);
  if (batched) return batched.slice(1);
  const shape = dims(c.shape) ?? dims(c.inputShape);
  if (shape) return shape;
  if (typeof c.inputDim === 'number' && layer.kind !== 'embedding') {
    return typeof c.inputLength === 'number' ? [c.inputLength, c.inputDim] : [c.inputDim];
  }
  if (layer.kind === 'embedding') return [typeof c.inputLength === 'number' ? c.inputLength : null];
  return undefined;
}

function inputSignal(model: ModelGraph, flat: FlatNode, consumers: FlatNode[], options: EstimateOptions, notes: string[]): Signal {
  const yaml = model.source === 'yaml';
  let dims = declaredShape(flat.layer) ?? model.inputShape ?? consumers.map((c) => declaredShape(c.layer)).find((d) => d);
  if (!dims) {
    dims = [UNKNOWN_DIM];
    notes.push(`input shape of ${flat.layer.name} unknown; assumed [${UNKNOWN_DIM}]`);
  }
  const fill = yaml ? (options.size ?? 64) : UNKNOWN_DIM;
  if (dims.some((d) => d === null)) {
    notes.push(`unknown input dimensions of ${flat.layer.name} taken as ${fill} (the contract)`);
  }
  if (dims.some((d) => d !== null && !(d >= 1))) notes.push(`empty input dimensions of ${flat.layer.name} taken as ${fill}`);
  const shape = dims.map((d) => (d !== null && d >= 1 ? d : fill));
  // YAML: x ~ U(0, 1); tfjs: x ~ N(0, 1) (embedding indices only matter through their count).
  if (yaml) return { shape, m: 1 / 3, p: 1 / 4, g: 1 / 2 };
  return { shape, m: 1, p: 0, g: 0 };
}

function defaultBatch(model: ModelGraph): number {
  return model.source === 'yaml' ? 2 : 16;
}

/** What no node assumed: shared, never written to (most nodes assume nothing). */
const NOTHING_ASSUMED: string[] = [];

/** Predicts per-layer kernel-gradient RMS and activation RMS of the contract's experiment at step 0. */
export function estimateModel(model: ModelGraph, options: EstimateOptions = {}): ModelEstimate {
  const batch = options.batch ?? defaultBatch(model);
  const flat = flatten(model, '', '', undefined, []);
  const nodes = flat.nodes;
  const keyCount = keyIndices(nodes, model.layers.some(isNested), model.layers.length);
  const notes: string[] = [];
  // Per-node figures live in arrays by position in `nodes`; inputs become positions (−1: none).
  // Plain loops throughout: this runs for every node of every model of every lint.
  const position = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) position.set(nodes[i].id, i);
  // Node i's inputs are inputAt[inputStart[i] .. inputStart[i + 1]), its consumers (in node
  // order) consumerAt[consumerStart[i] .. consumerStart[i + 1]): two flat lists per model, not
  // two small lists per node.
  const inputStart = new Array<number>(nodes.length + 1);
  inputStart[0] = 0;
  for (let i = 0; i < nodes.length; i++) inputStart[i + 1] = inputStart[i] + nodes[i].inputs.length;
  const inputAt = new Array<number>(inputStart[nodes.length]);
  const consumerStart = new Array<number>(nodes.length + 1).fill(0);
  for (let i = 0; i < nodes.length; i++) {
    const ids = nodes[i].inputs;
    for (let k = 0; k < ids.length; k++) {
      const j = position.get(ids[k]) ?? -1;
      inputAt[inputStart[i] + k] = j;
      if (j >= 0) consumerStart[j + 1]++;
    }
  }
  for (let i = 0; i < nodes.length; i++) consumerStart[i + 1] += consumerStart[i];
  const consumerAt = new Array<number>(consumerStart[nodes.length]);
  const filled = consumerStart.slice(0, nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    for (let e = inputStart[i]; e < inputStart[i + 1]; e++) {
      const j = inputAt[e];
      if (j >= 0) consumerAt[filled[j]++] = i;
    }
  }
  const inputSet = new Set(flat.inputs);

  // Forward.
  const signals: (Signal | undefined)[] = new Array(nodes.length);
  let forwardFlops = 0;
  // Each node's transfer result and what it assumed (undefined for input nodes).
  const results: (NodeResult | undefined)[] = new Array(nodes.length);
  const assumed: string[][] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    charge(LAYER_UNITS + node.inputs.length);
    if (inputSet.has(node.id) && node.layer.kind === 'input') {
      signals[i] = inputSignal(model, node, consumerAt.slice(consumerStart[i], consumerStart[i + 1]).map((j) => nodes[j]), options, notes);
      assumed[i] = NOTHING_ASSUMED;
      continue;
    }
    const assumptions: string[] = [];
    let ins = inputSignals(signals, results, inputAt, inputStart[i], inputStart[i + 1], node.inputOutputs);
    if (ins.length === 0) ins = [inputSignal(model, node, [node], options, notes)];
    const initialState = ins.length > 1 ? ins.slice(1) : undefined;
    const ctx = { layer: node.layer, cfg: new ConfigReader(node.layer, assumptions), batch, outputIndex: node.outputIndex, assumptions, initialState };
    const result = sanitise(transferFor(node.layer.kind)(ctx, ins), assumptions);
    signals[i] = result.out;
    forwardFlops += 2 * kernelCount(result.kernels) * leadingSize(result.out.shape);
    results[i] = result;
    assumed[i] = assumptions.length ? assumptions : NOTHING_ASSUMED;
  }

  // Backward: the loss gradient 2(y − t)/N_k at each output, then linear multipliers.
  // `shared` is the part of the squared gradient common to the whole batch (per unit): at an
  // output, 2c/N for a unit whose batch mean is c.
  // Plain arrays, not typed ones: a typed array costs far more to make, and these are made per model.
  const delta = new Array<number>(nodes.length).fill(0);
  const shared = new Array<number>(nodes.length).fill(0);
  // E[δ²] reaching a returned state (`${node}#${index}`), kept apart: it enters the layer elsewhere than its output.
  // Made on first use: few models have returned states.
  let stateDelta: Map<string, number> | undefined;
  const isOutput = new Array<boolean>(nodes.length).fill(false);
  for (const id of flat.outputs) {
    const j = position.get(id);
    if (j === undefined) continue;
    isOutput[j] = true;
    const y = signals[j];
    if (!y) continue;
    const n = batch * size(y.shape);
    if (n === 0) continue;
    delta[j] += (4 * (y.m + 1)) / (n * n);
    shared[j] += (4 * y.p) / (n * n);
  }
  // Per key: the squared kernel gradients summed over the layer's applications, and its kernel weights (−1: no kernels).
  const kernelSum = new Array<number>(keyCount).fill(0);
  const kernelWeights = new Array<number>(keyCount).fill(-1);
  // Where a tied merge's two paths back split (see tie.ts): built on first use.
  let signalNodes: Map<Signal, number> | undefined;
  const nodeOfSignal = (s: Signal): number => (signalNodes ??= new Map(signals.map((x, i) => [x as Signal, i]))).get(s) ?? -1;
  // Whether a node's output gradient sums to zero over the batch (see Centring).
  const centred = new Array<boolean>(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    centred[i] = !isOutput[i] && consumerStart[i + 1] > consumerStart[i] && centredByAll(consumerAt, consumerStart[i], consumerStart[i + 1], results, centred);
    const result = results[i];
    if (!result) continue;
    // A tied merge's correction may be negative (see tie.ts); what reaches a node never is.
    const d = Math.max(delta[i], 0);
    const s = Math.min(shared[i], d);
    // Batch normalisation subtracts the gradient's batch mean: the shared part does not pass.
    const passing = result.centring === 'creates' ? Math.max(d - s, 0) : d;
    const from = inputStart[i];
    const to = inputStart[i + 1];
    for (let k = 0; k < to - from; k++) {
      const j = inputAt[from + k];
      if (j < 0) continue;
      const index = node.inputOutputs?.[k] ?? 0;
      if (index > 0 && results[j]?.stateOutputs?.[index]) {
        const key = `${j}#${index}`;
        stateDelta ??= new Map();
        stateDelta.set(key, (stateDelta.get(key) ?? 0) + times(result.backward[k] ?? 0, passing));
        continue;
      }
      delta[j] += times(result.backward[k] ?? 0, passing);
      shared[j] += times(result.backwardShared?.[k] ?? result.backward[k] ?? 0, s);
    }
    if (result.tiedBackward) {
      const j = nodeOfSignal(result.tiedBackward.source);
      if (j >= 0) delta[j] += times(result.tiedBackward.factor, passing);
    }
    // Gradients reaching returned states go back through the layer like its own output's (their batch-shared part is not tracked).
    const stateKernelSq = result.stateOutputs ? returnedStatesBack(result.stateOutputs, stateDelta, i, inputAt.slice(from, to), delta) : 0;
    if (result.kernels.length) {
      const key = node.keyIndex;
      if (kernelWeights[key] === -1) kernelWeights[key] = kernelCount(result.kernels);
      let sum = 0;
      for (let k = 0; k < result.kernels.length; k++) {
        const t = result.kernels[k];
        const perDelta = centred[i] && t.perDeltaCentred !== undefined ? t.perDeltaCentred : t.perDelta;
        sum += t.count * (times(perDelta, d) + times(t.perShared ?? 0, s));
      }
      kernelSum[key] += sum + stateKernelSq;
    }
  }

  const kernels: KernelSums = { sum: kernelSum, weights: kernelWeights };
  const entries = model.source === 'yaml' ? rowEntries(model, nodes, results, assumed, kernels) : layerEntries(nodes, results, assumed, kernels);
  return summarise(model, entries, notes, forwardFlops);
}

/** A node's output `index` as its consumer sees it: a returned state, or the node's own output. */
function outputSignal(signals: (Signal | undefined)[], results: (NodeResult | undefined)[], j: number, index = 0): Signal | undefined {
  return j < 0 ? undefined : ((index > 0 ? results[j]?.stateOutputs?.[index]?.out : undefined) ?? signals[j]);
}

/** The signals a node reads, in the order of its inputs; inputs not computed (yet) are left out. */
function inputSignals(signals: (Signal | undefined)[], results: (NodeResult | undefined)[], inputAt: number[], from: number, to: number, outputs: number[] | undefined): Signal[] {
  // Sized once: most nodes read one input, and a growing array would reserve room for many.
  const found = new Array<Signal>(to - from);
  let n = 0;
  for (let k = 0; k < to - from; k++) {
    const s = outputSignal(signals, results, inputAt[from + k], outputs?.[k]);
    if (s !== undefined) found[n++] = s;
  }
  found.length = n;
  return found;
}

/** Every consumer's backward pass keeps (or makes) the gradient's batch sum zero. */
function centredByAll(consumerAt: number[], from: number, to: number, results: (NodeResult | undefined)[], centred: boolean[]): boolean {
  for (let k = from; k < to; k++) {
    const u = consumerAt[k];
    const c = results[u]?.centring;
    if (!(c === 'creates' || (c === 'keeps' && centred[u]))) return false;
  }
  return true;
}

/** Sends the gradients that reached node `i`'s returned states back to its inputs; returns their kernel share. */
function returnedStatesBack(stateOutputs: NonNullable<NodeResult['stateOutputs']>, stateDelta: Map<string, number> | undefined, i: number, inputs: number[], delta: number[]): number {
  return stateOutputs.reduce((sum, returned, index) => {
    const ds = stateDelta?.get(`${i}#${index}`) ?? 0;
    if (!returned || ds === 0) return sum;
    inputs.forEach((j, k) => {
      if (j >= 0) delta[j] += times(returned.backward[k] ?? 0, ds);
    });
    return sum + returned.kernels.reduce((a, t) => a + t.count * times(t.perDelta, ds), 0);
  }, 0);
}

function kernelCount(kernels: KernelTerm[]): number {
  let n = 0;
  for (let i = 0; i < kernels.length; i++) n += kernels[i].count;
  return n;
}

/** A product where an exact zero wins over an overflow (no gradient stays no gradient). */
function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

function hasNaN(xs: number[]): boolean {
  for (let i = 0; i < xs.length; i++) if (Number.isNaN(xs[i])) return true;
  return false;
}

function kernelHasNaN(kernels: KernelTerm[]): boolean {
  for (let i = 0; i < kernels.length; i++) {
    const k = kernels[i];
    if (Number.isNaN(k.perDelta) || Number.isNaN(k.perShared) || Number.isNaN(k.perDeltaCentred)) return true;
  }
  return false;
}

/** Degenerate shapes (an empty axis) can make 0·∞; such numbers become 0, and the layer says so. */
function sanitise(r: NodeResult, assumptions: string[]): NodeResult {
  const { m, p, g } = r.out;
  const undefinedStats =
    Number.isNaN(m) ||
    Number.isNaN(p) ||
    Number.isNaN(g) ||
    hasNaN(r.backward) ||
    (r.backwardShared !== undefined && hasNaN(r.backwardShared)) ||
    kernelHasNaN(r.kernels);
  // The common case: every number defined, nothing to copy.
  if (!undefinedStats) return r;
  assumptions.push('statistics undefined here (an empty dimension?); taken as 0');
  const fix = (x: number): number => (Number.isNaN(x) ? 0 : x);
  return {
    ...r,
    out: { ...r.out, m: fix(m), p: fix(p), g: fix(g) },
    backward: r.backward.map(fix),
    backwardShared: r.backwardShared?.map(fix),
    kernels: r.kernels.map((k) => ({
      count: k.count,
      perDelta: fix(k.perDelta),
      perShared: k.perShared === undefined ? undefined : fix(k.perShared),
      perDeltaCentred: k.perDeltaCentred === undefined ? undefined : fix(k.perDeltaCentred),
    })),
  };
}

function dedupe(xs: string[]): string[] {
  return xs.length < 2 ? xs : [...new Set(xs)];
}

/** Per key index: summed squared kernel gradients, and kernel weights (−1: the key has no kernels). */
interface KernelSums {
  sum: number[];
  weights: number[];
}

function isNested(layer: Layer): boolean {
  return layer.kind === 'model' && layer.model !== undefined;
}

/** One entry per layer, in the order of its first application; inputs and nested-model wrappers are not listed. */
function layerEntries(nodes: FlatNode[], results: (NodeResult | undefined)[], assumed: string[][], kernels: KernelSums): LayerEstimate[] {
  const entries: LayerEstimate[] = [];
  const byKey = new Array<LayerEstimate | undefined>(kernels.sum.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const r = results[i];
    if (!r || node.layer.kind === 'input') continue;
    const key = node.keyIndex;
    const existing = byKey[key];
    if (existing) {
      existing.assumptions = dedupe([...existing.assumptions, ...assumed[i]]);
      continue;
    }
    const weights = kernels.weights[key];
    const entry: LayerEstimate = {
      layer: node.layer,
      gradientRms: weights > 0 ? Math.sqrt(kernels.sum[key] / weights) : null,
      activationRms: Math.sqrt(r.out.m),
      preActivationVariance: r.preActivationVariance,
      backwardFactor: r.backwardFactor,
      assumptions: dedupe(assumed[i]),
      kernelWeights: Math.max(weights, 0),
    };
    byKey[key] = entry;
    entries.push(entry);
  }
  return entries;
}

/** YOLO YAML: one entry per row; kernels of the whole row together, activation of the row's last node. */
function rowEntries(
  model: ModelGraph,
  nodes: FlatNode[],
  results: (NodeResult | undefined)[],
  assumed: string[][],
  kernels: KernelSums,
): LayerEstimate[] {
  const rows = new Map<number, { last?: number; keys: Set<number>; assumptions: string[] }>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const row = node.layer.row;
    if (row === undefined || !results[i]) continue;
    const r = rows.get(row) ?? { keys: new Set<number>(), assumptions: [] };
    r.last = i;
    r.keys.add(node.keyIndex);
    r.assumptions.push(...assumed[i]);
    rows.set(row, r);
  }
  const infos = new Map(model.rows?.map((x) => [x.index, x]));
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, r]) => {
      const info = infos.get(index);
      let sum = 0;
      let count = 0;
      for (const key of r.keys) {
        if (kernels.weights[key] !== -1) {
          sum += kernels.sum[key];
          count += kernels.weights[key];
        }
      }
      const last = nodes[r.last as number];
      const out = (results[r.last as number] as NodeResult).out;
      const layer: Layer = info
        ? { id: `row${index}`, name: info.module, kind: info.module, config: {}, unknown: {}, line: info.line, range: info.range, props: {}, row: index }
        : last.layer;
      return {
        layer,
        gradientRms: count > 0 ? Math.sqrt(sum / count) : null,
        activationRms: Math.sqrt(out.m),
        assumptions: dedupe(r.assumptions),
        kernelWeights: count,
      };
    });
}

/** log10(first / last); a last layer without gradient leaves nothing to compare against. */
function depthRatio(first: number | null, last: number | null): number | null {
  if (first === null || last === null || last === 0) return null;
  const ratio = Math.log10(first) - Math.log10(last);
  return Number.isNaN(ratio) ? null : ratio;
}

function summarise(model: ModelGraph, layers: LayerEstimate[], notes: string[], forwardFlopsPerSample: number): ModelEstimate {
  // The model's figures are its trainable layers', as the probe measures them: a frozen layer's
  // gradient updates nothing (a frozen pretrained input block is not "vanishing").
  // One loop, no filtered copy: this runs for every model of every lint.
  let first: number | null = null;
  let last: number | null = null;
  let weighted = 0;
  let maxActivation = 0;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    maxActivation = Math.max(maxActivation, l.activationRms);
    if (l.gradientRms === null || isFrozen(l.layer)) continue;
    if (weighted++ === 0) first = l.gradientRms;
    last = l.gradientRms;
  }
  return {
    model,
    layers,
    depthRatioLog10: depthRatio(weighted >= 2 ? first : null, last),
    firstGradientRmsLog10: first === null ? null : Math.log10(first),
    maxActivationRmsLog10: Math.log10(maxActivation),
    forwardFlopsPerSample,
    assumptions: dedupe(notes),
  };
}
