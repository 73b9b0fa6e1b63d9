import type { Finding, Rule } from '../../core/rule';
import { coreLayer, viewOf } from '../util/graphView';
import { directFix, isFix } from '../util/remedies';
import { inputSteps } from '../util/shapes';
import { docsUrl, pow10, relatedLayer } from '../util/format';

const id = 'lstm-forget-bias';

/** The forget gate's value at a pre-activation of x, for tfjs's recurrent activations. */
function gate(activation: string, x: number): number {
  if (activation === 'sigmoid') return 1 / (1 + Math.exp(-x));
  return Math.min(1, Math.max(0, 0.2 * x + 0.5)); // hardSigmoid, tfjs's LSTM default
}

export const lstmForgetBias: Rule = {
  id,
  defaultSeverity: 'hint',
  description: 'An LSTM without unitForgetBias: true (tfjs defaults to false, unlike Keras).',
  summary: 'lstm without `unitForgetBias: true` (not on PyTorch models, whose LSTM has no such option)',
  docsUrl: docsUrl(id),
  check(ctx) {
    // PyTorch's LSTM has no such option (its forget-gate bias is set, if at all, by slicing
    // the bias in init code): the advice and its fix would name a setting that does not exist.
    if (ctx.model.source === 'pytorch') return [];
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const view = viewOf(ctx);
    for (const node of view.nodes) {
      const layer = coreLayer(view.layerOf(node));
      if (layer.kind !== 'lstm' || seen.has(layer.id) || layer.config.unitForgetBias === true || 'unitForgetBias' in layer.unknown) continue;
      seen.add(layer.id);
      const activation = typeof layer.config.recurrentActivation === 'string' ? layer.config.recurrentActivation : 'hardSigmoid';
      const without = gate(activation, 0);
      const withBias = gate(activation, 1);
      const steps = inputSteps(view, node);
      const over = (g: number) => (steps !== undefined ? ` (${pow10(steps * Math.log10(g))} over ${steps} steps)` : '');
      findings.push({
        range: layer.props.unitForgetBias?.value ?? layer.range,
        message:
          `${layer.name} starts its forget gate at ${activation}(0) = ${without.toFixed(2)}: the cell state's gradient is scaled by ≈ ${without.toFixed(2)} per time step${over(without)}; ` +
          `unitForgetBias: true starts it at ${withBias.toFixed(2)}${over(withBias)}. tfjs defaults to false, Keras to true (Jozefowicz et al. 2015).`,
        related: [relatedLayer(layer, `${layer.name}: lstm, recurrentActivation ${activation}`)],
        fixes: () => [directFix(ctx, 'Set unitForgetBias: true', [{ layer, config: { unitForgetBias: true } }], true)].filter(isFix),
      });
    }
    return findings;
  },
};
