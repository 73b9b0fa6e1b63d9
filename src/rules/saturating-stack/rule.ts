import { batchNormName } from '../../core/python/wording';
import type { GraphNode, Layer } from '../../core/graph';
import type { Finding, Rule, RuleContext } from '../../core/rule';
import { activationOf, isNormalization, isRecurrent, isWeighted, SATURATING, viewOf, type GraphView } from '../util/graphView';
import { directFix, healingFixes, setActivation } from '../util/remedies';
import { harmfulLossLog10, lossThresholdWords } from '../util/flow';
import { docsUrl, layerNames, pow10, relatedLayer } from '../util/format';
import { activationRowFixes } from './yoloActivationRows';
import { yoloActivationSettingFindings } from './yoloActivationSetting';

/** The thresholds this rule owns (and its helpers read). */
type Names = 'saturatingStackLength';

const id = 'saturating-stack';

export const saturatingStack: Rule<Names> = {
  id,
  defaultSeverity: 'warning',
  description: 'Several saturating activations (sigmoid, tanh, hardSigmoid, softsign) in a row with no normalisation between (a warning when the estimate shows the gradient lost across them).',
  summary: '{saturatingStackLength}+ consecutive sigmoid/tanh/hardSigmoid/softsign with no normalisation (information unless the estimate has the gradient fall below 10^{vanishingDepthRatioLog10-estimateUncertaintyDecades} across them; YOLO YAML: also a saturating `activation:` setting, information)',
  docsUrl: docsUrl(id),
  thresholds: {
    saturatingStackLength: {
      default: 4,
      description:
        'consecutive saturating activations (sigmoid, tanh, hardSigmoid, softsign) without normalisation.',
    },
  },
  check(ctx) {
    // YOLO YAML: an `activation:` setting that makes every Conv saturating is reported on its own.
    return [...stackFindings(ctx), ...yoloActivationSettingFindings(ctx)];
  },
};

/**
 * Whether a merge lies between the run's first and last node: add, average and concatenate, but
 * also multiply (x ⊙ f(x) passes x's gradient on scaled by f(x)) or any layer of several inputs.
 * Then the plain path is not the only way back, and the product along it is not the gradient.
 */
function crossesMerge(view: GraphView, run: GraphNode[]): boolean {
  const position = new Map(view.nodes.map((n, i) => [n.id, i]));
  const [from, to] = [position.get(run[0].id) ?? 0, position.get(run[run.length - 1].id) ?? 0];
  return view.nodes.some((n, i) => i > from && i < to && n.inputs.length > 1);
}

/** Runs of saturating activations (layers or rows) without normalisation between. */
function stackFindings(ctx: RuleContext<Names>): Finding[] {
  const view = viewOf(ctx);
  const t = ctx.thresholds;
  if (view.count((layer) => SATURATING.has(activationOf(layer) ?? '')) < t.saturatingStackLength) return [];
  const runs = view.runs((_node, layer) => {
    if (isNormalization(layer) || isRecurrent(layer)) return 'reset';
    const act = activationOf(layer);
    if (act !== undefined && SATURATING.has(act)) return 'count';
    return act !== undefined && act !== 'linear' ? 'reset' : 'pass';
  }, t.saturatingStackLength);
  return runs
    .filter((run) => run.length >= t.saturatingStackLength)
    .map((run) => {
      const layers = run.map((n) => view.layerOf(n));
      // The gradient crosses each activation and, for separate activation layers, the linear layer feeding it.
      const crossed = new Set<Layer>(layers);
      for (const node of run) {
        const input = node.inputs.length === 1 ? view.node(node.inputs[0]) : undefined;
        if (!isWeighted(view.layerOf(node)) && input && isWeighted(view.layerOf(input))) crossed.add(view.layerOf(input));
      }
      const chis = [...crossed].map((l) => view.estimateOf(l)?.backwardFactor);
      // Without per-layer factors (YOLO rows), the gradient ratio of the first and last weighted layers crossed.
      const grads = [...crossed].filter(isWeighted).map((l) => view.estimateOf(l)?.gradientRms);
      const gradientRatio = grads.length > 1 && grads[0] && grads[grads.length - 1] ? Math.log10((grads[0] as number) / (grads[grads.length - 1] as number)) : undefined;
      // Across skip connections the gradient goes around the saturating branches: what the
      // estimate says reaches the first layer counts, not the product along the plain path.
      const decades = crossesMerge(view, run) || !chis.every((c) => c !== undefined && c > 0)
        ? gradientRatio
        : chis.reduce((s: number, c) => s + Math.log10(c as number) / 2, 0);
      // No gradient at any layer of the stack (the layers after it pass none back, as a softmax
      // over one unit does): there is nothing for the stack to lose, and its χ product is no harm.
      const noneArrives = grads.length > 0 && grads.every((g) => g === 0);
      // Normalisation toward the input can restore what the stack loses (batch norm amplifies the
      // gradient back): what reaches the model's first layer decides, as around a skip.
      const depthRatio = ctx.estimate.depthRatioLog10;
      const normalizedBefore = view.nodes.slice(0, view.nodes.indexOf(run[0])).some((n) => isNormalization(view.layerOf(n)));
      const restored =
        normalizedBefore && decades !== undefined && decades < harmfulLossLog10(t) && depthRatio !== null && depthRatio >= harmfulLossLog10(t) && !crossesMerge(view, run);
      // Harm is the estimate's loss across the stack past the flow threshold, not the pattern alone.
      const survives = noneArrives || restored || (decades !== undefined && decades >= harmfulLossLog10(t));
      const acts = [...new Set(layers.map((l) => activationOf(l)))].join('/');
      const head = `${run.length} consecutive ${acts} activations without normalisation (${layerNames(layers)}; threshold ${t.saturatingStackLength})`;
      const tail = noneArrives
        ? 'the estimate has no gradient reaching them (the layers after them pass none back), so none is lost across them'
        : decades === undefined
          ? 'the estimate could not follow the gradient across them'
          : restored
            ? `the estimate has the gradient shrink to ${pow10(decades)} across them, but the model's first weighted layer gets ${pow10(depthRatio!)} of the last one's (the normalisation between them and the input restores it), short of harm (${lossThresholdWords(t)})`
            : survives
              ? `the estimate has the gradient at ${pow10(decades)} across them, short of harm (${lossThresholdWords(t)})`
            : `the estimate predicts the gradient shrinks to ${pow10(decades)} across them (${lossThresholdWords(t)})`;
      const outputs = new Set(run.filter((n) => view.isOutput(n)));
      const changeable = run.filter((n) => !outputs.has(n)).map((n) => view.layerOf(n));
      const activationFixes = ['relu', 'elu', 'gelu'].map((act) => ({
        title: `Use ${act} in ${layerNames(changeable)}`,
        changes: changeable.map((l) => setActivation(l, act, isWeighted(l))),
      }));
      const fixes = () => {
        // YOLO YAML rows of bare torch activations: their module name is what changes.
        if (ctx.model.source === 'yaml') return activationRowFixes(ctx, changeable);
        const swaps = healingFixes(ctx, [activationFixes], (variant) => Math.abs(variant.depthRatioLog10 ?? 0));
        const normalize = directFix(
          ctx,
          `Insert ${batchNormName(ctx.model.source, changeable.slice(0, -1))} after ${layerNames(changeable.slice(0, -1))}`,
          run.slice(0, -1).filter((n) => !outputs.has(n)).map((n) => ({ layer: view.layerOf(n), batchNormAfter: true })),
          swaps.length === 0,
        );
        return normalize ? [...swaps, normalize] : swaps;
      };
      const first = layers[0];
      return {
        range: first.props.activation?.value ?? first.range,
        message: `${head}: ${tail}.`,
        related: layers.map((l) => relatedLayer(l, `${l.name}: ${activationOf(l)}${view.estimateOf(l)?.backwardFactor !== undefined ? `, χ ≈ ${view.estimateOf(l)?.backwardFactor?.toFixed(2)}` : ''}`)),
        fixes,
        severity: survives ? ('info' as const) : undefined,
      };
    });
}
