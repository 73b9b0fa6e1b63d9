// The colour scale: log10 of the metric on viridis (perceptually uniform, readable in grey
// and by colour-blind people), over whole decades so the legend reads 10^-7, 10^-6, ...
import { scaleSequential } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';

export interface ColourScale {
  /** Whole decades [lo, hi], lo < hi. */
  domain: [number, number];
  /** CSS #rrggbb for a log10 value (clamped into the domain). */
  colour(log: number): string;
  /** Every decade from lo to hi: the legend's ticks. */
  ticks: number[];
}

export function colourScale(logs: Iterable<number | null>): ColourScale {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of logs) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === Infinity) [lo, hi] = [-1, 0];
  lo = Math.floor(lo);
  hi = Math.max(Math.ceil(hi), lo + 1) + 0; // + 0 turns -0 into 0 for the legend
  const scale = scaleSequential(interpolateViridis).domain([lo, hi]).clamp(true);
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return { domain: [lo, hi], colour: (log) => scale(log), ticks };
}

/** Black or white text, whichever reads better on the cell's colour. */
export function textOn(hex: string): string {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return luminance > 0.2 ? '#000' : '#fff';
}
