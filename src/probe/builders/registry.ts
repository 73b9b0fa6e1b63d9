// The builder registry: one function per layer kind turns a graph Layer into tfjs layers.
// The tfjs kinds are registered by ./tfjsLayers; the YOLO modules by ./yolo*.ts. Builders
// never run user code: they read the graph's configuration only.
import * as tf from '@tensorflow/tfjs';
import type { GraphNode, Layer, ModelGraph, Value } from '../../core/graph';

export type Initializer = ReturnType<typeof tf.initializers.zeros>;
export type TfLayer = tf.layers.Layer;

/** What a builder hands back for one graph Layer (one set of weights). */
export interface BuiltLayer {
  /** Applies the layer to its symbolic inputs; called once per graph node (shared layers: several times). */
  apply(inputs: tf.SymbolicTensor[], node: GraphNode): tf.SymbolicTensor | tf.SymbolicTensor[];
  /** Every tfjs layer (or model) holding this layer's weights, for the kernel gradients. */
  readonly parts: TfLayer[];
}

/** What builders may use: seeded, parameter-counted initialisers and recursion. */
export interface BuildContext {
  /** The model being built (YAML builders read its rows). */
  readonly graph: ModelGraph;
  /**
   * A tfjs initialiser for a graph initialiser spec (`{name, ...args}` or a name), seeded
   * from the probe's seed and counted against the parameter cap before it allocates.
   */
  initializer(spec: Value | undefined): Initializer;
  /** A fresh seed derived from the probe's seed (dropout, noise). */
  nextSeed(): number;
  /** Builds a nested model graph (kind 'model') into a tfjs model usable as a layer. */
  buildModel(graph: ModelGraph): tf.LayersModel;
  /** Builds another layer (the `wrapped` layer of wrappers) through the registry. */
  buildLayer(layer: Layer): BuiltLayer;
  /** Things a person should know about how the model was built (defaults for unknowns...). */
  note(message: string): void;
}

export type LayerBuilder = (layer: Layer, ctx: BuildContext) => BuiltLayer;

const builders = new Map<string, LayerBuilder>();

/** Registers (or replaces) the builder for a layer kind. */
export function registerBuilder(kind: string, builder: LayerBuilder): void {
  builders.set(kind, builder);
}

export function builderFor(kind: string): LayerBuilder | undefined {
  return builders.get(kind);
}

export function registeredKinds(): string[] {
  return [...builders.keys()];
}

/** A BuiltLayer for tfjs layers applied one after the other to a single input. */
export function sequence(...layers: TfLayer[]): BuiltLayer {
  return {
    parts: layers,
    apply: (inputs) => layers.reduce((x, l) => l.apply(x) as tf.SymbolicTensor, inputs[0]),
  };
}

/**
 * tfjs's model executor hands one kwargs object to every layer of a pass, and RNN.apply (and
 * Bidirectional's) writes the initial states it was given into it: every recurrent layer run
 * after one with initial states would take them as its own and fail. Each call gets a copy.
 */
function isolateKwargs(layer: TfLayer): void {
  const apply = layer.apply.bind(layer);
  layer.apply = (inputs, kwargs) => apply(inputs, kwargs && { ...kwargs });
}

/**
 * A BuiltLayer for one tfjs layer: one input is passed alone, several as a list (merges). A
 * recurrent layer's further inputs are its initial states, passed as tfjs's `initialState`.
 */
export function fromTfLayer(layer: TfLayer): BuiltLayer {
  const recurrent = layer instanceof tf.RNN || layer.getClassName() === 'Bidirectional';
  if (recurrent) isolateKwargs(layer);
  return {
    parts: [layer],
    apply: (inputs) => {
      if (inputs.length === 1) return layer.apply(inputs[0]) as tf.SymbolicTensor | tf.SymbolicTensor[];
      if (recurrent) return layer.apply(inputs[0], { initialState: inputs.slice(1) }) as tf.SymbolicTensor | tf.SymbolicTensor[];
      return layer.apply(inputs) as tf.SymbolicTensor | tf.SymbolicTensor[];
    },
  };
}
