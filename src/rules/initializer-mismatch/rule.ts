import type { GraphNode, Layer, Range, Value } from '../../core/graph';
import { weightStats } from '../../core/estimate/initializers';
import type { Finding, Rule, RuleContext } from '../../core/rule';
import { configOf, coreLayer, initializerName, isWeighted, viewOf } from '../util/graphView';
import { directFix, isFix, fittingInitializer, setInitializer } from '../util/remedies';
import { inputWidth } from '../util/shapes';
import { docsUrl, fixed, layerNames, pow10 } from '../util/format';

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

function findMismatch(ctx: RuleContext, node: GraphNode): Mismatch | undefined {
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

function groupBySite(found: Mismatch[]): Mismatch[][] {
  const sites = new Map<string, Mismatch[]>();
  for (const m of found) {
    const r = siteRange(m);
    const key = `${r.start}:${r.end}`;
    const site = sites.get(key);
    if (site) site.push(m);
    else sites.set(key, [m]);
  }
  return [...sites.values()];
}

export const initializerMismatch: Rule = {
  id,
  defaultSeverity: 'info',
  description: "A kernel initializer whose scale does not fit the layer's activation (He for relu, LeCun for selu, Glorot for tanh/sigmoid/linear).",
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
        'a warning (not information) when the mismatched layers together shift the gradient RMS by at least this many decades.',
    },
  },
  check(ctx) {
    // YOLO YAML models keep PyTorch's initialisation: there is no initializer to choose.
    if (ctx.model.source === 'yaml') return [];
    const seen = new Set<string>();
    const found: Mismatch[] = [];
    for (const node of viewOf(ctx).nodes) {
      if (seen.has(node.layer)) continue;
      seen.add(node.layer);
      // PyTorch layers keep the framework's initialisation unless the code calls nn.init on them.
      if (ctx.model.source === 'pytorch' && !viewOf(ctx).layerOf(node).props.kernelInitializer) continue;
      const m = findMismatch(ctx, node);
      if (m) found.push(m);
    }
    // Forward variance (and the gradient with it) is scaled by the ratio at every mismatched layer.
    const drift = found.reduce((s, m) => s + Math.log10(m.ratio) / 2, 0);
    const warn = Math.abs(drift) >= ctx.thresholds.initializerMismatchWarningDecades;
    // One finding per place in the source: a loop's layers share their call (and its fix).
    const sites = groupBySite(found);
    return sites.map((site): Finding => {
      const [m] = site;
      const written = m.layer.props.kernelInitializer;
      const names = layerNames(site.map((o) => o.layer));
      const warningFrom = ctx.thresholds.initializerMismatchWarningDecades;
      return {
        range: siteRange(m),
        message:
          `${names} ${site.length > 1 ? 'use' : 'uses'} kernelInitializer ${m.initializer}${written ? '' : " (tfjs's default)"} with ${m.activation}: ` +
          `${site.length > 1 ? 'their' : 'its'} weight variance is ${ratios(site)}× what ${m.activation} needs (${m.fitting}; flagged beyond ${ctx.thresholds.initializerMismatchFactor}×). ` +
          `Over the ${found.length} mismatched layer${found.length > 1 ? 's' : ''} the signal RMS drifts by ${pow10(drift)} (a warning from ${warningFrom} decade${warningFrom === 1 ? '' : 's'}).`,
        related: sites
          .filter((other) => other !== site)
          .map((other) => {
            const [o] = other;
            return { range: o.layer.range, message: `${layerNames(other.map((x) => x.layer))}: ${o.initializer} with ${o.activation}, ${ratios(other)}×` };
          }),
        fixes: () => [directFix(ctx, `Use ${m.fitting} for ${names}`, [setInitializer(m.layer, 'kernelInitializer', m.fitting)], true)].filter(isFix),
        severity: warn ? 'warning' : 'info',
      };
    });
  },
};
