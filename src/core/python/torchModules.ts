// torch.nn modules as graph layers: each module's constructor signature (to bind positional
// arguments) and its layer kind and configuration with PyTorch's defaults, initialisation
// included (Linear/Conv: kaiming_uniform(a=√5) = U(±1/√fan_in) and the same bound for the
// bias; BatchNorm eps 1e-5, momentum 0.1; RNN/LSTM/GRU every weight U(±1/√hidden);
// Embedding N(0, 1)). Layer kinds are tfjs's, configured as the YOLO front end does
// (src/core/yaml/KINDS.md): PyTorch padding in pixels, `groups`, `inChannels`.

import type { Value } from '../graph';
import type { PyValue } from './values';
import { toConfig } from './values';
import { nameTable } from '../nameTable';

/** What one module becomes: a layer (or an identity), with fans for explicit initialisation. */
export interface TorchLayerSpec {
  kind: string;
  config: Record<string, Value>;
  unknown: Record<string, string>;
  note?: string;
  /** PyTorch's fan_in and fan_out of the weight (`nn.init` computes from them). */
  fanIn?: number;
  fanOut?: number;
  /** RNN family: stacked layers and directions. */
  recurrent?: { layers: number; bidirectional: boolean; dropout: number };
  /** nn.Identity and friends: no layer, the input passes. */
  identity?: boolean;
  /** Adaptive pooling to a size other than 1: that size, resolved once the image size is chosen. */
  adaptiveSize?: number;
  /** nn.MultiheadAttention: the embedding width and heads (three layers: in_proj, softmax attention, out_proj). */
  attention?: { inProj: Record<string, Value>; outProj: Record<string, Value>; embedDim: number };
}

export const SIGNATURES: Readonly<Record<string, string[]>> = nameTable({
  Linear: ['in_features', 'out_features', 'bias'],
  LazyLinear: ['out_features', 'bias'],
  Bilinear: ['in1_features', 'in2_features', 'out_features', 'bias'],
  Conv1d: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias'],
  Conv2d: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias'],
  Conv3d: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias'],
  ConvTranspose1d: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'],
  ConvTranspose2d: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'],
  ConvTranspose3d: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'],
  BatchNorm1d: ['num_features', 'eps', 'momentum', 'affine'],
  BatchNorm2d: ['num_features', 'eps', 'momentum', 'affine'],
  BatchNorm3d: ['num_features', 'eps', 'momentum', 'affine'],
  InstanceNorm1d: ['num_features', 'eps', 'momentum', 'affine'],
  InstanceNorm2d: ['num_features', 'eps', 'momentum', 'affine'],
  InstanceNorm3d: ['num_features', 'eps', 'momentum', 'affine'],
  LayerNorm: ['normalized_shape', 'eps', 'elementwise_affine'],
  GroupNorm: ['num_groups', 'num_channels', 'eps', 'affine'],
  RMSNorm: ['normalized_shape', 'eps'],
  Dropout: ['p', 'inplace'],
  Dropout1d: ['p', 'inplace'],
  Dropout2d: ['p', 'inplace'],
  Dropout3d: ['p', 'inplace'],
  AlphaDropout: ['p', 'inplace'],
  MaxPool1d: ['kernel_size', 'stride', 'padding'],
  MaxPool2d: ['kernel_size', 'stride', 'padding'],
  MaxPool3d: ['kernel_size', 'stride', 'padding'],
  AvgPool1d: ['kernel_size', 'stride', 'padding'],
  AvgPool2d: ['kernel_size', 'stride', 'padding'],
  AvgPool3d: ['kernel_size', 'stride', 'padding'],
  AdaptiveAvgPool1d: ['output_size'],
  AdaptiveAvgPool2d: ['output_size'],
  AdaptiveAvgPool3d: ['output_size'],
  AdaptiveMaxPool1d: ['output_size'],
  AdaptiveMaxPool2d: ['output_size'],
  AdaptiveMaxPool3d: ['output_size'],
  Flatten: ['start_dim', 'end_dim'],
  Embedding: ['num_embeddings', 'embedding_dim', 'padding_idx'],
  RNN: ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional'],
  LSTM: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional'],
  GRU: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional'],
  Upsample: ['size', 'scale_factor', 'mode'],
  ZeroPad2d: ['padding'],
  ReflectionPad2d: ['padding'],
  ReplicationPad2d: ['padding'],
  ConstantPad2d: ['padding', 'value'],
  MultiheadAttention: ['embed_dim', 'num_heads', 'dropout', 'bias'],
  // Activations with arguments.
  ELU: ['alpha', 'inplace'],
  CELU: ['alpha', 'inplace'],
  LeakyReLU: ['negative_slope', 'inplace'],
  PReLU: ['num_parameters', 'init'],
  RReLU: ['lower', 'upper', 'inplace'],
  GELU: ['approximate'],
  Softplus: ['beta', 'threshold'],
  Softmax: ['dim'],
  LogSoftmax: ['dim'],
  Threshold: ['threshold', 'value', 'inplace'],
  Hardtanh: ['min_val', 'max_val', 'inplace'],
});

/** Activation modules and their estimate names (null: no tfjs activation fits; opaque with a note). */
const ACTIVATIONS: Readonly<Record<string, string | null>> = nameTable({
  ReLU: 'relu',
  ReLU6: 'relu6',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  GELU: 'gelu',
  SiLU: 'swish',
  Mish: 'mish',
  ELU: 'elu',
  CELU: 'elu',
  SELU: 'selu',
  LeakyReLU: 'leakyReLU',
  PReLU: 'leakyReLU',
  RReLU: 'leakyReLU',
  Softplus: 'softplus',
  Softsign: 'softsign',
  Hardsigmoid: 'hardSigmoid',
  Hardswish: 'hardSwish',
  Softmax: 'softmax',
  LogSoftmax: 'softmax',
  Softmin: 'softmax',
  Hardtanh: null,
  Tanhshrink: null,
  Softshrink: null,
  Hardshrink: null,
  LogSigmoid: null,
  Threshold: null,
  GLU: null,
});

export const isActivationModule = (name: string): boolean => Object.prototype.hasOwnProperty.call(ACTIVATIONS, name);

const IDENTITY = new Set(['Identity']);

const uniform = (bound: number): Value => ({ name: 'randomUniform', minval: -bound, maxval: bound });
const KAIMING_A_SQRT5: Value = { name: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' };

/** Reads resolved arguments as numbers and tuples. */
class Args {
  readonly unknown: Record<string, string> = {};
  constructor(private readonly params: ReadonlyMap<string, PyValue>) {}

  has(name: string): boolean {
    return this.params.has(name);
  }

  raw(name: string): PyValue | undefined {
    return this.params.get(name);
  }

  /** A number argument; `fallback` when absent; undefined (and noted under `key`) when unknown. */
  number(name: string, fallback: number | undefined, key = name): number | undefined {
    const v = this.params.get(name);
    if (v === undefined) return fallback;
    if (v.t === 'num') return v.v;
    if (v.t === 'bool') return v.v ? 1 : 0;
    this.unknown[key] = `${name} is not known statically (${v.t === 'unknown' ? v.why : v.t})`;
    return undefined;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.params.get(name);
    if (v?.t === 'bool') return v.v;
    if (v?.t === 'num') return v.v !== 0;
    return fallback;
  }

  string(name: string, fallback: string): string {
    const v = this.params.get(name);
    return v?.t === 'str' ? v.v : fallback;
  }

  /** An int-or-tuple argument expanded to `n` entries. */
  tuple(name: string, n: number, fallback: number | undefined, key = name): number[] | undefined {
    const v = this.params.get(name);
    if (v === undefined) return fallback === undefined ? undefined : Array(n).fill(fallback);
    if (v.t === 'num') return Array(n).fill(v.v);
    if (v.t === 'list' && v.items.every((x) => x.t === 'num')) return v.items.map((x) => (x as { v: number }).v);
    this.unknown[key] = `${name} is not known statically`;
    return undefined;
  }
}

const dims = (cls: string): number => Number(/(\d)d$/.exec(cls)?.[1] ?? 2);

function convLayer(cls: string, a: Args): TorchLayerSpec {
  const n = dims(cls);
  const transposed = cls.startsWith('ConvTranspose');
  const inCh = a.number('in_channels', undefined, 'inChannels');
  const out = a.number('out_channels', undefined, 'filters');
  const k = a.tuple('kernel_size', n, undefined, 'kernelSize');
  const groups = a.number('groups', 1) ?? 1;
  const bias = a.bool('bias', true);
  const padArg = a.raw('padding');
  const padding: Value | undefined =
    padArg?.t === 'str' ? padArg.v : padArg === undefined ? 0 : (toConfig(padArg) ?? undefined);
  if (padding === undefined) a.unknown.padding = 'padding is not known statically';
  const config: Record<string, Value> = {
    strides: a.tuple('stride', n, 1) ?? Array(n).fill(1),
    dilationRate: a.tuple('dilation', n, 1) ?? Array(n).fill(1),
    useBias: bias,
  };
  if (padding !== undefined) config.padding = Array.isArray(padding) && padding.every((p) => p === padding[0]) ? padding[0] : padding;
  if (out !== undefined) config.filters = out;
  if (k) config.kernelSize = k;
  if (inCh !== undefined) config.inChannels = inCh;
  const area = k ? k.reduce((s, x) => s * x, 1) : undefined;
  // Weight shapes: (out, in/groups, *k); transposed (in, out/groups, *k). fan_in = size(1)·area.
  const fanIn = area === undefined ? undefined : transposed ? (out !== undefined ? (out / groups) * area : undefined) : inCh !== undefined ? (inCh / groups) * area : undefined;
  const fanOut = area === undefined ? undefined : transposed ? (inCh !== undefined ? inCh * area : undefined) : out !== undefined ? out * area : undefined;
  if (transposed) {
    if (fanIn !== undefined) config.kernelInitializer = uniform(1 / Math.sqrt(fanIn));
    if (n === 1) return { kind: 'opaque', config: { module: cls }, unknown: a.unknown, note: `${cls} has no tfjs layer; read as identity.`, fanIn, fanOut };
  } else {
    config.kernelInitializer = KAIMING_A_SQRT5;
    config.groups = groups;
  }
  if (bias && fanIn !== undefined) config.biasInitializer = uniform(1 / Math.sqrt(fanIn));
  return { kind: transposed ? `conv${n}dTranspose` : `conv${n}d`, config, unknown: a.unknown, fanIn, fanOut };
}

/**
 * nn.MultiheadAttention(E, h): in_proj (E → 3E, xavier_uniform over the stacked q, k, v rows,
 * bias 0), softmax attention per head of width E/h scaled by (E/h)^-½, out_proj (a Linear with
 * PyTorch's default weight, bias 0). The spec is the softmax; the library adds the projections.
 */
function attentionLayer(a: Args): TorchLayerSpec {
  const embedDim = a.number('embed_dim', undefined, 'units');
  const heads = a.number('num_heads', 1, 'numHeads') ?? 1;
  const note = a.has('kdim') || a.has('vdim') ? 'kdim/vdim other than embed_dim are read as embed_dim.' : undefined;
  if (embedDim === undefined || !(heads >= 1) || embedDim % heads !== 0) {
    return { kind: 'opaque', config: { module: 'MultiheadAttention' }, unknown: a.unknown, note: 'MultiheadAttention of a width or head count not known statically; read as identity.' };
  }
  const headDim = embedDim / heads;
  const config: Record<string, Value> = { numHeads: heads, keyDim: headDim, headDim, scale: 1 / Math.sqrt(headDim) };
  const bias = a.bool('bias', true);
  const zeros: Value = { name: 'zeros' };
  const inProj: Record<string, Value> = { units: 3 * embedDim, useBias: bias, kernelInitializer: { name: 'glorotUniform' }, biasInitializer: zeros };
  const outProj: Record<string, Value> = { units: embedDim, useBias: bias, kernelInitializer: KAIMING_A_SQRT5, biasInitializer: zeros };
  return { kind: 'attention', config, unknown: a.unknown, note, fanIn: embedDim, fanOut: embedDim, attention: { inProj, outProj, embedDim } };
}

function recurrentLayer(cls: string, a: Args): TorchLayerSpec {
  const hidden = a.number('hidden_size', undefined, 'units');
  const config: Record<string, Value> = { returnSequences: true, useBias: a.bool('bias', true) };
  if (hidden !== undefined) {
    config.units = hidden;
    const bound = 1 / Math.sqrt(hidden);
    config.kernelInitializer = uniform(bound);
    config.recurrentInitializer = uniform(bound);
    // PyTorch adds two biases (b_ih + b_hh), each U(±1/√h): one bias of the same variance.
    config.biasInitializer = uniform(Math.SQRT2 * bound);
  }
  if (cls === 'RNN') config.activation = a.string('nonlinearity', 'tanh');
  if (cls === 'LSTM') Object.assign(config, { recurrentActivation: 'sigmoid', unitForgetBias: false });
  if (cls === 'GRU') Object.assign(config, { recurrentActivation: 'sigmoid', resetAfter: true });
  const inputSize = a.number('input_size', undefined, 'inputDim');
  if (inputSize !== undefined) config.inputDim = inputSize;
  const recurrent = { layers: stackedLayers(a.number('num_layers', 1) ?? 1), bidirectional: a.bool('bidirectional', false), dropout: a.number('dropout', 0) ?? 0 };
  return { kind: cls === 'RNN' ? 'simpleRNN' : cls.toLowerCase(), config, unknown: a.unknown, recurrent, fanIn: inputSize, fanOut: hidden };
}

/** Most stacked recurrent layers analysed (real models stack at most a dozen; 1e9 must not build 1e9 layers). */
const MAX_STACKED_LAYERS = 64;

/** `num_layers` as layers to build: at least one (PyTorch refuses fewer; 0 left nothing to apply), at most MAX_STACKED_LAYERS. */
const stackedLayers = (n: number): number => (n >= 1 ? Math.min(Math.floor(n), MAX_STACKED_LAYERS) : 1);

function activationLayer(cls: string, a: Args): TorchLayerSpec {
  const activation = ACTIVATIONS[cls];
  if (activation === null) return { kind: 'opaque', config: { module: cls }, unknown: {}, note: `${cls} has no counterpart in the estimate; read as identity.` };
  if (activation === 'softmax') return { kind: 'softmax', config: { axis: -1 }, unknown: {} };
  const config: Record<string, Value> = { activation };
  if (cls === 'ELU' || cls === 'CELU') config.alpha = a.number('alpha', 1) ?? 1;
  if (cls === 'LeakyReLU') config.alpha = a.number('negative_slope', 0.01) ?? 0.01;
  if (cls === 'PReLU') config.alpha = a.number('init', 0.25) ?? 0.25;
  if (cls === 'RReLU') config.alpha = ((a.number('lower', 1 / 8) ?? 1 / 8) + (a.number('upper', 1 / 3) ?? 1 / 3)) / 2;
  if (cls === 'GELU' && a.string('approximate', 'none') === 'tanh') config.activation = 'gelu_new';
  return { kind: 'activation', config, unknown: {} };
}

function pooling(cls: string, a: Args): TorchLayerSpec {
  const n = dims(cls);
  const max = cls.includes('Max');
  if (cls.startsWith('Adaptive')) {
    const size = a.tuple('output_size', n, undefined);
    const global = size?.every((s) => s === 1);
    const kind = `global${max ? 'Max' : 'Average'}Pooling${n}d`;
    return { kind, config: {}, unknown: {}, adaptiveSize: global || !size ? undefined : Math.max(...size) };
  }
  const k = a.tuple('kernel_size', n, undefined, 'poolSize');
  const config: Record<string, Value> = { padding: a.number('padding', 0) ?? 0 };
  if (k) {
    config.poolSize = k;
    config.strides = a.tuple('stride', n, undefined) ?? k;
  }
  return { kind: `${max ? 'max' : 'average'}Pooling${n}d`, config, unknown: a.unknown };
}

/** The layer a torch.nn module becomes; `cls` is the name after `torch.nn.`. */
/** The 2D paddings: zeros, or the border reflected, replicated or constant (sized as zeros). */
const PADDINGS = new Set(['ZeroPad2d', 'ReflectionPad2d', 'ReplicationPad2d', 'ConstantPad2d']);

export function torchLayer(cls: string, params: ReadonlyMap<string, PyValue>): TorchLayerSpec {
  const a = new Args(params);
  if (IDENTITY.has(cls)) return { kind: 'identity', config: {}, unknown: {}, identity: true };
  if (isActivationModule(cls)) return activationLayer(cls, a);
  if (cls === 'Linear' || cls === 'LazyLinear') {
    const inF = a.number('in_features', undefined, 'inputDim');
    const out = a.number('out_features', undefined, 'units');
    const bias = a.bool('bias', true);
    const config: Record<string, Value> = { useBias: bias, kernelInitializer: KAIMING_A_SQRT5 };
    if (out !== undefined) config.units = out;
    if (bias && inF !== undefined) config.biasInitializer = uniform(1 / Math.sqrt(inF));
    return { kind: 'dense', config, unknown: a.unknown, fanIn: inF, fanOut: out };
  }
  if (/^Conv(Transpose)?[123]d$/.test(cls)) return convLayer(cls, a);
  if (/^BatchNorm[123]d$/.test(cls)) {
    const eps = a.number('eps', 1e-5) ?? 1e-5;
    // tfjs keeps `momentum` of the old average; PyTorch's momentum weighs the new batch.
    const momentum = 1 - (a.number('momentum', 0.1) ?? 0.1);
    const affine = a.bool('affine', true);
    return { kind: 'batchNormalization', config: { axis: -1, epsilon: eps, momentum, center: affine, scale: affine }, unknown: {} };
  }
  if (cls === 'LayerNorm' || cls === 'RMSNorm') {
    const note = cls === 'RMSNorm' ? 'RMSNorm read as layer normalisation (the same variance reset).' : undefined;
    return { kind: 'layerNormalization', config: { axis: -1, epsilon: a.number('eps', 1e-5) ?? 1e-5 }, unknown: {}, note };
  }
  if (cls === 'GroupNorm' || /^InstanceNorm[123]d$/.test(cls)) {
    return { kind: 'layerNormalization', config: { axis: -1, epsilon: a.number('eps', 1e-5) ?? 1e-5 }, unknown: {}, note: `${cls} read as layer normalisation (the same variance reset).` };
  }
  if (/^(Alpha)?Dropout[123]?d?$/.test(cls)) return { kind: 'dropout', config: { rate: a.number('p', 0.5) ?? 0.5 }, unknown: {} };
  if (/Pool[123]d$/.test(cls)) return pooling(cls, a);
  if (cls === 'Flatten') return { kind: 'flatten', config: {}, unknown: {} };
  if (cls === 'Embedding') {
    const config: Record<string, Value> = { embeddingsInitializer: { name: 'randomNormal', mean: 0, stddev: 1 } };
    const inputDim = a.number('num_embeddings', undefined, 'inputDim');
    const outputDim = a.number('embedding_dim', undefined, 'outputDim');
    if (inputDim !== undefined) config.inputDim = inputDim;
    if (outputDim !== undefined) config.outputDim = outputDim;
    return { kind: 'embedding', config, unknown: a.unknown, fanIn: inputDim, fanOut: outputDim };
  }
  if (cls === 'RNN' || cls === 'LSTM' || cls === 'GRU') return recurrentLayer(cls, a);
  if (cls === 'MultiheadAttention') return attentionLayer(a);
  if (cls === 'Upsample') {
    const f = a.number('scale_factor', undefined);
    if (f !== undefined) return { kind: 'upSampling2d', config: { size: [f, f], interpolation: a.string('mode', 'nearest') === 'nearest' ? 'nearest' : 'bilinear' }, unknown: {} };
  }
  if (PADDINGS.has(cls)) {
    const p = a.tuple('padding', 4, undefined);
    // Style-transfer nets pad by reflection before each unpadded conv: read as identity, the image shrank to nothing.
    const note = cls === 'ZeroPad2d' ? undefined : `torch.nn.${cls} is read as zero padding: the same output size, its border pixels taken as zeros.`;
    if (p) return { kind: 'zeroPadding2d', config: { padding: [[p[2], p[3]], [p[0], p[1]]] }, unknown: {}, note };
  }
  return { kind: 'opaque', config: { module: cls }, unknown: {}, note: `torch.nn.${cls} is not modelled; read as identity.` };
}
