import type { GraphNode, Layer, Range, Value } from '../../core/graph';
import { weightStats } from '../../core/estimate/initializers';
import type { Finding, Rule, RuleContext } from '../../core/rule';
import { configOf, coreLayer, initializerName, isWeighted, SATURATING, viewOf } from '../util/graphView';
import { changedModel, directFix, isFix, fittingInitializer, setInitializer } from '../util/remedies';
import { inputWidth } from '../util/shapes';
import { docsUrl, fixed, layerNames, pow10 } from '../util/format';
import { clearOfUncertainty, judgeEstimate } from '../util/flow';

/** The thresholds this rule owns (and its helpers read). */
type Names = 'initializerMismatchFactor' | 'initializerMismatchWarningDecades';

const id = 'initializer-mismatch';
const KERNEL_KINDS = new Set(['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'conv3dTranspose']);
/** Initializers whose variance does not depend on the fan-in: judging them needs the real width. */
const ABSOLUTE = new Set(['randomNormal', 'randomUniform', 'truncatedNormal']);
const CONSTANT = new Set(['zeros', 'ones', 'constant']);

interface Mismatch {
  node: GraphNode;
  layer: Layer;
  activation: string;
  initializer: string;
  fitting: string;
  /** Actual weight variance over the variance the activation needs. */
  ratio: number;
}

function kernelShape(layer: Layer, fanIn: number, units: number): number[] {
  const k = layer.config.kernelSize;
  const rank = layer.kind.includes('1d') ? 1 : layer.kind.includes('3d') ? 3 : layer.kind === 'dense' ? 0 : 2;
  const kernel = Array.isArray(k) ? k.map((v) => (typeof v === 'number' ? v : 1)) : Array(rank).fill(typeof k === 'number' ? k : 1);
  return [...kernel.slice(0, rank), fanIn, units];
}

/** A bare initializer name, or one given only a seed: its scale is the named one's. */
function isPlainSpec(spec: Value): boolean {
  return typeof spec === 'string' || (!!spec && typeof spec === 'object' && Object.keys(spec).every((k) => k === 'name' || k === 'seed'));
}

function findMismatch(ctx: RuleContext<Names>, node: GraphNode): Mismatch | undefined {
  const layer = coreLayer(viewOf(ctx).layerOf(node));
  if (!KERNEL_KINDS.has(layer.kind) || !isWeighted(layer) || 'kernelInitializer' in layer.unknown) return undefined;
  const spec = configOf(layer, 'kernelInitializer') as Value;
  const name = initializerName(layer);
  if (!name || CONSTANT.has(name)) return undefined;
  const activation = viewOf(ctx).effectiveActivation(node);
  if (activation === undefined || activation === 'normalized') return undefined;
  const fitting = fittingInitializer(activation);
  // The fitting initialiser itself, unscaled: nothing to compare (the common case).
  if (name === fitting && isPlainSpec(spec)) return undefined;
  const units = [layer.config.units, layer.config.filters].find((v) => typeof v === 'number') as number | undefined;
  if (units === undefined) return undefined;
  const width = inputWidth(viewOf(ctx), node);
  if (width === undefined && ABSOLUTE.has(name)) return undefined;
  const shape = kernelShape(layer, width ?? units, units);
  const ratio = weightStats(spec, shape, 'glorotNormal').secondMoment / weightStats(fitting, shape, fitting).secondMoment;
  const f = ctx.thresholds.initializerMismatchFactor;
  if (!(ratio > 0) || (ratio <= f && ratio >= 1 / f)) return undefined;
  return { node, layer, activation, initializer: name, fitting, ratio };
}

/** Where a mismatch is reported: the initializer as written, else the activation, else the layer call. */
function siteRange(m: Mismatch): Range {
  return m.layer.props.kernelInitializer?.value ?? m.layer.props.activation?.value ?? m.layer.range;
}

/** The variance ratio of a site's layers: one number, or the range where their widths differ. */
function ratios(site: Mismatch[]): string {
  const values = site.map((m) => m.ratio);
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return fixed(lo) === fixed(hi) ? fixed(lo) : `${fixed(lo)}–${fixed(hi)}`;
}

/**
 * Consecutive weighted layers with the same mismatch (same initializer, activation and
 * fitting initializer): one finding. A weighted layer without it ends the run.
 */
function consecutiveRuns(ctx: RuleContext<Names>): Mismatch[][] {
  const view = viewOf(ctx);
  const seen = new Set<string>();
  const runs: Mismatch[][] = [];
  let current: Mismatch[] | undefined;
  const key = (m: Mismatch) => `${m.initializer}|${m.activation}|${m.fitting}`;
  for (const node of view.nodes) {
    if (seen.has(node.layer) || !isWeighted(view.layerOf(node))) continue;
    seen.add(node.layer);
    // PyTorch layers keep the framework's initialisation unless the code calls nn.init on them.
    const kept = ctx.model.source === 'pytorch' && !view.layerOf(node).props.kernelInitializer;
    const m = kept ? undefined : findMismatch(ctx, node);
    if (m && current && key(current[0]) === key(m)) current.push(m);
    else if (m) runs.push((current = [m]));
    else current = undefined;
  }
  // Runs written at one place (a loop's call, one nn.init call for all layers) are one finding there.
  const bySite = new Map<string, Mismatch[]>();
  for (const run of runs) {
    const r = siteRange(run[0]);
    const k = `${r.start}:${r.end}`;
    const same = bySite.get(k);
    if (same) same.push(...run);
    else bySite.set(k, run);
  }
  return [...bySite.values()];
}

/** Distinct places in the source among some mismatches: a loop's layers share their call. */
function distinctSites(ms: Mismatch[]): Mismatch[] {
  const keys = new Set<string>();
  return ms.filter((m) => {
    const r = siteRange(m);
    const k = `${r.start}:${r.end}`;
    if (keys.has(k)) return false;
    keys.add(k);
    return true;
  });
}

/**
 * What the mismatches really do, from the estimate through the activations: the model as
 * written against the same model with the fitting initializers. `signal` is the change of the
 * last mismatched layer's output RMS, `gradient` of the first weighted layer's gradient RMS (log10).
 */
function effect(ctx: RuleContext<Names>, found: Mismatch[]): { signal: number; gradient: number } {
  const variant = ctx.estimateVariant(changedModel(ctx.model, found.map((m) => setInitializer(m.layer, 'kernelInitializer', m.fitting))));
  const last = found[found.length - 1].node.layer;
  const act = (e: typeof variant) => e.layers.find((l) => l.layer.id === last)?.activationRms ?? NaN;
  const first = (e: typeof variant) => e.firstGradientRmsLog10 ?? NaN;
  const signal = Math.log10(act(ctx.estimate) / act(variant));
  const gradient = first(ctx.estimate) - first(variant);
  return { signal: Number.isFinite(signal) ? signal : 0, gradient: Number.isFinite(gradient) ? gradient : 0 };
}

export const initializerMismatch: Rule<Names> = {
  id,
  defaultSeverity: 'info',
  description: "A kernel initializer whose scale does not fit the layer's activation (He for relu, LeCun for selu, Glorot for tanh/sigmoid/linear).",
  summary: 'initialiser variance more than {initializerMismatchFactor}× off what the activation needs (warning when the drift reaches {initializerMismatchWarningDecades} decades and the estimate judges the model vanishing or exploding)',
  docsUrl: docsUrl(id),
  thresholds: {
    initializerMismatchFactor: {
      default: 1.5,
      description:
        "flag when a kernel initializer's variance differs from the one its activation needs by more than this factor.",
    },
    initializerMismatchWarningDecades: {
      default: 3,
      description:
        'a warning (not information) when the mismatched layers together shift the gradient RMS by at least this many decades and the estimate judges the model vanishing or exploding.',
    },
  },
  check(ctx) {
    // YOLO YAML models keep PyTorch's initialisation: there is no initializer to choose.
    if (ctx.model.source === 'yaml') return [];
    const runs = consecutiveRuns(ctx);
    if (!runs.length) return [];
    const found = runs.flat();
    const { signal, gradient } = effect(ctx, found);
    const warningFrom = ctx.thresholds.initializerMismatchWarningDecades;
    // The shift is against the fitting initializer; harm is the model's own figures crossing the
    // flow thresholds (normalisation often absorbs a badly scaled initializer).
    const judged = judgeEstimate(ctx.estimate, ctx.thresholds);
    const harmful = judged.status !== 'healthy' && clearOfUncertainty(judged, ctx.thresholds);
    const warn = harmful && Math.max(Math.abs(signal), Math.abs(gradient)) >= warningFrom;
    const verdictWords = judged.status === 'healthy' ? '; it judges it healthy' : harmful ? '' : `; it judges it ${judged.status} only within its uncertainty`;
    const warningWords = `a warning from ${warningFrom} decade${warningFrom === 1 ? '' : 's'} where the estimate also judges the model vanishing or exploding${verdictWords}`;
    const over = `Over the ${found.length} mismatched layer${found.length > 1 ? 's' : ''}`;
    const fitting = [...new Set(found.map((m) => m.fitting))].join('/');
    const gradientWords = `${gradient >= 0 ? 'grow to' : 'shrink to'} ${pow10(gradient)} ${gradient >= 0 ? 'times' : 'of'} what ${fitting} gives`;
    // Saturating units do not pass a growing signal on: they saturate, and the gradient pays.
    const saturated = [...new Set(found.filter((m) => SATURATING.has(m.activation) && m.ratio > 1).map((m) => m.activation))];
    const consequence = saturated.length
      ? `${over} the ${saturated.join('/')} units saturate: the signal RMS stays bounded (${pow10(signal)} of ${fitting}'s), and the estimate has the first layer's gradient ${gradientWords}`
      : `${over} the estimate has the signal RMS drift to ${pow10(signal)} and the first layer's gradient ${gradientWords}`;
    return runs.map((run): Finding => {
      const [m] = run;
      const written = m.layer.props.kernelInitializer;
      // Keras's default kernel is glorot_uniform, tfjs's glorotNormal (PyTorch's default is never flagged).
      const framework = ctx.model.source === 'keras' ? 'Keras' : 'tfjs';
      const names = layerNames(run.map((o) => o.layer));
      const sites = distinctSites(run);
      return {
        range: siteRange(m),
        message:
          `${names} ${run.length > 1 ? 'use' : 'uses'} kernelInitializer ${m.initializer}${written ? '' : ` (${framework}'s default)`} with ${m.activation}: ` +
          `${run.length > 1 ? 'their' : 'its'} weight variance is ${ratios(run)}× what ${m.activation} needs (${m.fitting}; flagged beyond ${ctx.thresholds.initializerMismatchFactor}×). ` +
          `${consequence} (${warningWords}).`,
        related: [
          ...sites.slice(1).map((o) => ({ range: o.layer.range, message: `${o.layer.name}: the same mismatch` })),
          ...runs
            .filter((other) => other !== run)
            .map((other) => ({ range: other[0].layer.range, message: `${layerNames(other.map((x) => x.layer))}: ${other[0].initializer} with ${other[0].activation}, ${ratios(other)}×` })),
        ],
        fixes: () => [directFix(ctx, `Use ${m.fitting} for ${names}`, sites.map((o) => setInitializer(o.layer, 'kernelInitializer', o.fitting)), true)].filter(isFix),
        severity: warn ? 'warning' : 'info',
      };
    });
  },
};
