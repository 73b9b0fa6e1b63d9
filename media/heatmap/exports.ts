// Export the heatmap: CSV with every raw number (all metrics, every step and the
// prediction), and a PNG drawn on a canvas from the same grid and colours.
import type { ProbeModelResult } from '../../src/core/gradientResult';
import { type ColourScale, textOn } from './colours';
import { buildGrid, decade, log10, METRICS, place, tickLabel, type Grid } from './grid';

/** Quoted when needed; a leading = + - @ is defused so spreadsheets do not run it. */
function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function heatmapCsv(model: ProbeModelResult, estimate: ProbeModelResult | undefined): string {
  const grids = METRICS.map((m) => buildGrid(model, estimate, m.id));
  const metricKey = { gradient: 'gradient_rms', activation: 'activation_rms', relative: 'gradient_relative' } as const;
  const header = ['layer', 'kind', 'line', 'row'];
  for (const g of grids) for (const c of g.columns) header.push(`${metricKey[g.metric]}_${c.step ?? 'predicted'}`);
  const lines = [header.join(',')];
  model.layers.forEach((layer, i) => {
    const fields: (string | number | null)[] = [layer.name, layer.kind, layer.line, layer.row];
    for (const g of grids) fields.push(...g.rows[i].values);
    lines.push(fields.map(csvField).join(','));
  });
  return lines.join('\n') + '\n';
}

export interface PngTheme {
  background: string;
  foreground: string;
  muted: string;
  font: string;
}

const rowLabel = (r: Grid['rows'][number]): string =>
  [r.layer.name, r.layer.kind === r.layer.name ? '' : r.layer.kind, place(r.layer)].filter(Boolean).join('  ');

/** Draws title, verdict, grid and legend; the canvas is 2x for sharp text. */
export function drawHeatmap(canvas: HTMLCanvasElement, grid: Grid, scale: ColourScale, heading: string[], theme: PngTheme): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const cell = { w: 64, h: 22 };
  const legendW = 360;
  // Measured before sizing: the canvas grows to fit the longest label and sentence.
  ctx.font = `bold 13px ${theme.font}`;
  const labelW = 24 + Math.max(120, ...grid.rows.map((r) => ctx.measureText(rowLabel(r)).width));
  const textW = 24 + Math.max(...heading.map((h) => ctx.measureText(h).width));
  const top = 24 + heading.length * 20;
  const width = Math.ceil(Math.max(textW, labelW + grid.columns.length * cell.w, labelW + legendW) + 32);
  const height = top + 24 + grid.rows.length * cell.h + 70;
  canvas.width = width * 2;
  canvas.height = height * 2;
  ctx.scale(2, 2);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'middle';
  ctx.font = `bold 13px ${theme.font}`;
  heading.forEach((line, i) => {
    ctx.fillStyle = theme.foreground;
    ctx.fillText(line, 12, 16 + i * 20);
    ctx.font = `12px ${theme.font}`;
  });
  ctx.fillStyle = theme.muted;
  grid.columns.forEach((c, j) => ctx.fillText(c.label, labelW + j * cell.w + 4, top + 10));
  grid.rows.forEach((r, i) => {
    const y = top + 24 + i * cell.h;
    ctx.fillStyle = theme.foreground;
    ctx.fillText(rowLabel(r), 12, y + cell.h / 2);
    r.values.forEach((v, j) => {
      const log = log10(v);
      const x = labelW + j * cell.w;
      if (log === null || Number.isNaN(log)) {
        ctx.fillStyle = theme.muted;
        ctx.fillText(log === null ? '—' : 'NaN', x + 4, y + cell.h / 2);
        return;
      }
      const fill = scale.colour(log);
      ctx.fillStyle = fill;
      ctx.fillRect(x + 1, y + 1, cell.w - 2, cell.h - 2);
      ctx.fillStyle = textOn(fill);
      ctx.fillText(decade(log).replace('10^', ''), x + 6, y + cell.h / 2);
    });
  });
  const legendY = top + 24 + grid.rows.length * cell.h + 20;
  const [lo, hi] = scale.domain;
  for (let px = 0; px < legendW; px++) {
    ctx.fillStyle = scale.colour(lo + ((hi - lo) * px) / legendW);
    ctx.fillRect(labelW + px, legendY, 1, 14);
  }
  ctx.fillStyle = theme.foreground;
  ctx.fillText(`log10 ${METRICS.find((m) => m.id === grid.metric)!.label}`, 12, legendY + 7);
  ctx.textAlign = 'center';
  for (const t of scale.ticks) ctx.fillText(tickLabel(t), labelW + ((t - lo) / (hi - lo)) * legendW, legendY + 28);
}
