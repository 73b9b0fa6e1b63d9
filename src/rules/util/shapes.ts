// Static widths and sequence lengths read from layer configurations, for the rules that need
// a fan-in or a number of time steps. Undefined whenever the configuration does not say.

import type { GraphNode, Value } from '../../core/graph';
import type { GraphView } from './graphView';
import { coreLayer } from './graphView';

const num = (v: Value | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: Value | undefined): Value[] | undefined => (Array.isArray(v) ? v : undefined);

/** Kinds whose output keeps the input's last dimension (features or channels). */
const KEEPS_WIDTH = new Set([
  'activation', 'dropout', 'spatialDropout1d', 'gaussianNoise', 'gaussianDropout', 'alphaDropout', 'batchNormalization',
  'layerNormalization', 'reLU', 'leakyReLU', 'elu', 'prelu', 'thresholdedReLU', 'softmax', 'maxPooling1d', 'maxPooling2d',
  'maxPooling3d', 'averagePooling1d', 'averagePooling2d', 'averagePooling3d', 'globalAveragePooling1d', 'globalAveragePooling2d',
  'globalMaxPooling1d', 'globalMaxPooling2d', 'zeroPadding2d', 'cropping2D', 'upSampling2d', 'masking', 'add', 'average',
  'multiply', 'maximum', 'minimum', 'rescaling',
]);

/** The shape (without batch) a model input or a first layer declares. */
function declaredShape(view: GraphView, node: GraphNode): Value[] | undefined {
  const layer = view.layerOf(node);
  const c = layer.config;
  const batch = list(c.batchShape) ?? list(c.batchInputShape);
  const own = list(c.shape) ?? list(c.inputShape) ?? batch?.slice(1);
  if (own) return own;
  if (layer.kind === 'input' && view.model.inputs.length === 1) return view.model.inputShape;
  return undefined;
}

/** The size of a node's output's last dimension. */
export function outputWidth(view: GraphView, node: GraphNode, depth = 0): number | undefined {
  if (depth > 200) return undefined;
  const layer = view.layerOf(node);
  const core = coreLayer(layer);
  const c = core.config;
  const units = num(c.units) ?? num(c.filters) ?? num(c.outputDim);
  if (units !== undefined) {
    const doubled = layer.kind === 'bidirectional' && (layer.config.mergeMode ?? 'concat') === 'concat';
    return doubled ? 2 * units : units;
  }
  if (layer.kind === 'input') {
    const shape = declaredShape(view, node);
    return shape ? num(shape[shape.length - 1]) : undefined;
  }
  if (layer.kind === 'concatenate') {
    const widths = node.inputs.map((id) => {
      const input = view.node(id);
      return input ? outputWidth(view, input, depth + 1) : undefined;
    });
    return widths.every((w) => w !== undefined) ? widths.reduce((a: number, b) => a + (b as number), 0) : undefined;
  }
  const input = node.inputs.length ? view.node(node.inputs[0]) : undefined;
  if (KEEPS_WIDTH.has(core.kind) && input) return outputWidth(view, input, depth + 1);
  return undefined;
}

/** The width feeding a node: its fan-in per kernel position. */
export function inputWidth(view: GraphView, node: GraphNode): number | undefined {
  const input = node.inputs.length === 1 ? view.node(node.inputs[0]) : undefined;
  if (input) return outputWidth(view, input);
  const shape = declaredShape(view, node);
  return shape ? num(shape[shape.length - 1]) : undefined;
}

/** Kinds that keep the number of time steps of a sequence. */
const KEEPS_STEPS = new Set([
  'embedding', 'dense', 'dropout', 'spatialDropout1d', 'gaussianNoise', 'gaussianDropout', 'alphaDropout', 'batchNormalization',
  'layerNormalization', 'activation', 'masking', 'timeDistributed', 'reLU', 'leakyReLU', 'elu', 'prelu', 'thresholdedReLU',
  'simpleRNN', 'lstm', 'gru', 'bidirectional', 'add', 'average', 'multiply', 'concatenate',
]);

/** Output length of a 1-D convolution or pooling, as tfjs computes it. */
function convLength(len: number, kernel: number, stride: number, dilation: number, padding: string): number {
  const span = (kernel - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(len / stride) : Math.floor((len - span) / stride) + 1;
}

const first = (v: Value | undefined): number | undefined => num(v) ?? num(list(v)?.[0]);

/** Time steps of a node's output sequence, from declared input shapes through the layers that keep or change them. */
export function outputSteps(view: GraphView, node: GraphNode, depth = 0): number | undefined {
  if (depth > 200) return undefined;
  const layer = view.layerOf(node);
  const c = layer.config;
  const input = node.inputs.length ? view.node(node.inputs[0]) : undefined;
  const upstream = (): number | undefined => {
    if (input) return outputSteps(view, input, depth + 1);
    const shape = declaredShape(view, node);
    return shape ? num(shape[0]) : layer.kind === 'embedding' ? num(c.inputLength) : undefined;
  };
  if (layer.kind === 'input') return num(declaredShape(view, node)?.[0]);
  if (layer.kind === 'conv1d' || layer.kind.endsWith('ooling1d')) {
    const len = upstream();
    const kernel = first(c.kernelSize) ?? first(c.poolSize);
    // Pooling strides default to the pool size.
    const stride = first(c.strides) ?? (layer.kind === 'conv1d' ? 1 : kernel);
    if (len === undefined || kernel === undefined || stride === undefined) return undefined;
    return convLength(len, kernel, stride, first(c.dilationRate) ?? 1, typeof c.padding === 'string' ? c.padding : 'valid');
  }
  if (!KEEPS_STEPS.has(layer.kind)) return undefined;
  const steps = upstream();
  if (steps === undefined && layer.kind === 'embedding') return num(c.inputLength);
  return steps;
}

/** Time steps a recurrent layer at `node` runs over. */
export function inputSteps(view: GraphView, node: GraphNode): number | undefined {
  const input = node.inputs.length ? view.node(node.inputs[0]) : undefined;
  if (input) return outputSteps(view, input);
  const shape = declaredShape(view, node);
  return shape ? num(shape[0]) : undefined;
}
