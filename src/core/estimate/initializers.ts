// Weight second moments exactly as tfjs draws them (tfjs-layers/src/initializers.ts at 4.22).
import type { Value } from '../graph';

/** Variance of a normal truncated at ±2σ, relative to σ²: tfjs truncates without rescaling. */
export const TRUNCATED_NORMAL_FACTOR = 0.7737413;

export interface WeightStats {
  /** E[w²] of one weight. */
  secondMoment: number;
  /** Every weight of the tensor has the same value (zeros, ones, constant): units never differ. */
  constant: boolean;
  /** That value, for constant initialisers. */
  value?: number;
  /**
   * An identity kernel (tfjs draws it only for square 2-D kernels): gain · I, so each output unit
   * is its own input unit scaled and nothing mixes. Units keep their means and their spread.
   */
  identityGain?: number;
  /**
   * A constant initialiser as understood ('constant(0.5)'), for messages. Random ones carry
   * none: nothing says them, and spelling their numbers out for every layer costs.
   */
  description?: string;
  /** Set when the initialiser could not be read and a default was assumed. */
  assumption?: string;
}

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** tfjs computeFans (channelsLast): 2-D [in, out]; conv kernels: receptive field × channels. */
export function computeFans(shape: number[]): Fans {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  if (shape.length >= 3 && shape.length <= 5) {
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
  }
  const root = Math.sqrt(shape.reduce((a, b) => a * b, 1));
  return { fanIn: root, fanOut: root };
}

/** Normalises the spec forms a front end may give: 'heNormal', 'HeNormal', {name, ...args}, {className, config}. */
function readSpec(spec: Value | undefined): { name: string; args: Record<string, Value> } | undefined {
  if (typeof spec === 'string') return { name: lowerFirst(spec), args: {} };
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    if (typeof spec.name === 'string') return { name: lowerFirst(spec.name), args: spec };
    if (typeof spec.className === 'string') {
      const config = spec.config && typeof spec.config === 'object' && !Array.isArray(spec.config) ? spec.config : {};
      return { name: lowerFirst(spec.className), args: config };
    }
  }
  return undefined;
}

/** Class names ('HeNormal', 'LeCunUniform') name the same initialisers as the camelCase ids. */
function lowerFirst(s: string): string {
  const first = s.charAt(0);
  return first === first.toLowerCase() ? s : first.toLowerCase() + s.slice(1);
}

/** tfjs reads these with `args.x || DEFAULT`: a 0 given becomes the default. */
function orDefault(v: Value | undefined, fallback: number): number {
  return typeof v === 'number' && v !== 0 ? v : fallback;
}

function numberOr(v: Value | undefined, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

function varianceScaling(scale: number, mode: string, distribution: string, fans: Fans): number {
  const fan = mode === 'fanOut' ? fans.fanOut : mode === 'fanAvg' ? (fans.fanIn + fans.fanOut) / 2 : fans.fanIn;
  const variance = scale / Math.max(1, fan);
  // Only 'normal' takes the truncated-normal branch; 'uniform' and 'truncatedNormal' fall to uniform(±√(3·scale/fan)).
  return distribution === 'normal' ? TRUNCATED_NORMAL_FACTOR * variance : variance;
}

const NAMED_SCALING: Record<string, [number, string, string]> = {
  glorotNormal: [1, 'fanAvg', 'normal'],
  glorotUniform: [1, 'fanAvg', 'uniform'],
  heNormal: [2, 'fanIn', 'normal'],
  heUniform: [2, 'fanIn', 'uniform'],
  leCunNormal: [1, 'fanIn', 'normal'],
  leCunUniform: [1, 'fanIn', 'uniform'],
};

/**
 * E[w²] for a weight tensor of `shape` drawn by the initialiser `spec`. `fallback` is the
 * layer's tfjs default, used (and said) when the spec is missing or unreadable.
 */
export function weightStats(spec: Value | undefined, shape: number[], fallback: string): WeightStats {
  const read = readSpec(spec);
  if (!read) {
    const stats = weightStats(fallback, shape, fallback);
    return spec === undefined ? stats : { ...stats, assumption: `initialiser not readable; assumed tfjs default ${fallback}` };
  }
  const { name, args } = read;
  const fans = computeFans(shape);
  const named = Object.hasOwn(NAMED_SCALING, name) ? NAMED_SCALING[name] : undefined;
  if (named) return random(varianceScaling(named[0], named[1], named[2], fans));
  switch (name) {
    case 'varianceScaling': {
      const scale = numberOr(args.scale, 1);
      const mode = typeof args.mode === 'string' ? args.mode : 'fanIn';
      const distribution = typeof args.distribution === 'string' ? args.distribution : 'normal';
      return random(varianceScaling(scale, mode, distribution, fans));
    }
    case 'randomNormal': {
      const mean = numberOr(args.mean, 0);
      const std = orDefault(args.stddev, 0.05);
      return random(std * std + mean * mean);
    }
    case 'truncatedNormal': {
      const mean = numberOr(args.mean, 0);
      const std = orDefault(args.stddev, 0.05);
      return random(TRUNCATED_NORMAL_FACTOR * std * std + mean * mean);
    }
    case 'randomUniform': {
      const lo = orDefault(args.minval, -0.05);
      const hi = orDefault(args.maxval, 0.05);
      return random((hi - lo) ** 2 / 12 + ((hi + lo) / 2) ** 2);
    }
    case 'orthogonal':
    case 'identity': {
      // Orthonormal rows or columns of the [Π shape[:-1], shape[-1]] matrix, times gain.
      const gain = numberOr(args.gain, 1);
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shape[shape.length - 1] ?? 1;
      const stats = random((gain * gain) / Math.max(rows, cols));
      return name === 'identity' && shape.length === 2 && rows === cols ? { ...stats, identityGain: gain } : stats;
    }
    case 'zeros':
      return { secondMoment: 0, constant: true, value: 0, description: 'zeros' };
    case 'ones':
      return { secondMoment: 1, constant: true, value: 1, description: 'ones' };
    case 'constant': {
      const value = numberOr(args.value, 0);
      return { secondMoment: value * value, constant: true, value, description: `constant(${value})` };
    }
    default: {
      const stats = weightStats(fallback, shape, fallback);
      return { ...stats, assumption: `unknown initialiser '${name}'; assumed tfjs default ${fallback}` };
    }
  }
}

function random(secondMoment: number): WeightStats {
  return { secondMoment, constant: false };
}

/** The value of a constant initialiser (zeros/ones/constant), for biases that shift the mean. */
export function constantValue(spec: Value | undefined): number | undefined {
  const read = readSpec(spec);
  if (!read) return undefined;
  if (read.name === 'zeros') return 0;
  if (read.name === 'ones') return 1;
  if (read.name === 'constant') return numberOr(read.args.value, 0);
  return undefined;
}
