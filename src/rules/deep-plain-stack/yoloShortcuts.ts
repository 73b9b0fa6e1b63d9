// YOLO YAML: deep-plain-stack through rows whose shortcut argument is off (`C3`, `C2f`,
// `C3k2`, `Bottleneck`, ... with `False` written or left at a False default). Repeats of
// such blocks (and of plain `Conv` rows) chain convolutions with no residual add; the
// finding sits on the shortcut argument and offers turning it on, checked on the rewritten file.

import type { Fix } from '../../core/diagnostic';
import type { Range, RowInfo } from '../../core/graph';
import { applyFixes } from '../../core/fixes/apply';
import { extractYaml } from '../../core/yaml/extract';
import { enableShortcut, SHORTCUT_ARGUMENTS } from '../../core/yaml/fixes';
import type { Finding, RuleContext } from '../../core/rule';
import { GraphView, viewOf } from '../util/graphView';
import { fixed, pow10, relatedLayer } from '../util/format';
import type { Names } from './rule';

/** Where a row's shortcut is decided: its argument when written, else the module name. */
function shortcutRange(row: RowInfo): Range {
  return row.argRanges[SHORTCUT_ARGUMENTS[row.module]?.at ?? -1] ?? row.moduleRange;
}

const rowList = (rows: RowInfo[]): string => rows.map((r) => `${r.index} ${r.module}`).join(', ');

/** The fix, offered when the rewritten file no longer has a plain run this long. */
function shortcutFix(ctx: RuleContext<Names>, rows: RowInfo[]): Fix[] {
  // Every row's edit on the one parse of the file (they touch different rows), applied together.
  const edits = rows.flatMap((r) => enableShortcut(ctx.source.text, r.index) ?? []);
  const text = applyFixes(ctx.source.text, [{ title: '', edits, preferred: true }]);
  const [model] = extractYaml(ctx.source.file, text).models;
  if (!model) return [];
  const view = new GraphView(model, ctx.estimateVariant(model));
  if (view.longestPlainRun().length >= ctx.thresholds.deepPlainStackLayers) return [];
  return [{ title: `Turn the shortcut on in row${rows.length > 1 ? 's' : ''} ${rows.map((r) => r.index).join(', ')}`, edits, preferred: true }];
}

/**
 * deep-plain-stack on YOLO YAML when the longest plain run goes through rows with the
 * shortcut off; undefined when it does not (the generic finding applies).
 */
export function yoloShortcutFindings(ctx: RuleContext<Names>): Finding[] | undefined {
  const view = viewOf(ctx);
    const t = ctx.thresholds;
  const path = view.longestPlainRun();
  if (path.length < t.deepPlainStackLayers) return undefined;
  const layers = path.map((n) => view.layerOf(n));
  const rowIndices = [...new Set(layers.map((l) => l.row).filter((r): r is number => r !== undefined))];
  const rows = rowIndices.map((i) => ctx.model.rows?.find((r) => r.index === i)).filter((r): r is RowInfo => r !== undefined);
  const off = rows.filter((r) => enableShortcut(ctx.source.text, r.index) !== undefined);
  if (off.length === 0) return undefined;
  // The YAML estimate is per row: inside a single row it cannot tell how much is lost.
  const first = rows.length > 1 ? view.estimateOf(layers[0])?.gradientRms : undefined;
  const last = view.estimateOf(layers[layers.length - 1])?.gradientRms;
  const decades = first && last ? Math.log10(first / last) : undefined;
  // Harm is what the estimate shows: a deep run that also loses the gradient.
  const harmful = decades !== undefined && decades <= -t.saturatingSurvivalDecades && path.length >= t.deepPlainStackWarningLayers;
  const estimate =
    decades === undefined
      ? `; the estimate, per row, cannot follow the gradient inside row ${rows[0].index}`
      : `; the estimate puts the gradient at row ${rows[0].index} at ${pow10(decades)} of row ${rows[rows.length - 1].index}'s (${decades < 0 ? `${fixed(-decades, 1)} decades lost` : 'nothing lost'}; a warning from ${t.saturatingSurvivalDecades} with ${t.deepPlainStackWarningLayers} layers)`;
  return [
    {
      range: shortcutRange(off[0]),
      message: `${path.length} weighted layers on one path without a skip connection, through rows with the shortcut off (${rowList(off)})${estimate}.`,
      related: [
        ...off.map((r) => ({ range: shortcutRange(r), message: `row ${r.index} ${r.module}: shortcut off` })),
        relatedLayer(layers[0], `${layers[0].name}: first weighted layer of the run`),
        relatedLayer(layers[layers.length - 1], `${layers[layers.length - 1].name}: last weighted layer of the run`),
      ],
      fixes: () => shortcutFix(ctx, off),
      severity: harmful ? 'warning' : 'info',
    },
  ];
}
