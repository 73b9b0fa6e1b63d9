// Graph questions the rules share: which layers carry weights, normalise or activate, what
// feeds what, and the longest runs of layers of some sort along a path.

import type { GraphNode, Layer, ModelGraph } from '../../core/graph';
import type { LayerEstimate, ModelEstimate } from '../../core/estimate/types';
import { applyLayerDefaults, isFrozen, isWeightedKind } from '../../core/layerDefaults';
import type { Value } from '../../core/graph';

const NORMALIZATION = new Set(['batchNormalization', 'layerNormalization']);
const RECURRENT = new Set(['simpleRNN', 'lstm', 'gru', 'convLstm2d', 'rnn']);
/** Merges that give the gradient a second, shorter path (a skip connection). */
export const SKIP_MERGES = new Set(['add', 'average', 'concatenate']);
export const SATURATING = new Set(['sigmoid', 'tanh', 'hardSigmoid', 'softsign']);
/** Layers that apply an activation of their own name. */
const ACTIVATION_LAYERS: Record<string, string> = {
  reLU: 'relu',
  leakyReLU: 'leakyReLU',
  elu: 'elu',
  prelu: 'prelu',
  thresholdedReLU: 'thresholdedReLU',
  softmax: 'softmax',
};
/** Layers a signal passes unchanged in scale at initialisation, looking for the activation after a layer. */
const TRANSPARENT = new Set(['dropout', 'spatialDropout1d', 'gaussianDropout', 'gaussianNoise', 'alphaDropout']);

/** The layer that owns the weights and activation: the wrapped one for bidirectional/timeDistributed. */
export const coreLayer = (layer: Layer): Layer => (layer.wrapped ? coreLayer(layer.wrapped) : layer);

export const isNormalization = (layer: Layer): boolean => NORMALIZATION.has(coreLayer(layer).kind);
export const isRecurrent = (layer: Layer): boolean => RECURRENT.has(coreLayer(layer).kind);

/** Dense, convolution, recurrent and embedding layers: what "weighted layers" counts. */
export function isWeighted(layer: Layer): boolean {
  const core = coreLayer(layer);
  return isWeightedKind(core.kind) && !NORMALIZATION.has(core.kind) && core.kind !== 'prelu';
}

const defaultsByKind = new Map<string, Record<string, Value>>();

/** tfjs's defaults for a layer kind's config (read once per kind). */
export function defaultsOf(kind: string): Record<string, Value> {
  let defaults = defaultsByKind.get(kind);
  if (!defaults) defaultsByKind.set(kind, (defaults = applyLayerDefaults(kind, {})));
  return defaults;
}

/** A config value, with tfjs's default when the front end left a known key out; undefined when unknown. */
export function configOf(layer: Layer, key: string): Value | undefined {
  if (key in layer.config) return layer.config[key];
  if (key in layer.unknown) return undefined;
  return defaultsOf(layer.kind)[key];
}

/** The activation a layer applies, or undefined (none, recurrent, or not known statically). */
export function activationOf(layer: Layer): string | undefined {
  const core = coreLayer(layer);
  if (ACTIVATION_LAYERS[core.kind]) return ACTIVATION_LAYERS[core.kind];
  if (RECURRENT.has(core.kind)) return undefined;
  const value = configOf(core, 'activation');
  return typeof value === 'string' ? value : undefined;
}

/** The name of a layer's initializer for `key` ('glorotNormal'), defaults included. */
export function initializerName(layer: Layer, key = 'kernelInitializer'): string | undefined {
  return specName(configOf(layer, key));
}

/** The name an initializer spec gives ('glorotNormal', {name: 'glorotNormal', ...}). */
export function specName(spec: Value | undefined): string | undefined {
  if (typeof spec === 'string') return spec;
  return spec && typeof spec === 'object' && !Array.isArray(spec) && typeof spec.name === 'string' ? spec.name : undefined;
}

export class GraphView {
  private readonly layers = new Map<string, Layer>();
  /** Node id → position in the model's node list; consumers are kept by that position. */
  private readonly positions = new Map<string, number>();
  /** Each node's consumers by position, made when a rule first asks (few models' rules do). */
  private consumersAt?: GraphNode[][];
  /** Estimates by layer id (YOLO YAML: also by row), made when a rule first asks: most models' rules never do. */
  private estimates?: Map<string, LayerEstimate>;
  private rowEstimates?: Map<number, LayerEstimate>;
  /** Made when a rule first asks. */
  private outputs?: Set<string>;
  /** Every node id names one node (always so, but for hostile input): a node's id and its position are then interchangeable. */
  private readonly uniqueIds: boolean;

  constructor(
    readonly model: ModelGraph,
    private readonly estimate: ModelEstimate,
  ) {
    // Built once per model and shared by every rule; plain loops.
    for (const layer of model.layers) this.layers.set(layer.id, layer);
    const nodes = model.nodes;
    for (let i = 0; i < nodes.length; i++) this.positions.set(nodes[i].id, i);
    this.uniqueIds = this.positions.size === nodes.length;
  }

  /** Each node's consumers, in lists of their final length (pushing onto empty lists would reserve room for 16 in each). */
  private consumerLists(): GraphNode[][] {
    const nodes = this.model.nodes;
    const counts = new Array<number>(nodes.length).fill(0);
    for (const node of nodes) for (const input of node.inputs) {
      const j = this.positions.get(input);
      if (j !== undefined) counts[j]++;
    }
    const lists: GraphNode[][] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) lists[i] = new Array<GraphNode>(counts[i]);
    counts.fill(0);
    for (const node of nodes) for (const input of node.inputs) {
      const j = this.positions.get(input);
      if (j !== undefined) lists[j][counts[j]++] = node;
    }
    return lists;
  }

  get nodes(): GraphNode[] {
    return this.model.nodes;
  }

  node(id: string): GraphNode | undefined {
    const i = this.positions.get(id);
    return i === undefined ? undefined : this.model.nodes[i];
  }

  layerOf(node: GraphNode): Layer {
    const layer = this.layers.get(node.layer);
    if (!layer) throw new Error(`graph node ${node.id} names unknown layer ${node.layer}`);
    return layer;
  }

  consumers(nodeId: string): GraphNode[] {
    const i = this.positions.get(nodeId);
    return i === undefined ? [] : (this.consumersAt ??= this.consumerLists())[i];
  }

  isOutput(node: GraphNode): boolean {
    return (this.outputs ??= new Set(this.model.outputs)).has(node.id);
  }

  estimateOf(layer: Layer): LayerEstimate | undefined {
    if (!this.estimates) {
      this.estimates = new Map();
      for (const e of this.estimate.layers) {
        this.estimates.set(e.layer.id, e);
        // YOLO YAML estimates are per row: each inner layer reads its row's figures.
        if (e.layer.row !== undefined) (this.rowEstimates ??= new Map()).set(e.layer.row, e);
      }
    }
    return this.estimates.get(layer.id) ?? (layer.row !== undefined ? this.rowEstimates?.get(layer.row) : undefined);
  }

  /**
   * The longest run of weighted layers the gradient must cross with no skip connection,
   * even taking its shortest way back to an output (through every skip it can): the
   * layers of that run, input side first. Skip merges end a run.
   */
  longestPlainRun(): GraphNode[] {
    const step = new Map<string, { distance: number; run: number; next?: GraphNode }>();
    for (const node of [...this.nodes].reverse()) {
      const layer = this.layerOf(node);
      // A frozen layer is not part of the user's stack: it ends a run as a skip does.
      const frozen = isFrozen(layer);
      const own = isWeighted(layer) && !frozen ? 1 : 0;
      let next: GraphNode | undefined;
      for (const consumer of this.consumers(node.id)) {
        const d = step.get(consumer.id);
        if (d && (!next || d.distance < (step.get(next.id)?.distance ?? Infinity))) next = consumer;
      }
      const after = next ? step.get(next.id) : undefined;
      const skip = SKIP_MERGES.has(layer.kind) || frozen;
      step.set(node.id, { distance: own + (after?.distance ?? 0), run: skip ? 0 : own + (after?.run ?? 0), next: skip ? undefined : next });
    }
    let start: GraphNode | undefined;
    for (const node of this.nodes) if ((step.get(node.id)?.run ?? 0) > (start ? (step.get(start.id)?.run ?? 0) : 0)) start = node;
    const path: GraphNode[] = [];
    for (let n = start; n; n = step.get(n.id)?.next) if (isWeighted(this.layerOf(n))) path.push(n);
    return path;
  }

  /** The layers that come straight after a node, through dropout and noise layers. */
  private nextThroughTransparent(node: GraphNode): GraphNode | undefined {
    let next = this.consumers(node.id);
    while (next.length === 1 && TRANSPARENT.has(this.layerOf(next[0]).kind)) next = this.consumers(next[0].id);
    return next.length === 1 ? next[0] : undefined;
  }

  /** The normalisation layer right after a node (through dropout and noise), if one follows. */
  normalizationAfter(node: GraphNode): Layer | undefined {
    const next = this.nextThroughTransparent(node);
    const layer = next ? this.layerOf(next) : undefined;
    return layer && isNormalization(layer) ? layer : undefined;
  }

  /**
   * The nonlinearity that follows a weighted layer's pre-activation: its own activation,
   * or, for a linear layer, a separate activation layer right after it. 'normalized' when
   * a normalisation layer follows (then the weights' scale no longer matters).
   */
  effectiveActivation(node: GraphNode): string | 'normalized' | undefined {
    const own = activationOf(this.layerOf(node));
    const next = this.nextThroughTransparent(node);
    const nextLayer = next ? this.layerOf(next) : undefined;
    if (nextLayer && isNormalization(nextLayer)) return 'normalized';
    if (own !== 'linear' || !nextLayer) return own;
    if (nextLayer.kind === 'activation' || ACTIVATION_LAYERS[nextLayer.kind]) return activationOf(nextLayer);
    return own;
  }

  /**
   * Longest runs of counted nodes along any path. `classify` says per node whether it
   * counts (extends the run), resets it (the run starts again after it) or passes; a frozen
   * layer always resets it.
   * Returns the maximal runs of at least `minLength`, longest first, none sharing a start or an end.
   */
  runs(classify: (node: GraphNode, layer: Layer) => 'count' | 'reset' | 'pass', minLength = 1): GraphNode[][] {
    // Each run is a linked list back to its start, so extending one costs nothing.
    interface Link {
      node: GraphNode;
      length: number;
      prev?: Link;
    }
    // The best run ending at each node so far: by position (no map per call), or, where node ids
    // repeat, by id as the inputs name them (the last node of that id seen).
    const nodes = this.nodes;
    const atPosition = new Array<Link | undefined>(nodes.length);
    const byId = this.uniqueIds ? undefined : new Map<string, Link | undefined>();
    const bestAt = (id: string): Link | undefined => {
      if (byId) return byId.get(id);
      const j = this.positions.get(id);
      return j === undefined ? undefined : atPosition[j];
    };
    const ends: Link[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      // Frozen layers cause no finding: a run of any rule ends at one.
      const layer = this.layerOf(node);
      const kind = isFrozen(layer) ? 'reset' : classify(node, layer);
      if (kind === 'reset') {
        byId?.set(node.id, undefined);
        continue;
      }
      let incoming: Link | undefined;
      for (let k = 0; k < node.inputs.length; k++) {
        const run = bestAt(node.inputs[k]);
        if (run && run.length > (incoming?.length ?? 0)) incoming = run;
      }
      const link = kind === 'count' ? { node, length: (incoming?.length ?? 0) + 1, prev: incoming } : incoming;
      if (byId) byId.set(node.id, link);
      else atPosition[i] = link;
      if (kind === 'count' && link) ends.push(link);
    }
    const unroll = (link: Link): GraphNode[] => {
      const run: GraphNode[] = [];
      for (let l: Link | undefined = link; l; l = l.prev) run.push(l.node);
      return run.reverse();
    };
    const taken = new Set<GraphNode>();
    const maximal: GraphNode[][] = [];
    const long = ends.filter((e) => e.length >= minLength);
    // (Sorting copies the list: most calls have one run or none.)
    if (long.length > 1) long.sort((a, b) => b.length - a.length);
    for (const end of long) {
      // Most ends lie inside a longer run already taken: reject them before unrolling.
      if (taken.has(end.node)) continue;
      const run = unroll(end);
      if (taken.has(run[0]) || taken.has(run[run.length - 1])) continue;
      for (const n of run) taken.add(n);
      maximal.push(run);
    }
    return maximal;
  }

  /**
   * How many nodes apply a layer `counts` accepts: an upper bound on any run of them, so
   * rules can skip the path search when the model is too small to hold a finding.
   */
  count(counts: (layer: Layer) => boolean): number {
    let n = 0;
    for (const node of this.nodes) if (counts(this.layerOf(node))) n++;
    return n;
  }

  /**
   * For each node upstream of some of `ids` (each id counts as upstream of itself): a bit mask
   * of the ids it is upstream of (bit k for ids[k]; at most 30 ids). The walk goes back in
   * topological order and stops where every node left is upstream of all of them (their
   * common ancestry, usually the rest of the network, is not walked).
   */
  reachMasks(ids: string[]): Map<string, number> {
    const full = 2 ** ids.length - 1;
    const masks = new Map<string, number>();
    // Plain loops: this runs for every add of every model.
    let start = -Infinity;
    for (let k = 0; k < ids.length; k++) {
      masks.set(ids[k], (masks.get(ids[k]) ?? 0) | (1 << k));
      start = Math.max(start, this.positions.get(ids[k]) ?? -1);
    }
    // Unvisited nodes whose mask is not full: while there are any, the walk goes on.
    let partial = 0;
    masks.forEach((m) => {
      if (m !== full) partial++;
    });
    for (let i = start; i >= 0 && partial > 0; i--) {
      const node = this.nodes[i];
      const mask = masks.get(node.id);
      if (mask === undefined) continue;
      // Every consumer comes later in the order: this node's mask is final.
      if (mask !== full) partial--;
      for (const input of node.inputs) {
        const before = masks.get(input);
        const after = (before ?? 0) | mask;
        if (before === after) continue;
        // (A full mask never changes again.)
        if (before === undefined && after !== full) partial++;
        if (before !== undefined && after === full) partial--;
        masks.set(input, after);
      }
    }
    return masks;
  }
}

/**
 * Views shared by the rules, one per rule context (every rule checking a model gets the same
 * one). Keyed by the context, not the estimate: the estimate outlives the lint run in its
 * result, and a view kept as long would be copied by every garbage collection during the run;
 * the context is dropped once the model's rules have run (kept only by its findings' fixes).
 */
const views = new WeakMap<{ model: ModelGraph; estimate: ModelEstimate }, GraphView>();

/** The graph view of the model a rule is checking, built once for all the rules. */
export function viewOf(ctx: { model: ModelGraph; estimate: ModelEstimate }): GraphView {
  let view = views.get(ctx);
  if (!view) {
    view = new GraphView(ctx.model, ctx.estimate);
    views.set(ctx, view);
  }
  return view;
}
