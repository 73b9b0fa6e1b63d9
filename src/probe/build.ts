// Builds a tfjs model from a ModelGraph through the builder registry (never by running
// the user's code), keeping track of which tfjs layers and symbolic outputs belong to
// each graph layer so the measurement can report per graph layer.
import * as tf from '@tensorflow/tfjs';
import type { GraphNode, Layer, ModelGraph, Value } from '../core/graph';
import { builderFor, type BuildContext, type BuiltLayer, type TfLayer } from './builders';
import { UNKNOWN_DIMENSION } from './builders/tfjsLayers';
import { makeInitializer, ParameterBudget, TooManyParametersError } from './initializers';

export interface ModelInput {
  /** Shape without the batch dimension (unknown dimensions already replaced). */
  shape: number[];
  dtype: 'float32' | 'int32';
  /** For integer inputs (embedding indices): values are drawn from [0, range). */
  range?: number;
}

export interface BuiltGraphLayer {
  layer: Layer;
  /** Symbolic outputs of every application of the layer. */
  outputs: tf.SymbolicTensor[];
  /** The tfjs layers holding its weights. */
  parts: TfLayer[];
}

export interface BuiltModel {
  /** The graph's inputs → the graph's outputs. */
  model: tf.LayersModel;
  inputs: ModelInput[];
  /** The symbolic model outputs (in graph.outputs order). */
  outputs: tf.SymbolicTensor[];
  /** Every non-input graph layer, in topological order (first application). */
  layers: BuiltGraphLayer[];
  notes: string[];
  /** Parameters created (counted as they were allocated). */
  params: number;
}

export interface BuildOptions {
  seed: number;
  /** Refuse models with more parameters than this. */
  maxParameters: number;
  /** Overrides the shape of a single-input model (YOLO: the probe's image size). */
  inputShape?: number[];
}

/** A model the probe cannot build: the message names the layer and says why. */
/** A model the probe cannot build; `model` names it when the reason is about the whole model. */
export class BuildError extends Error {
  constructor(
    readonly reason: string,
    readonly model?: string,
  ) {
    super(model === undefined ? reason : `${model}: ${reason}`);
  }
}

/** Weight seeds are seed × stride + a counter, so one probe seed gives disjoint weight seeds. */
export const WEIGHT_SEED_STRIDE = 1_000_003;

/** Builds the graph into a tfjs model; throws BuildError or TooManyParametersError. */
export function buildModel(graph: ModelGraph, options: BuildOptions): BuiltModel {
  const builder = new GraphBuilder(options);
  // YAML graphs know their parameter count: refuse before building anything.
  if (graph.params !== undefined && graph.params > options.maxParameters) {
    throw new TooManyParametersError(graph.params, options.maxParameters);
  }
  try {
    const built = builder.build(graph, options.inputShape);
    return { ...built, notes: builder.notes, params: builder.budget.total };
  } catch (err) {
    builder.disposeWeights(); // measureModel also runs in long-lived processes
    throw err;
  }
}

const describe = (layer: Layer): string => `layer ${layer.name} (${layer.kind}, line ${layer.line})`;
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class GraphBuilder {
  readonly notes: string[] = [];
  readonly budget: ParameterBudget;
  private seedCounter = 0;
  /** Every layer built so far, to free their weights if the build fails half-way. */
  private readonly created: BuiltLayer[] = [];

  constructor(private readonly options: BuildOptions) {
    this.budget = new ParameterBudget(options.maxParameters);
  }

  private nextSeed(): number {
    this.seedCounter += 1;
    return this.options.seed * WEIGHT_SEED_STRIDE + this.seedCounter;
  }

  private context(graph: ModelGraph): BuildContext {
    const ctx: BuildContext = {
      graph,
      initializer: (spec) => makeInitializer(spec, this.nextSeed(), this.budget),
      nextSeed: () => this.nextSeed(),
      buildModel: (nested) => this.build(nested).model,
      buildLayer: (layer) => this.buildLayer(layer, ctx),
      note: (message) => this.notes.push(message),
    };
    return ctx;
  }

  private buildLayer(layer: Layer, ctx: BuildContext): BuiltLayer {
    // YAML's opaque modules pass their input through (documented in KINDS.md); a custom
    // layer in tfjs code or model.json has unknown behaviour, and its code is never run.
    // PyTorch and Keras front ends make opaque only library modules they do not model (noted as identity).
    const passesThrough = ctx.graph.source === 'yaml' || ctx.graph.source === 'pytorch' || ctx.graph.source === 'keras';
    const builder = layer.kind === 'opaque' && !passesThrough ? undefined : builderFor(layer.kind);
    if (!builder) {
      const why = layer.note ? ` (${layer.note})` : '';
      throw new BuildError(`${describe(layer)}: the probe cannot build layers of kind '${layer.kind}'${why}`);
    }
    try {
      const built = builder(layer, ctx);
      this.created.push(built);
      return built;
    } catch (err) {
      if (err instanceof TooManyParametersError || err instanceof BuildError) throw err;
      throw new BuildError(`${describe(layer)}: ${messageOf(err)}`);
    }
  }

  disposeWeights(): void {
    // A nested model's weights are also its layers': free each variable once.
    const weights = new Set(this.created.flatMap((b) => b.parts.flatMap((p) => p.weights)));
    weights.forEach((w) => w.dispose());
  }

  /** `inputShape` replaces the shape of a single input (the top-level model only). */
  build(graph: ModelGraph, inputShape?: number[]): Omit<BuiltModel, 'notes' | 'params'> {
    const ctx = this.context(graph);
    const layersById = new Map(graph.layers.map((l) => [l.id, l]));
    const values = new Map<string, tf.SymbolicTensor[]>();
    const inputSymbols: tf.SymbolicTensor[] = [];
    const inputs: ModelInput[] = [];
    const addInput = (nodeId: string, layer: Layer) => {
      const spec = inputSpec(graph, nodeId, layer, this.notes);
      if (inputShape && graph.inputs.length === 1) spec.shape = inputShape;
      inputs.push(spec);
      const symbol = tf.input({ shape: spec.shape, dtype: spec.dtype });
      inputSymbols.push(symbol);
      values.set(nodeId, [symbol]);
    };
    const layerOf = (node: GraphNode): Layer => {
      const layer = layersById.get(node.layer);
      if (!layer) throw new BuildError(`node ${node.id} applies an unknown layer ${node.layer}`, graph.name);
      return layer;
    };
    const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const id of graph.inputs) {
      const node = nodesById.get(id);
      if (!node) throw new BuildError(`its input ${id} is not in the graph`, graph.name);
      addInput(id, layerOf(node));
    }

    const built = new Map<string, BuiltLayer>();
    const applications = new Map<string, tf.SymbolicTensor[]>();
    const reported = new Map<string, BuiltGraphLayer>();
    for (const node of graph.nodes) {
      const layer = layerOf(node);
      if (layer.kind === 'input') {
        if (!values.has(node.id)) addInput(node.id, layer);
        continue;
      }
      const args = node.inputs.map((id, k) => {
        const value = values.get(id);
        if (!value) throw new BuildError(`${describe(layer)}: its input ${id} is not computed before it`);
        // Which output of a multi-output input (an LSTM's returned states) this node takes.
        const index = node.inputOutputs?.[k] ?? 0;
        if (!value[index]) throw new BuildError(`${describe(layer)}: its input ${id} has no output ${index}`);
        return value[index];
      });
      // Destructured outputs of one call are several nodes with the same inputs: apply once.
      const key = `${layer.id}|${node.inputs.join(',')}`;
      let outputs = applications.get(key);
      let entry = reported.get(layer.id);
      if (!entry) {
        const b = built.get(layer.id) ?? this.buildLayer(layer, ctx);
        built.set(layer.id, b);
        entry = { layer, outputs: [], parts: b.parts };
        reported.set(layer.id, entry);
      }
      if (!outputs) {
        try {
          const result = built.get(layer.id)!.apply(args, node);
          outputs = Array.isArray(result) ? result : [result];
        } catch (err) {
          if (err instanceof TooManyParametersError) throw err;
          throw new BuildError(`${describe(layer)}: ${messageOf(err)}`);
        }
        // tfjs builds an empty output without complaint; its kernels then fail obscurely.
        const empty = outputs.find((t) => t.shape.includes(0));
        if (empty) {
          const shapes = args.map((t) => `[${t.shape.slice(1).join(', ')}]`).join(', ');
          throw new BuildError(`${describe(layer)}: its output [${empty.shape.slice(1).join(', ')}] is empty for its input ${shapes}; give the model a larger input shape`);
        }
        applications.set(key, outputs);
      }
      const selected = node.outputIndex === undefined ? outputs : [outputs[node.outputIndex]];
      if (selected.some((t) => t === undefined)) {
        throw new BuildError(`${describe(layer)}: it has no output ${node.outputIndex}`);
      }
      values.set(node.id, selected);
      entry.outputs.push(...selected);
    }

    if (graph.outputs.length === 0) {
      const why = graph.outputsUnknown;
      throw new BuildError(`the model has no outputs${why ? ` (${why})` : ''}`, graph.name);
    }
    const outputs = graph.outputs.map((id) => {
      const value = values.get(id);
      if (!value) throw new BuildError(`its output ${id} is not computed`, graph.name);
      return value[0];
    });
    const model = tf.model({ inputs: inputSymbols, outputs });
    return { model, inputs, outputs, layers: [...reported.values()] };
  }
}

const numberList = (v: Value | undefined): (number | null)[] | undefined =>
  Array.isArray(v) && v.every((d) => d === null || typeof d === 'number') ? (v as (number | null)[]) : undefined;

const RECURRENT = new Set(['simpleRNN', 'lstm', 'gru', 'rnn', 'bidirectional', 'timeDistributed']);

/**
 * Non-batch dimensions a layer of this kind takes: sequences and 1-D maps 2 (flatten needs at
 * least 2), images 3, volumes 4.
 */
function inputRank(kind: string | undefined): number {
  if (!kind) return 1;
  if (/3d$/i.test(kind)) return 4;
  if (/2d$/i.test(kind)) return 3;
  return /1d$/i.test(kind) || RECURRENT.has(kind) || kind === 'flatten' ? 2 : 1;
}

/**
 * The layers that take node `nodeId` of `graph`, and at which of their inputs; a nested model
 * taking it is looked into, since its layers decide what the input must be (an embedding
 * wants integers).
 */
function takers(graph: ModelGraph, nodeId: string, seen: Set<ModelGraph>): { layer: Layer; position: number }[] {
  seen.add(graph);
  const found: { layer: Layer; position: number }[] = [];
  for (const node of graph.nodes) {
    const position = node.inputs.indexOf(nodeId);
    const layer = position < 0 ? undefined : graph.layers.find((l) => l.id === node.layer);
    if (!layer) continue;
    const inner = layer.model?.inputs[position];
    if (layer.model && inner !== undefined && !seen.has(layer.model)) found.push(...takers(layer.model, inner, seen));
    else found.push({ layer, position });
  }
  return found;
}

/**
 * The input's shape (unknown dimensions → 16) and dtype, from wherever the graph records it.
 * A shape known only at run time becomes 16s in the rank its first consumer takes, as the
 * estimate assumes; `notes` says so.
 */
export function inputSpec(graph: ModelGraph, nodeId: string, layer: Layer, notes: string[]): ModelInput {
  const consumers = takers(graph, nodeId, new Set());
  const first = consumers[0]?.layer;
  // A recurrent layer's inputs after the first are its initial states: [units].
  const isState = RECURRENT.has(first?.kind ?? '') && consumers[0].position > 0;
  const c = layer.config;
  const fc = first?.config ?? {};
  let shape =
    numberList(c.shape) ??
    numberList(c.batchShape)?.slice(1) ??
    numberList(c.batchInputShape)?.slice(1) ??
    numberList(c.inputShape) ??
    (graph.inputs.length === 1 ? graph.inputShape : undefined) ??
    numberList(fc.inputShape) ??
    numberList(fc.batchInputShape)?.slice(1) ??
    (first?.kind === 'embedding' ? [typeof fc.inputLength === 'number' ? fc.inputLength : null] : undefined) ??
    (typeof fc.inputDim === 'number' ? [fc.inputDim] : undefined);
  if (!shape) {
    shape = new Array<null>(isState ? 1 : inputRank(first?.kind)).fill(null);
    notes.push(`the shape of input ${layer.name} is not known statically; the probe uses [${shape.map(() => UNKNOWN_DIMENSION).join(', ')}]`);
  }
  const embedding = consumers.map((t) => t.layer).find((l) => l.kind === 'embedding');
  const integer = c.dtype === 'int32' || embedding !== undefined;
  const range = embedding && typeof embedding.config.inputDim === 'number' ? embedding.config.inputDim : UNKNOWN_DIMENSION;
  return {
    shape: shape.map((d) => d ?? UNKNOWN_DIMENSION),
    dtype: integer ? 'int32' : 'float32',
    ...(integer ? { range } : {}),
  };
}
