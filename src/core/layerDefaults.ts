// tfjs 4.22 layer kinds and their constructor defaults (see ../shared/reference/tfjs-layers.md).
// Shared by every front end so a layer means the same thing whether it came from code,
// a model.json file or YAML. Defaults are tfjs's, not Keras's (dense uses glorotNormal,
// LSTM hardSigmoid and no unit forget bias, ...).

import type { InitializerSpec, Layer, Value } from './graph';

interface KindInfo {
  /** The class name tfjs serialises (`Dense`, `Conv2D`), as found in model.json files. */
  className: string;
  /** Constructor defaults, camelCase keys; initializers as specs, activations as strings. */
  defaults: Record<string, Value>;
  /** Whether the layer itself owns trainable weights. */
  weighted?: boolean;
}

const init = (name: string): InitializerSpec => ({ name });

const CONV_BASE: Record<string, Value> = {
  strides: 1,
  padding: 'valid',
  dataFormat: 'channelsLast',
  dilationRate: 1,
  activation: 'linear',
  useBias: true,
  biasInitializer: init('zeros'),
};
const CONV = { ...CONV_BASE, kernelInitializer: init('glorotNormal') };

const RNN_CELL: Record<string, Value> = {
  activation: 'tanh',
  useBias: true,
  kernelInitializer: init('glorotNormal'),
  recurrentInitializer: init('orthogonal'),
  biasInitializer: init('zeros'),
  dropout: 0,
  recurrentDropout: 0,
};
const GATED_CELL = { ...RNN_CELL, recurrentActivation: 'hardSigmoid' };
const LSTM_CELL = { ...GATED_CELL, unitForgetBias: false };
const GRU_CELL = { ...GATED_CELL, resetAfter: false };
const RNN_LAYER: Record<string, Value> = {
  returnSequences: false,
  returnState: false,
  goBackwards: false,
  stateful: false,
  unroll: false,
};

const NORM: Record<string, Value> = {
  axis: -1,
  epsilon: 1e-3,
  center: true,
  scale: true,
  betaInitializer: init('zeros'),
  gammaInitializer: init('ones'),
};

// Pooling strides default to the pool size; applyLayerDefaults fills that in.
const pooling = (poolSize: Value): Record<string, Value> => ({ poolSize, padding: 'valid', dataFormat: 'channelsLast' });
const CHANNELS_LAST = { dataFormat: 'channelsLast' };

const KINDS: Record<string, KindInfo> = {
  input: { className: 'InputLayer', defaults: { dtype: 'float32' } },
  // advanced activations
  elu: { className: 'ELU', defaults: { alpha: 1.0 } },
  reLU: { className: 'ReLU', defaults: {} },
  leakyReLU: { className: 'LeakyReLU', defaults: { alpha: 0.3 } },
  prelu: { className: 'PReLU', defaults: { alphaInitializer: init('zeros') }, weighted: true },
  // tfjs's Softmax layer uses DEFAULT_AXIS = 1.0 in code, whatever its doc comment says.
  softmax: { className: 'Softmax', defaults: { axis: 1 } },
  thresholdedReLU: { className: 'ThresholdedReLU', defaults: { theta: 1.0 } },
  // convolutional
  conv1d: { className: 'Conv1D', defaults: CONV, weighted: true },
  conv2d: { className: 'Conv2D', defaults: CONV, weighted: true },
  conv3d: { className: 'Conv3D', defaults: CONV, weighted: true },
  conv2dTranspose: { className: 'Conv2DTranspose', defaults: CONV, weighted: true },
  conv3dTranspose: { className: 'Conv3DTranspose', defaults: CONV, weighted: true },
  separableConv2d: {
    className: 'SeparableConv2D',
    defaults: {
      ...CONV_BASE,
      depthMultiplier: 1,
      depthwiseInitializer: init('glorotUniform'),
      pointwiseInitializer: init('glorotUniform'),
    },
    weighted: true,
  },
  depthwiseConv2d: {
    className: 'DepthwiseConv2D',
    defaults: { ...CONV_BASE, depthMultiplier: 1, depthwiseInitializer: init('glorotNormal') },
    weighted: true,
  },
  cropping2D: { className: 'Cropping2D', defaults: CHANNELS_LAST },
  upSampling2d: { className: 'UpSampling2D', defaults: { size: [2, 2], dataFormat: 'channelsLast', interpolation: 'nearest' } },
  // core
  activation: { className: 'Activation', defaults: { activation: 'linear' } },
  dense: {
    className: 'Dense',
    defaults: { activation: 'linear', useBias: true, kernelInitializer: init('glorotNormal'), biasInitializer: init('zeros') },
    weighted: true,
  },
  dropout: { className: 'Dropout', defaults: {} },
  spatialDropout1d: { className: 'SpatialDropout1D', defaults: {} },
  flatten: { className: 'Flatten', defaults: CHANNELS_LAST },
  repeatVector: { className: 'RepeatVector', defaults: {} },
  reshape: { className: 'Reshape', defaults: {} },
  permute: { className: 'Permute', defaults: {} },
  embedding: {
    className: 'Embedding',
    defaults: { embeddingsInitializer: init('randomUniform'), maskZero: false },
    weighted: true,
  },
  masking: { className: 'Masking', defaults: { maskValue: 0 } },
  // merge
  add: { className: 'Add', defaults: {} },
  average: { className: 'Average', defaults: {} },
  concatenate: { className: 'Concatenate', defaults: { axis: -1 } },
  maximum: { className: 'Maximum', defaults: {} },
  minimum: { className: 'Minimum', defaults: {} },
  multiply: { className: 'Multiply', defaults: {} },
  dot: { className: 'Dot', defaults: { normalize: false } },
  // normalization
  batchNormalization: {
    className: 'BatchNormalization',
    defaults: {
      ...NORM,
      momentum: 0.99,
      movingMeanInitializer: init('zeros'),
      movingVarianceInitializer: init('ones'),
    },
    weighted: true,
  },
  layerNormalization: { className: 'LayerNormalization', defaults: NORM, weighted: true },
  zeroPadding2d: { className: 'ZeroPadding2D', defaults: { padding: 1, dataFormat: 'channelsLast' } },
  // pooling
  averagePooling1d: { className: 'AveragePooling1D', defaults: pooling(2) },
  averagePooling2d: { className: 'AveragePooling2D', defaults: pooling([2, 2]) },
  averagePooling3d: { className: 'AveragePooling3D', defaults: pooling([2, 2, 2]) },
  maxPooling1d: { className: 'MaxPooling1D', defaults: pooling(2) },
  maxPooling2d: { className: 'MaxPooling2D', defaults: pooling([2, 2]) },
  maxPooling3d: { className: 'MaxPooling3D', defaults: pooling([2, 2, 2]) },
  globalAveragePooling1d: { className: 'GlobalAveragePooling1D', defaults: {} },
  globalAveragePooling2d: { className: 'GlobalAveragePooling2D', defaults: CHANNELS_LAST },
  globalMaxPooling1d: { className: 'GlobalMaxPooling1D', defaults: {} },
  globalMaxPooling2d: { className: 'GlobalMaxPooling2D', defaults: CHANNELS_LAST },
  // recurrent
  simpleRNN: { className: 'SimpleRNN', defaults: { ...RNN_CELL, ...RNN_LAYER }, weighted: true },
  simpleRNNCell: { className: 'SimpleRNNCell', defaults: RNN_CELL, weighted: true },
  lstm: { className: 'LSTM', defaults: { ...LSTM_CELL, ...RNN_LAYER }, weighted: true },
  lstmCell: { className: 'LSTMCell', defaults: LSTM_CELL, weighted: true },
  gru: { className: 'GRU', defaults: { ...GRU_CELL, ...RNN_LAYER }, weighted: true },
  gruCell: { className: 'GRUCell', defaults: GRU_CELL, weighted: true },
  convLstm2d: { className: 'ConvLSTM2D', defaults: { ...CONV_BASE, ...LSTM_CELL, ...RNN_LAYER }, weighted: true },
  convLstm2dCell: { className: 'ConvLSTM2DCell', defaults: { ...CONV_BASE, ...LSTM_CELL }, weighted: true },
  rnn: { className: 'RNN', defaults: RNN_LAYER },
  stackedRNNCells: { className: 'StackedRNNCells', defaults: {} },
  // wrappers: their weights are the wrapped layer's (Layer.wrapped)
  bidirectional: { className: 'Bidirectional', defaults: { mergeMode: 'concat' } },
  timeDistributed: { className: 'TimeDistributed', defaults: {} },
  // noise
  gaussianNoise: { className: 'GaussianNoise', defaults: {} },
  gaussianDropout: { className: 'GaussianDropout', defaults: {} },
  alphaDropout: { className: 'AlphaDropout', defaults: {} },
  // preprocessing
  rescaling: { className: 'Rescaling', defaults: { offset: 0 } },
  centerCrop: { className: 'CenterCrop', defaults: {} },
  resizing: { className: 'Resizing', defaults: { interpolation: 'bilinear', cropToAspectRatio: false } },
  categoryEncoding: { className: 'CategoryEncoding', defaults: {} },
};

/** Other factory names tfjs exports for the same layers. */
const ALIASES: Record<string, string> = {
  inputLayer: 'input',
  avgPool1d: 'averagePooling1d',
  avgPool2d: 'averagePooling2d',
  avgPool3d: 'averagePooling3d',
  avgPooling1d: 'averagePooling1d',
  avgPooling2d: 'averagePooling2d',
  avgPooling3d: 'averagePooling3d',
  maxPool1d: 'maxPooling1d',
  maxPool2d: 'maxPooling2d',
  globalMaxPool1d: 'globalMaxPooling1d',
  globalMaxPool2d: 'globalMaxPooling2d',
};

const BY_CLASS_NAME = new Map(Object.entries(KINDS).map(([kind, info]) => [info.className, kind]));
/** KINDS as a map, and each kind's defaults as entries: read for every layer of every lint. */
const KIND_INFO = new Map(Object.entries(KINDS));
/** Per kind, the config of a layer given no arguments; copied whole, which is faster than key by key. */
const DEFAULT_CONFIGS = new Map(Object.entries(KINDS).map(([kind, info]) => [kind, { trainable: true, ...info.defaults }]));
const ONLY_TRAINABLE = { trainable: true };
/** Pooling kinds (their defaults have a poolSize): strides default to the pool size. */
const POOLING_KINDS = new Set(Object.entries(KINDS).filter(([, info]) => 'poolSize' in info.defaults).map(([kind]) => kind));

const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** The canonical kind for a `tf.layers.*` factory name (aliases resolved), or undefined. */
export function canonicalKind(factoryName: string): string | undefined {
  if (KIND_INFO.has(factoryName)) return factoryName;
  return own(ALIASES, factoryName);
}

/** The canonical kind for a serialised class name (`Conv2D`, `LSTM`, `InputLayer`), or undefined. */
export function kindFromClassName(className: string): string | undefined {
  return BY_CLASS_NAME.get(className);
}

/** True for kinds whose layer owns trainable weights (wrappers: see their `wrapped` layer). */
export function isWeightedKind(kind: string): boolean {
  return KIND_INFO.get(kind)?.weighted === true;
}

/** Every canonical kind, for completion lists and tests. */
export function layerKinds(): string[] {
  return Object.keys(KINDS);
}

const ACTIVATIONS = new Set([
  'elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign',
  'tanh', 'softmax', 'logSoftmax', 'gelu', 'gelu_new', 'mish', 'swish',
]);

export interface NormalizeOptions {
  /**
   * The value came from a Keras/tfjs JSON file, whose loader camel-cases snake_case
   * identifiers ('hard_sigmoid' works there, not in code).
   */
  fromJson?: boolean;
}

const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function classNameOf(value: Value | undefined): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const name = value.className ?? value.class_name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The tfjs activation identifier a config value stands for: null/undefined → 'linear',
 * exact identifiers as tfjs accepts them, `{className}` dicts. Undefined when tfjs would
 * reject the value (`'hard_sigmoid'` in code, `'leakyRelu'`).
 */
export function normalizeActivation(value: Value | undefined, options: NormalizeOptions = {}): string | undefined {
  if (value === null || value === undefined) return 'linear';
  const name = typeof value === 'string' ? value : classNameOf(value);
  if (name === undefined) return undefined;
  if (ACTIVATIONS.has(name)) return name;
  if (options.fromJson) {
    const camel = snakeToCamel(name);
    if (ACTIVATIONS.has(camel)) return camel;
  }
  return undefined;
}

const INITIALIZERS = [
  'constant', 'glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'identity', 'leCunNormal',
  'leCunUniform', 'ones', 'orthogonal', 'randomNormal', 'randomUniform', 'truncatedNormal',
  'varianceScaling', 'zeros',
];
const INITIALIZER_BY_LOWER = new Map(INITIALIZERS.map((n) => [n.toLowerCase(), n]));

/** 'glorotNormal', 'GlorotNormal' (class name) and, from JSON, 'glorot_normal' / 'lecun_normal'. */
function initializerName(name: string, options: NormalizeOptions): string | undefined {
  if (INITIALIZERS.includes(name)) return name;
  const isClassName = /^[A-Z]/.test(name);
  if (isClassName || options.fromJson) {
    return INITIALIZER_BY_LOWER.get(name.replace(/_/g, '').toLowerCase());
  }
  return undefined;
}

/**
 * The initializer a config value stands for: a string id or class name, an already
 * resolved spec (`{name, ...args}`, what `tf.initializers.x({...})` folds to) or a
 * `{className, config}` dict. Undefined when tfjs would not recognise it.
 */
export function normalizeInitializer(value: Value | undefined, options: NormalizeOptions = {}): InitializerSpec | undefined {
  if (typeof value === 'string') {
    const name = initializerName(value, options);
    return name ? { name } : undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value.name === 'string') {
    const name = initializerName(value.name, options);
    return name ? { ...value, name } : undefined;
  }
  const className = classNameOf(value);
  const name = className === undefined ? undefined : initializerName(className, options);
  if (!name) return undefined;
  const spec: InitializerSpec = { name };
  const args = value.config;
  if (args && typeof args === 'object' && !Array.isArray(args)) {
    for (const [key, arg] of Object.entries(args)) {
      // Keras writes `seed: null` for "no seed"; that is no argument at all.
      if (arg !== null) spec[options.fromJson ? snakeToCamel(key) : key] = arg;
    }
  }
  return spec;
}

export interface DefaultsOptions extends NormalizeOptions {
  /** Keys whose values are unknown: their defaults must not be filled in. */
  unknownKeys?: readonly string[];
}

const isActivationKey = (key: string): boolean => key === 'activation' || key === 'recurrentActivation';
const isInitializerKey = (key: string): boolean => key.endsWith('Initializer');

/**
 * The configuration tfjs's constructor ends up with: defaults for every key not given
 * (nor unknown), activations and initializers normalised. Values tfjs would reject are
 * kept as written so rules can report them. Unknown kinds get their config unchanged.
 */
export function applyLayerDefaults(
  kind: string,
  config: Record<string, Value>,
  options: DefaultsOptions = {},
): Record<string, Value> {
  const unknown = options.unknownKeys ?? [];
  // Object.assign, not a spread: while a spread has seen one shape, V8 (Node 20) adds keys to
  // its copy about ten times slower (an all-dense model: 0.9 µs a layer).
  const result: Record<string, Value> = Object.assign({}, DEFAULT_CONFIGS.get(kind) ?? ONLY_TRAINABLE);
  for (const key of unknown) delete result[key];
  for (const key in config) {
    const value = config[key];
    if (isActivationKey(key)) result[key] = normalizeActivation(value, options) ?? value;
    else if (isInitializerKey(key)) result[key] = normalizeInitializer(value, options) ?? value;
    else result[key] = value;
  }
  if (POOLING_KINDS.has(kind) && !('strides' in result) && !unknown.includes('strides') && !unknown.includes('poolSize')) {
    result.strides = result.poolSize;
  }
  return result;
}

/**
 * A layer frozen with `trainable: false` (on it or on the layer a wrapper holds): pretrained
 * weights that never change, so no rule reports on them or because of them.
 */
export function isFrozen(layer: Layer): boolean {
  return layer.config.trainable === false || (layer.wrapped !== undefined && isFrozen(layer.wrapped));
}
