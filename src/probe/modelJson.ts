// tfjs model.json files are probed as tfjs itself loads them: the model config is handed
// to tf.models.modelFromJSON, so every layer is deserialised by tfjs's own code, not
// rebuilt from the graph. The graph still names what is measured: each of its layers is
// found in the deserialised model by name, so results keep the graph's names and lines.
import * as tf from '@tensorflow/tfjs';
import type { Layer, ModelGraph } from '../core/graph';
import { BuildError, buildModel, inputSpec, messageOf, WEIGHT_SEED_STRIDE, type BuildOptions, type BuiltGraphLayer, type BuiltModel } from './build';
import { UNKNOWN_DIMENSION } from './builders/tfjsLayers';
import { TooManyParametersError } from './initializers';

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tfjs's loader refused the config (e.g. Keras 3 files, which tfjs 4 does not read). */
export class ModelJsonLoadError extends BuildError {}

/** tfjs's initializer class for a name written as a string (`lecun_uniform` → LeCunUniform). */
function initializerClass(name: string): string | undefined {
  const wanted = name.replace(/_/g, '').toLowerCase();
  const classes = Object.keys(tf.serialization.SerializationMap.getMap().classNameMap);
  return classes.find((c) => c.toLowerCase() === wanted);
}

/**
 * Writes a seed into every initializer and every unseeded layer (dropout, noise) of the
 * config, in file order. tfjs draws from the config's seed, and saved files have
 * `seed: null` (or an initializer's plain name): left so, every run would differ. Seeding
 * the parsed config keeps tfjs's own initialisers and makes the probe reproducible per
 * the contract's seed.
 */
function seedInitializers(value: unknown, nextSeed: () => number): void {
  if (Array.isArray(value)) {
    value.forEach((v) => seedInitializers(v, nextSeed));
    return;
  }
  if (!isJson(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (/initializer$/i.test(key)) {
      const className = typeof child === 'string' ? initializerClass(child) : undefined;
      if (className) value[key] = { class_name: className, config: { seed: nextSeed() } };
      else if (isJson(child) && isJson(child.config)) child.config.seed = nextSeed();
      continue;
    }
    if (key === 'seed' && child === null) value[key] = nextSeed();
    else seedInitializers(child, nextSeed);
  }
}

const layerList = (model: Json): unknown[] | undefined => {
  const config = model.config;
  if (Array.isArray(config)) return config; // Keras < 2.2.3 Sequential
  return isJson(config) && Array.isArray(config.layers) ? config.layers : undefined;
};

const classOf = (layer: Json): unknown => layer.class_name ?? layer.className;

/**
 * Unnamed layers of a Sequential get the names the graph gave them, so both agree (tfjs
 * would otherwise invent `dense_Dense1`). Functional configs name every layer already.
 */
function nameSequentialLayers(model: Json, graph: ModelGraph): void {
  const layers = layerList(model);
  if (!layers || classOf(model) !== 'Sequential') return;
  // The graph adds an input layer in front when the file has none, as Keras does.
  const offset = isJson(layers[0]) && classOf(layers[0]) === 'InputLayer' ? 0 : 1;
  if (layers.length + offset !== graph.layers.length) return;
  layers.forEach((layer, i) => {
    if (!isJson(layer)) return;
    if (!isJson(layer.config)) layer.config = {};
    const config = layer.config as Json;
    if (typeof config.name !== 'string' && typeof layer.name !== 'string') config.name = graph.layers[i + offset].name;
  });
}

const nameOf = (layer: Json): unknown => layer.name ?? (isJson(layer.config) ? layer.config.name : undefined);
const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Writes the initializer the graph resolved (tfjs's default) into a layer config that omits it. */
function fillInitializers(raw: Json, layer: Layer): void {
  if (!isJson(raw.config)) return;
  const config = raw.config;
  for (const [key, spec] of Object.entries(layer.config)) {
    if (!/Initializer$/.test(key) || key in config || snakeCase(key) in config || !isJson(spec)) continue;
    const { name, ...args } = spec;
    const className = typeof name === 'string' ? initializerClass(name) : undefined;
    if (className) config[key] = { class_name: className, config: args };
  }
  const inner = config.layer ?? config.cell;
  if (layer.wrapped && isJson(inner)) fillInitializers(inner, layer.wrapped);
  if (layer.model) fillDefaultInitializers(raw, layer.model);
}

/**
 * A config that leaves an initializer out gets tfjs's default at load time, unseeded; the
 * graph has already resolved that default, so it is written in, to be seeded like the rest.
 */
function fillDefaultInitializers(model: Json, graph: ModelGraph): void {
  const byName = new Map(graph.layers.map((l) => [l.name, l]));
  for (const raw of layerList(model) ?? []) {
    const layer = isJson(raw) ? byName.get(String(nameOf(raw))) : undefined;
    if (layer) fillInitializers(raw as Json, layer);
  }
}

/** Custom classes cannot be deserialised (their code is not in the file): say which. */
function refuseCustomLayers(layers: Layer[]): void {
  for (const layer of layers) {
    if (layer.kind === 'opaque') {
      throw new BuildError(`layer ${layer.name} (line ${layer.line}): the probe cannot load it${layer.note ? ` (${layer.note})` : ''}`);
    }
    if (layer.wrapped) refuseCustomLayers([layer.wrapped]);
    if (layer.model) refuseCustomLayers(layer.model.layers);
  }
}

/** The model config the graph was read from: the text under the graph's range. */
function modelConfigOf(graph: ModelGraph, text: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(graph.range.start, graph.range.end));
  } catch (err) {
    throw new BuildError(`the model config could not be read again from the file (${messageOf(err)})`, graph.name);
  }
  if (!isJson(parsed)) throw new BuildError('the model config is not an object', graph.name);
  return parsed;
}

/** The symbolic outputs of every call of the layer in the loaded model. */
function outputsOf(layer: tf.layers.Layer): tf.SymbolicTensor[] {
  // A model used as a layer also has the node of its own construction (its internal
  // inputs → outputs), which is not part of the outer model: skip it.
  const calls = layer instanceof tf.LayersModel ? layer.inboundNodes.slice(1) : layer.inboundNodes;
  return calls.flatMap((node) => node.outputTensors);
}

/**
 * tfjs allocates every weight while it loads a model, so a 10^9-parameter file would run out
 * of memory before it could be counted. The graph builder counts before it allocates: build
 * the graph once, stopping at the cap, and refuse there. Anything else the graph builder
 * cannot do is left to tfjs's own loader.
 */
function refuseHugeModel(graph: ModelGraph, options: BuildOptions): void {
  try {
    buildModel(graph, options).model.dispose();
  } catch (err) {
    if (err instanceof TooManyParametersError) throw err;
  }
}

/**
 * Loads a model.json model with tfjs (no weights: a weightsManifest is ignored and the
 * model starts from its own initialisers, seeded from `options.seed`).
 */
export async function loadModelJson(graph: ModelGraph, text: string, options: BuildOptions): Promise<BuiltModel> {
  refuseCustomLayers(graph.layers);
  refuseHugeModel(graph, options);
  const config = modelConfigOf(graph, text);
  nameSequentialLayers(config, graph);
  fillDefaultInitializers(config, graph);
  let counter = 0;
  seedInitializers(config, () => options.seed * WEIGHT_SEED_STRIDE + ++counter);
  let model: tf.LayersModel;
  try {
    // The parsed file is JSON all through, which is what tfjs's PyJsonDict stands for.
    model = await tf.models.modelFromJSON({ modelTopology: config as tf.io.ModelJSON['modelTopology'] });
  } catch (err) {
    throw new ModelJsonLoadError(`tfjs could not load the model.json model (${messageOf(err)})`);
  }
  try {
    // tfjs allocates the weights while it loads; the cap is checked right after.
    const params = model.countParams();
    if (params > options.maxParameters) throw new TooManyParametersError(params, options.maxParameters);
    const layers: BuiltGraphLayer[] = graph.layers
      .filter((l) => l.kind !== 'input')
      .map((layer) => {
        let tfLayer: tf.layers.Layer;
        try {
          tfLayer = model.getLayer(layer.name);
        } catch {
          throw new BuildError(`layer ${layer.name} (line ${layer.line}): not found in the model tfjs loaded`);
        }
        return { layer, outputs: outputsOf(tfLayer), parts: [tfLayer] };
      });
    const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    const notes = ['loaded by tfjs from the model.json topology with its own initialisers (seeded); weights files (weightsManifest) are not read'];
    const inputs = graph.inputs.map((id, i) => {
      const node = nodes.get(id);
      const inputLayer = graph.layers.find((l) => l.id === node?.layer);
      if (!inputLayer) throw new BuildError(`its input ${id} is not in the graph`, graph.name);
      const loaded = model.inputs[i]?.shape.slice(1);
      // The shape tfjs loaded wins; what the graph alone would assume is said only without it.
      const spec = inputSpec(graph, id, inputLayer, loaded ? [] : notes);
      return loaded ? { ...spec, shape: loaded.map((d) => d ?? UNKNOWN_DIMENSION) } : spec;
    });
    return { model, inputs, outputs: model.outputs, layers, notes, params };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
