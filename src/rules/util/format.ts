// How numbers and layers read in messages.

import type { Layer } from '../../core/graph';
import type { RelatedLocation } from '../../core/diagnostic';

/** A log10 value as a power of ten ("10^-5.8"); −∞ is an exact zero. */
export function pow10(log10: number): string {
  if (log10 === -Infinity) return '0';
  if (log10 === Infinity) return 'infinite';
  return `10^${log10.toFixed(1)}`;
}

export const fixed = (x: number, digits = 2): string => (Math.abs(x) >= 100 ? x.toExponential(1) : x.toFixed(digits));

/** "dense_1, dense_2 … dense_8" for long lists. */
export function layerNames(layers: Layer[]): string {
  const names = layers.map((l) => l.name);
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 2).join(', ')} … ${names[names.length - 1]}`;
}

export const relatedLayer = (layer: Layer, message: string): RelatedLocation => ({ range: layer.range, message });

export const docsUrl = (id: string): string => `https://github.com/gradlint/gradlint/blob/main/src/rules/${id}/README.md`;
