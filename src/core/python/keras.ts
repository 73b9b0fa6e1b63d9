// keras.layers classes as graph layers: the tfjs kind (tfjs mirrors Keras), positional
// argument names, snake_case keywords as tfjs's camelCase, and Keras's own defaults where
// they differ from tfjs's (glorot_uniform kernels, LSTM unit_forget_bias and sigmoid gates).

import type { Value } from '../graph';
import type { PyValue } from './values';
import { lastName, toConfig } from './values';
import { nameTable } from '../nameTable';

export const KERAS_SIGNATURES: Readonly<Record<string, string[]>> = nameTable({
  Dense: ['units', 'activation'],
  Conv1D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv2D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv3D: ['filters', 'kernel_size', 'strides', 'padding'],
  Conv2DTranspose: ['filters', 'kernel_size', 'strides', 'padding'],
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  GaussianNoise: ['stddev'],
  Activation: ['activation'],
  Reshape: ['target_shape'],
  MaxPooling1D: ['pool_size', 'strides', 'padding'],
  MaxPooling2D: ['pool_size', 'strides', 'padding'],
  MaxPooling3D: ['pool_size', 'strides', 'padding'],
  AveragePooling1D: ['pool_size', 'strides', 'padding'],
  AveragePooling2D: ['pool_size', 'strides', 'padding'],
  AveragePooling3D: ['pool_size', 'strides', 'padding'],
  Embedding: ['input_dim', 'output_dim'],
  SimpleRNN: ['units'],
  LSTM: ['units'],
  GRU: ['units'],
  Bidirectional: ['layer'],
  TimeDistributed: ['layer'],
  ZeroPadding2D: ['padding'],
  UpSampling2D: ['size'],
  Rescaling: ['scale', 'offset'],
  Concatenate: ['axis'],
  Dot: ['axes', 'normalize'],
  Input: ['shape'],
  InputLayer: ['input_shape'],
});

/** Class names whose tfjs kind is not the class name with a lower-case first letter. */
const KIND_EXCEPTIONS: Readonly<Record<string, string>> = nameTable({
  LSTM: 'lstm',
  GRU: 'gru',
  SimpleRNN: 'simpleRNN',
  ReLU: 'reLU',
  PReLU: 'prelu',
  ELU: 'elu',
  Cropping2D: 'cropping2D',
});

const KNOWN_KINDS = new Set([
  'dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'conv3dTranspose', 'separableConv2d', 'depthwiseConv2d', 'dropout',
  'spatialDropout1d', 'gaussianNoise', 'gaussianDropout', 'alphaDropout', 'activation', 'reshape', 'flatten', 'permute', 'repeatVector',
  'maxPooling1d', 'maxPooling2d', 'maxPooling3d', 'averagePooling1d', 'averagePooling2d', 'averagePooling3d', 'globalAveragePooling1d',
  'globalAveragePooling2d', 'globalMaxPooling1d', 'globalMaxPooling2d', 'embedding', 'simpleRNN', 'lstm', 'gru', 'bidirectional',
  'timeDistributed', 'zeroPadding2d', 'upSampling2d', 'rescaling', 'batchNormalization', 'layerNormalization', 'add', 'concatenate',
  'multiply', 'average', 'maximum', 'minimum', 'dot', 'reLU', 'leakyReLU', 'prelu', 'elu', 'softmax', 'thresholdedReLU', 'cropping2D', 'masking',
]);

export function kerasKind(cls: string): string | undefined {
  const kind = KIND_EXCEPTIONS[cls] ?? (cls[0].toLowerCase() + cls.slice(1)).replace(/([123])D/g, '$1d');
  return KNOWN_KINDS.has(kind) ? kind : undefined;
}

const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keras activation names as the estimate names them. */
const ACTIVATION_NAMES: Readonly<Record<string, string>> = nameTable({
  silu: 'swish',
  hard_sigmoid: 'hardSigmoid',
  hard_silu: 'hardSwish',
  hard_swish: 'hardSwish',
  leaky_relu: 'leakyReLU',
  None: 'linear',
});

export const kerasActivation = (name: string): string => ACTIVATION_NAMES[name] ?? name;

/** A Keras initializer identifier (`he_normal`, `HeNormal`) as tfjs's camelCase id. */
export function kerasInitializer(name: string): string {
  const camel = snakeToCamel(name.includes('_') ? name : name.replace(/^[A-Z]/, (c) => c.toLowerCase()));
  const fixes: Record<string, string> = { lecunNormal: 'leCunNormal', lecunUniform: 'leCunUniform', normal: 'randomNormal', uniform: 'randomUniform' };
  return fixes[camel] ?? camel;
}

/** Keras's defaults where they differ from tfjs's. */
function kerasDefaults(kind: string): Record<string, Value> {
  const glorot = { name: 'glorotUniform' };
  switch (kind) {
    case 'dense':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv2dTranspose':
      return { kernelInitializer: glorot };
    case 'lstm':
      return { kernelInitializer: glorot, unitForgetBias: true, recurrentActivation: 'sigmoid' };
    case 'gru':
      return { kernelInitializer: glorot, recurrentActivation: 'sigmoid', resetAfter: true };
    case 'simpleRNN':
      return { kernelInitializer: glorot };
    case 'leakyReLU':
      return { alpha: 0.3 };
    default:
      return {};
  }
}

export interface KerasLayerSpec {
  kind: string;
  config: Record<string, Value>;
  unknown: Record<string, string>;
  note?: string;
  inputShape?: (number | null)[];
}

/** A keras.layers class with its resolved arguments (by Keras's snake_case names). */
export function kerasLayer(cls: string, params: ReadonlyMap<string, PyValue>): KerasLayerSpec {
  const kind = kerasKind(cls);
  if (!kind) return { kind: 'opaque', config: { module: cls }, unknown: {}, note: `keras.layers.${cls} is not modelled; read as identity.` };
  const config: Record<string, Value> = kerasDefaults(kind);
  const unknown: Record<string, string> = {};
  let inputShape: (number | null)[] | undefined;
  for (const [name, v] of params) {
    if (name === 'layer' || name === 'name') continue;
    const key = snakeToCamel(name);
    if (name === 'input_shape' || name === 'input_dim') {
      const shape = toConfig(v);
      if (Array.isArray(shape)) inputShape = shape.map((d) => (typeof d === 'number' ? d : null));
      else if (typeof shape === 'number') inputShape = [shape];
      continue;
    }
    if (name === 'negative_slope') {
      if (v.t === 'num') config.alpha = v.v;
      continue;
    }
    if (key === 'activation' || key === 'recurrentActivation') {
      if (v.t === 'str') config[key] = kerasActivation(v.v);
      else if (v.t === 'none') config[key] = 'linear';
      else if (v.t === 'ref') config[key] = kerasActivation(lastName(v.path));
      else unknown[key] = 'the activation is not known statically';
      continue;
    }
    if (/Initializer$/.test(key)) {
      if (v.t === 'str') config[key] = { name: kerasInitializer(v.v) };
      else if (v.t === 'dict' && v.entries.get('name')?.t === 'str') config[key] = toConfig(v) as Value;
      else unknown[key] = 'the initializer is not known statically';
      continue;
    }
    const value = toConfig(v);
    if (value === undefined) unknown[key] = `${name} is not known statically`;
    else config[key] = value;
  }
  if (kind === 'embedding' && typeof config.inputLength === 'number') inputShape ??= [config.inputLength];
  return { kind, config, unknown, inputShape };
}

/** keras.initializers.HeNormal(...) and friends: a tfjs initializer spec as a dict value. */
export function kerasInitializerValue(cls: string, keywords: Map<string, PyValue>): PyValue {
  const entries = new Map<string, PyValue>([['name', { t: 'str', v: kerasInitializer(cls) }]]);
  for (const [k, v] of keywords) if (k !== 'seed') entries.set(snakeToCamel(k), v);
  return { t: 'dict', entries };
}
