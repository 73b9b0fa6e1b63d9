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

/** A BuiltLayer for one tfjs layer: one input is passed alone, several as a list (merges). */
export function fromTfLayer(layer: TfLayer): BuiltLayer {
  return {
    parts: [layer],
    apply: (inputs) => layer.apply(inputs.length === 1 ? inputs[0] : inputs) as tf.SymbolicTensor | tf.SymbolicTensor[],
  };
}
