// YOLO YAML: vanishing-gradient on the rows that cause it. Ultralytics' own modules put batch
// norm after every convolution; rows written with bare torch modules (`nn.Conv2d`,
// `nn.Sigmoid`, `nn.Tanh`) do not, and the estimate (per row) shows the gradient falling
// across them. The finding sits on the first such row and names each row's predicted
// gradient; the fix rewrites the bare convolutions as `Conv` (convolution, batch norm, SiLU).

import type { Fix } from '../../core/diagnostic';
import type { RowInfo } from '../../core/graph';
import type { LayerEstimate } from '../../core/estimate/types';
import { applyFixes } from '../../core/fixes/apply';
import { extractYaml } from '../../core/yaml/extract';
import { torchConvAsConv } from '../../core/yaml/fixes';
import type { Finding, RuleContext } from '../../core/rule';
import { activationOf, isNormalization, isWeighted, SATURATING } from '../util/graphView';
import { explodingReasons, vanishingReasons } from '../util/flow';
import { fixed, pow10 } from '../util/format';

/** Rows without batch norm that carry a convolution or a saturating activation. */
function plainRows(ctx: RuleContext): RowInfo[] {
  const layersByRow = new Map<number, typeof ctx.model.layers>();
  for (const layer of ctx.model.layers) {
    if (layer.row === undefined) continue;
    const list = layersByRow.get(layer.row) ?? [];
    list.push(layer);
    layersByRow.set(layer.row, list);
  }
  return (ctx.model.rows ?? []).filter((row) => {
    const layers = layersByRow.get(row.index) ?? [];
    if (layers.some(isNormalization)) return false;
    return layers.some((l) => isWeighted(l) || SATURATING.has(activationOf(l) ?? ''));
  });
}

const rowLabel = (row: RowInfo): string => `row ${row.index} ${row.module}`;

function rowNames(rows: RowInfo[]): string {
  const names = rows.map((r) => String(r.index));
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 2).join(', ')} … ${names[names.length - 1]}`;
}

/** The fix, offered only when the file it writes no longer shows the vanishing gradient. */
function convFix(ctx: RuleContext, rows: RowInfo[]): Fix[] {
  const outputRows = new Set(ctx.model.outputs.map((id) => ctx.model.layers.find((l) => l.id === id)?.row));
  const convertible = rows.filter((r) => !outputRows.has(r.index));
  const edits = convertible.flatMap((r) => torchConvAsConv(ctx.source.text, r.index) ?? []);
  if (edits.length === 0) return [];
  const converted = convertible.filter((r) => torchConvAsConv(ctx.source.text, r.index));
  const fix: Fix = { title: `Use Conv (convolution, batch norm, SiLU) for the bare nn.Conv2d in rows ${rowNames(converted)}`, edits, preferred: true };
  const [model] = extractYaml(ctx.source.file, applyFixes(ctx.source.text, [fix])).models;
  if (!model) return [];
  const variant = ctx.estimateVariant(model);
  return vanishingReasons(variant, ctx.thresholds).length || explodingReasons(variant, ctx.thresholds).length ? [] : [fix];
}

/** vanishing-gradient on YOLO YAML: the estimate's verdict, on the plain rows that cause it. */
export function yoloVanishingRows(ctx: RuleContext): Finding[] {
  const e = ctx.estimate;
  const reasons = vanishingReasons(e, ctx.thresholds);
  if (!reasons.length) return [];
  const rows = plainRows(ctx);
  const byRow = new Map<number, LayerEstimate>(e.layers.filter((l) => l.layer.row !== undefined).map((l) => [l.layer.row as number, l]));
  const weighted = rows.filter((r) => byRow.get(r.index)?.gradientRms);
  const anchor = rows[0];
  const gradients = weighted.map((r) => Math.log10(byRow.get(r.index)?.gradientRms as number));
  const fall =
    gradients.length > 1
      ? `; across the ${rows.length} rows without batch norm (${rowNames(rows)}) the gradient falls from ${pow10(gradients[gradients.length - 1])} at row ${weighted[weighted.length - 1].index} to ${pow10(gradients[0])} at row ${weighted[0].index}, ${fixed(gradients[gradients.length - 1] - gradients[0], 1)} decades`
      : '';
  return [
    {
      range: anchor?.moduleRange ?? ctx.model.range,
      message: `Vanishing gradient in ${ctx.model.name}: at row ${e.layers.find((l) => l.gradientRms !== null)?.layer.row ?? 0}, ${reasons.join(', and ')}${fall}.`,
      related: weighted.map((r) => ({ range: r.moduleRange, message: `${rowLabel(r)}: gradient RMS ${pow10(Math.log10(byRow.get(r.index)?.gradientRms as number))}` })),
      fixes: () => convFix(ctx, rows),
    },
  ];
}
