// What the estimate tracks about a tensor flowing through the graph, and config readers.
import type { Layer, Value } from '../graph';
import type { Tie } from './tie';

/** Second-order statistics of one tensor (per element, averaged over units, batch and positions). */
export interface Signal {
  /** Shape without the batch dimension. */
  shape: number[];
  /** E[a²]. */
  m: number;
  /** Mean over units of the squared per-unit batch mean (what batch normalisation removes). */
  p: number;
  /** The mean shared by every unit (what layer normalisation removes). */
  g: number;
  /**
   * Tensors with positions (feature maps, sequences): the mean over channels of each channel's
   * squared mean over batch *and* positions — what batch normalisation removes there. Zero
   * padding and strides make a unit's batch mean depend on its position, so this can be far
   * below p. Absent: equal to p.
   */
  pc?: number;
  /**
   * The per-unit batch variance, where it is far below m (behind saturating stacks): m − p would
   * lose it to rounding, so it is carried on its own. Absent: m − p.
   */
  bv?: number;
  /**
   * This tensor is a function, unit by unit, of an earlier one (behind identity kernels,
   * activations, dropout, normalisation): a merge with it combines the two with their correlation.
   */
  tie?: Tie;
  /** The statistics of the pre-activation, when this tensor is the direct output of a monotone activation. */
  pre?: { m: number; p: number; g: number; pc?: number; bv?: number; activation: string; params: Record<string, number> };
}

/** Per-unit batch variance. */
export function batchVariance(s: { m: number; p: number; bv?: number }): number {
  return s.bv ?? Math.max(s.m - s.p, 0);
}

/** Per-channel variance over batch and positions (batch normalisation's divisor). */
export function channelVariance(s: { m: number; p: number; pc?: number; bv?: number }): number {
  if (s.bv !== undefined) return s.bv + Math.max(s.p - (s.pc ?? s.p), 0);
  return Math.max(s.m - (s.pc ?? s.p), 0);
}

export function size(shape: number[]): number {
  // A plain loop: this runs several times for every layer.
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** The size of every axis but the last (the positions of a per-sample shape; 1 for a vector). */
export function leadingSize(shape: number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length - 1; i++) n *= shape[i];
  return n;
}

/** The shape with its last axis (the channels) set to `channels`. */
export function withChannels(shape: number[], channels: number): number[] {
  const out = shape.length ? shape.slice() : [0];
  out[out.length - 1] = channels;
  return out;
}

/** Reads layer configuration with the defaults tfjs applies, noting keys the front end could not resolve. */
export class ConfigReader {
  constructor(
    private readonly layer: Layer,
    private readonly assumptions: string[],
  ) {}

  private unknown(key: string, fallback: unknown): void {
    if (key in this.layer.unknown) {
      this.assumptions.push(`${key} unknown (${this.layer.unknown[key]}); assumed ${JSON.stringify(fallback)}`);
    }
  }

  value(key: string): Value | undefined {
    return this.layer.config[key];
  }

  number(key: string, fallback: number): number {
    const v = this.layer.config[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.unknown(key, fallback);
    return fallback;
  }

  string(key: string, fallback: string): string {
    const v = this.layer.config[key];
    if (typeof v === 'string') return v;
    this.unknown(key, fallback);
    return fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.layer.config[key];
    if (typeof v === 'boolean') return v;
    this.unknown(key, fallback);
    return fallback;
  }

  /**
   * A number or a per-axis tuple (kernelSize, strides, poolSize...) of integers ≥ `min`,
   * expanded to `rank` entries; anything else is replaced by the fallback, and said.
   */
  tuple(key: string, rank: number, fallback: number, min = 1): number[] {
    const v = this.layer.config[key];
    const valid = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;
    if (valid(v)) return new Array<number>(rank).fill(v);
    if (Array.isArray(v) && v.length > 0 && v.every(valid)) {
      const nums = v as number[];
      // A plain loop: Array.from over an array-like is slow, and every convolution reads three tuples.
      const out = new Array<number>(rank);
      for (let i = 0; i < rank; i++) out[i] = nums[i] ?? nums[nums.length - 1];
      return out;
    }
    if (v !== undefined && !(key in this.layer.unknown)) this.assumptions.push(`${key} ${JSON.stringify(v)} not usable; assumed ${fallback}`);
    this.unknown(key, fallback);
    return new Array<number>(rank).fill(fallback);
  }

  /** A required positive integer (units, filters): unknown ones are assumed and said. */
  count(key: string, fallback: number): number {
    const v = this.layer.config[key];
    if (typeof v === 'number' && v > 0) return Math.round(v);
    this.assumptions.push(
      `${key} ${key in this.layer.unknown ? `unknown (${this.layer.unknown[key]})` : 'not given'}; assumed ${fallback}`,
    );
    return fallback;
  }
}
