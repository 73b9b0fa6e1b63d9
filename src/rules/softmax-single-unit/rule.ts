import type { GraphNode, Layer } from '../../core/graph';
import type { Finding, Rule, RuleContext } from '../../core/rule';
import { docsUrl, relatedLayer } from '../util/format';
import { activationOf, coreLayer, isWeighted, viewOf, type GraphView } from '../util/graphView';
import { directFix, isFix, setActivation } from '../util/remedies';
import { outputWidth } from '../util/shapes';

const id = 'softmax-single-unit';

/** Softmax (log-softmax, softmin) over the last axis: of a layer's own activation, or a softmax layer. */
function softmaxOver(view: GraphView, node: GraphNode): GraphNode | undefined {
  const layer = view.layerOf(node);
  if (isWeighted(layer) && activationOf(layer) === 'softmax') return node;
  const isSoftmax = layer.kind === 'softmax' || (layer.kind === 'activation' && activationOf(layer) === 'softmax');
  if (!isSoftmax || !overLastAxis(view, layer) || node.inputs.length !== 1) return undefined;
  return view.node(node.inputs[0]);
}

/**
 * Whether a softmax layer normalises the last axis: an activation layer always; a softmax layer
 * at axis −1, or at tfjs's default axis 1 where every tensor of the model is [batch, features]
 * (a flat input and no layer that adds an axis).
 */
function overLastAxis(view: GraphView, layer: Layer): boolean {
  if (layer.kind === 'activation') return true;
  const axis = layer.config.axis ?? 1;
  if (axis === -1) return true;
  const flat = view.model.inputShape?.length === 1 && !view.model.layers.some((l) => ADDS_AXIS.has(coreLayer(l).kind));
  return axis === 1 && flat;
}

const ADDS_AXIS = new Set(['embedding', 'reshape', 'repeatVector', 'timeDistributed']);

/** The weighted layers whose gradient reaches the model only through `node`, as the estimate has them. */
function weightedBefore(view: GraphView, node: GraphNode): Layer[] {
  const seen = new Set<string>();
  const stack = [node.id];
  const layers: Layer[] = [];
  while (stack.length) {
    const current = view.node(stack.pop()!);
    if (!current || seen.has(current.id)) continue;
    seen.add(current.id);
    const layer = view.layerOf(current);
    if (isWeighted(layer)) layers.push(layer);
    stack.push(...current.inputs);
  }
  return layers.reverse();
}

export const softmaxSingleUnit: Rule = {
  id,
  defaultSeverity: 'error',
  description: 'A softmax over one unit always outputs 1: no gradient reaches any layer before it.',
  summary: 'softmax over a single unit: its output is always 1 and the estimate has every gradient before it at 0 (use sigmoid)',
  docsUrl: docsUrl(id),
  thresholds: {},
  check(ctx) {
    const view = viewOf(ctx);
    const findings: Finding[] = [];
    for (const node of view.nodes) {
      const over = softmaxOver(view, node);
      if (!over || outputWidth(view, over) !== 1) continue;
      const before = weightedBefore(view, node);
      // The harm in numbers: the estimate passes no gradient to any of them.
      const dead = before.filter((l) => view.estimateOf(l)?.gradientRms === 0);
      if (before.length === 0 || dead.length !== before.length) continue;
      findings.push(finding(ctx, view.layerOf(node), view.layerOf(over), before));
    }
    return findings;
  },
};

function finding(ctx: RuleContext, softmax: Layer, over: Layer, dead: Layer[]): Finding {
  const own = softmax === over;
  return {
    range: (own ? coreLayer(softmax).props.activation?.value : undefined) ?? softmax.range,
    message:
      `${own ? `${softmax.name}'s softmax is taken over its single unit` : `Softmax ${softmax.name} is taken over a single unit (${over.name} has 1 output)`}: it always outputs 1, ` +
      `so the loss's gradient is exactly 0 and the estimate has the gradient of every layer before it at 0 (${dead.length} weighted layer${dead.length === 1 ? '' : 's'}): ` +
      `the model cannot learn. For one output use sigmoid (a probability) or no activation (a value).`,
    related: dead.map((l) => relatedLayer(l, `${l.name}: gradient 0`)),
    // tfjs's softmax layer has no activation to set; its own activation, Keras's and PyTorch's modules do.
    fixes: () => (own || ctx.model.source === 'pytorch' ? [directFix(ctx, `Use sigmoid in ${softmax.name}`, [setActivation(softmax, 'sigmoid', false)], true)].filter(isFix) : []),
  };
}
