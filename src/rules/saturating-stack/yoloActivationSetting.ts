// YOLO YAML: a saturating `activation:` setting (nn.Sigmoid(), nn.Tanh()) replaces SiLU in
// every Conv. Batch norm after each convolution keeps the gradient alive, so this is
// reported with the estimate's numbers against the SiLU original, at information level;
// vanishing-gradient speaks up when the estimate shows real harm.

import type { Layer, ModelGraph } from '../../core/graph';
import { setActivationSetting } from '../../core/yaml/fixes';
import type { Finding, RuleContext } from '../../core/rule';
import { activationOf, SATURATING } from '../util/graphView';
import { fixed, pow10, relatedLayer } from '../util/format';

/** The model as it would read with `activation:` set back to SiLU (the Ultralytics default). */
function withSilu(model: ModelGraph, affected: Set<Layer>): ModelGraph {
  const layers = model.layers.map((l) => {
    if (!affected.has(l)) return l;
    const { alpha: _alpha, ...config } = l.config;
    return { ...l, config: { ...config, activation: 'swish' } };
  });
  return { ...model, layers };
}

const REPLACEMENTS = [
  { expression: 'nn.SiLU()', why: 'the Ultralytics default' },
  { expression: 'nn.ReLU()', why: 'no saturation for positive inputs' },
];

/** saturating-stack on a YOLO YAML `activation:` setting that makes every Conv activation saturating (sigmoid, tanh). */
export function yoloActivationSettingFindings(ctx: RuleContext): Finding[] {
  const { model, estimate } = ctx;
  if (model.source !== 'yaml') return [];
  const affected = model.layers.filter((l) => l.props.activation && SATURATING.has(activationOf(l) ?? ''));
  if (affected.length === 0 || estimate.firstGradientRmsLog10 === null) return [];
  const setting = affected[0].props.activation.value;
  const expression = ctx.source.text.slice(setting.start, setting.end);
  const silu = ctx.estimateVariant(withSilu(model, new Set(affected)));
  const first = estimate.firstGradientRmsLog10;
  const reference = silu.firstGradientRmsLog10;
  const loss = reference === null ? undefined : reference - first;
  const depth = estimate.depthRatioLog10 === null ? '' : `, and a depth ratio of ${pow10(estimate.depthRatioLog10)}`;
  const comparison = loss === undefined ? '' : `, ${fixed(loss, 1)} decades ${loss >= 0 ? 'below' : 'above'} the SiLU original (${pow10(reference as number)})`;
  const fixes = REPLACEMENTS.flatMap(({ expression: replacement, why }, i) => {
    const edits = setActivationSetting(ctx.source.text, replacement);
    return edits ? [{ title: `Use activation: ${replacement} (${why})`, edits, preferred: i === 0 }] : [];
  });
  return [
    {
      range: setting,
      message:
        `activation: ${expression} makes all ${affected.length} Conv activations saturating: the estimate puts the first row's gradient at ${pow10(first)}${comparison}${depth}. ` +
        'Batch norm after every convolution keeps the gradient alive, so the model still trains, but more slowly than with SiLU.',
      related: [relatedLayer(affected[0], `${affected[0].name}: ${activationOf(affected[0])}`)],
      fixes,
      severity: 'info',
    },
  ];
}
