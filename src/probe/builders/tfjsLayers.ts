// Builders for every tf.layers kind the front ends know: the graph configuration becomes
// the factory's arguments, with seeded and counted initialisers and the contract's rule
// for what could not be known statically.
import * as tf from '@tensorflow/tfjs';
import type { Layer } from '../../core/graph';
import { applyLayerDefaults, layerKinds } from '../../core/layerDefaults';
import { type BuildContext, type BuiltLayer, fromTfLayer, registerBuilder, type TfLayer } from './registry';

/** Per the contract an unknown dimension becomes 16; sizes that are unknown are treated alike. */
export const UNKNOWN_DIMENSION = 16;
const SIZE_KEYS = new Set(['units', 'filters', 'outputDim', 'inputDim', 'n']);

/** Keys describing where the layer sits or what it is trained with, not what it computes. */
const IGNORED_KEYS = new Set(['name', 'inputShape', 'batchInputShape', 'batchSize', 'weights', 'layer', 'cell', 'groups', 'inChannels']);
const isTrainingOnlyKey = (key: string): boolean =>
  key.endsWith('Regularizer') || key.endsWith('Constraint');
/** Shape hints of non-embedding layers; the symbolic input already carries the shape. */
const SHAPE_HINTS = new Set(['inputDim', 'inputLength']);

/** Settings tfjs has no default for and no stand-in fits: unknown, the layer cannot be built. */
const REQUIRED: Record<string, string> = { reshape: 'targetShape', permute: 'dims' };

const RANDOM_KINDS = new Set(['dropout', 'spatialDropout1d', 'gaussianNoise', 'gaussianDropout', 'alphaDropout']);
const CELL_KINDS = new Set(['simpleRNNCell', 'lstmCell', 'gruCell', 'convLstm2dCell', 'stackedRNNCells']);
const WRAPPER_KINDS = new Set(['bidirectional', 'timeDistributed', 'rnn']);

type Factory = (args: Record<string, unknown>) => TfLayer;

function factoryFor(kind: string): Factory | undefined {
  const f = (tf.layers as unknown as Record<string, unknown>)[kind];
  return typeof f === 'function' ? (f as Factory) : undefined;
}

/** The factory arguments for a graph layer. */
function tfjsArgs(layer: Layer, ctx: BuildContext): Record<string, unknown> {
  const unknownKeys = Object.keys(layer.unknown);
  const config = applyLayerDefaults(layer.kind, layer.config, { unknownKeys });
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (IGNORED_KEYS.has(key) || isTrainingOnlyKey(key) || value === null) continue;
    if (SHAPE_HINTS.has(key) && layer.kind !== 'embedding') continue;
    args[key] = key.endsWith('Initializer') ? ctx.initializer(value) : value;
  }
  // PyTorch's and Keras 2+'s GRU apply the reset gate after the recurrent product; tfjs has only the older form.
  if (args.resetAfter === true) {
    args.resetAfter = false;
    ctx.note(`${layer.name}: tfjs's GRU has no reset_after; built with the reset gate before the recurrent product (the same at the first time step, close after)`);
  }
  for (const key of unknownKeys) {
    if (IGNORED_KEYS.has(key) || isTrainingOnlyKey(key)) continue;
    if (REQUIRED[layer.kind] === key) {
      throw new Error(`its ${key} is known only at run time (${layer.unknown[key]}) and tfjs has no default for it, so the probe cannot build it; give the ${key} as constants`);
    }
    if (SIZE_KEYS.has(key)) {
      args[key] = UNKNOWN_DIMENSION;
      ctx.note(`${layer.name}: ${key} is unknown (${layer.unknown[key]}); the probe uses ${UNKNOWN_DIMENSION}`);
    } else {
      ctx.note(`${layer.name}: ${key} is unknown (${layer.unknown[key]}); the probe uses tfjs's default`);
    }
  }
  if (RANDOM_KINDS.has(layer.kind)) args.seed = ctx.nextSeed();
  return args;
}

/** The tfjs layer for a plain tfjs kind (also the inner layer of wrappers). */
export function tfjsLayer(layer: Layer, ctx: BuildContext): TfLayer {
  if (CELL_KINDS.has(layer.kind)) {
    throw new Error(`${layer.kind} is a recurrent cell; only an rnn layer holding it can be probed`);
  }
  const factory = factoryFor(layer.kind);
  if (!factory) throw new Error(`no tfjs layer is called ${layer.kind}`);
  const args = tfjsArgs(layer, ctx);
  if (WRAPPER_KINDS.has(layer.kind)) {
    if (!layer.wrapped) throw new Error(`the layer ${layer.kind} wraps is unknown`);
    const inner = tfjsLayerOrCell(layer.wrapped, ctx);
    if (layer.kind === 'rnn') args.cell = inner;
    else args.layer = inner;
  }
  return factory(args);
}

/** rnn holds a cell; the other wrappers hold layers. */
function tfjsLayerOrCell(layer: Layer, ctx: BuildContext): TfLayer {
  if (!CELL_KINDS.has(layer.kind)) return tfjsLayer(layer, ctx);
  const args = tfjsArgs(layer, ctx);
  if (layer.kind === 'stackedRNNCells') {
    throw new Error('stackedRNNCells cannot be rebuilt from the graph (its cells are not recorded)');
  }
  return factoryFor(layer.kind)!(args);
}

function registerTfjsBuilders(): void {
  for (const kind of layerKinds()) {
    if (kind === 'input') continue; // inputs are created by the model builder
    registerBuilder(kind, (layer, ctx) => fromTfLayer(tfjsLayer(layer, ctx)));
  }
  registerBuilder('model', (layer, ctx) => {
    if (!layer.model) throw new Error('the nested model is unknown');
    return fromTfLayer(ctx.buildModel(layer.model));
  });
}

/**
 * tfjs's Reshape leaves a -1 of the target shape unresolved whenever the batch is unknown (it
 * always is), and the next layer then finds no channel count: the -1 is solved from the input's
 * known shape here, per node (a reshape has no weights to share).
 */
function resolvedReshape(layer: Layer, ctx: BuildContext): BuiltLayer {
  const args = tfjsArgs(layer, ctx);
  const target = args.targetShape as number[];
  return {
    parts: [],
    apply: ([x]) => {
      const known = x.shape.slice(1);
      const total = known.every((d): d is number => d !== null) ? known.reduce((a, b) => a * b, 1) : null;
      const rest = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const targetShape = total === null ? target : target.map((d) => (d === -1 ? total / rest : d));
      return tf.layers.reshape({ ...args, targetShape }).apply(x) as tf.SymbolicTensor;
    },
  };
}

registerTfjsBuilders();
registerBuilder('reshape', resolvedReshape);
