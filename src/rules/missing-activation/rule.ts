import type { GraphNode, Layer } from '../../core/graph';
import type { Finding, Rule, RuleContext } from '../../core/rule';
import { docsUrl, layerNames, relatedLayer } from '../util/format';
import { activationOf, coreLayer, isRecurrent, isWeighted, viewOf, type GraphView } from '../util/graphView';
import { directFix, isFix, setActivation } from '../util/remedies';

/** The thresholds this rule owns (and its helpers read). */
type Names = 'missingActivationLayers';

const id = 'missing-activation';

/**
 * Layers that are linear maps of their input (at inference): a signal that crosses only these
 * between two weighted layers meets no nonlinearity. Batch normalisation is an affine map once
 * its statistics are fixed; max pooling and layer normalisation are not linear.
 */
const LINEAR = new Set([
  'dropout', 'spatialDropout1d', 'gaussianDropout', 'gaussianNoise', 'alphaDropout',
  'flatten', 'reshape', 'permute', 'repeatVector',
  'batchNormalization',
  'averagePooling1d', 'averagePooling2d', 'averagePooling3d', 'globalAveragePooling1d', 'globalAveragePooling2d',
  'zeroPadding2d', 'cropping2d', 'upSampling2d',
]);

/** Weighted layers whose output is a linear map of their input: dense and convolutions, not recurrent cells or lookups. */
const isLinearMap = (layer: Layer): boolean => isWeighted(layer) && !isRecurrent(layer) && coreLayer(layer).kind !== 'embedding';
const isLinearActivation = (act: string | undefined): boolean => act === undefined || act === 'linear';

function classify(_node: GraphNode, layer: Layer): 'count' | 'reset' | 'pass' {
  // An activation that cannot be read (a variable, a spread) may well be a nonlinearity.
  if ('activation' in coreLayer(layer).unknown) return 'reset';
  if (isLinearMap(layer)) return isLinearActivation(activationOf(layer)) ? 'count' : 'reset';
  if (LINEAR.has(layer.kind)) return 'pass';
  if (layer.kind === 'activation' && isLinearActivation(activationOf(layer))) return 'pass';
  return 'reset';
}

/** The weighted layer a run's last linear layer feeds through linear layers only, if any: its pre-activation is part of the same map. */
function follower(view: GraphView, node: GraphNode): GraphNode | undefined {
  let next = view.consumers(node.id);
  while (next.length === 1 && classify(next[0], view.layerOf(next[0])) === 'pass') next = view.consumers(next[0].id);
  return next.length === 1 && isLinearMap(view.layerOf(next[0])) ? next[0] : undefined;
}

/** The nonlinearity the rest of the model uses (its most common hidden one), else relu. */
function modelActivation(view: GraphView, collapsed: Set<GraphNode>): string {
  const counts = new Map<string, number>();
  for (const node of view.nodes) {
    const act = view.effectiveActivation(node);
    if (collapsed.has(node) || view.isOutput(node) || !isLinearMap(view.layerOf(node))) continue;
    if (act === undefined || act === 'normalized' || isLinearActivation(act) || act === 'softmax') continue;
    counts.set(act, (counts.get(act) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'relu';
}

export const missingActivation: Rule<Names> = {
  id,
  defaultSeverity: 'warning',
  description: 'Several weighted layers in a row with no nonlinearity between them: together they are one linear map.',
  summary: '{missingActivationLayers}+ weighted layers in a row with no nonlinearity: one linear map (information where `activation: \'linear\'` is written out)',
  docsUrl: docsUrl(id),
  thresholds: {
    missingActivationLayers: { default: 3, description: 'consecutive weighted layers (dense, convolution) with no nonlinearity between them.' },
  },
  check(ctx) {
    // YOLO rows carry their own activation (SiLU by default).
    if (ctx.model.source === 'yaml') return [];
    const view = viewOf(ctx);
    const min = ctx.thresholds.missingActivationLayers;
    if (view.count(isLinearMap) < min) return [];
    return view
      .runs(classify, 1)
      .map((run) => {
        const next = follower(view, run[run.length - 1]);
        return next ? [...run, next] : run;
      })
      .filter((chain) => chain.length >= min)
      .map((chain) => finding(ctx, view, chain));
  },
};

/**
 * Whether the author chose no nonlinearity: every layer that needs one says `activation: 'linear'`
 * (or none) in so many words. A linear map (a factorised projection, a linear bottleneck) is a
 * design; an activation left to the default is the usual slip. PyTorch layers have no
 * activation argument, so there the run is always a slip.
 */
const chosenLinear = (layers: Layer[]): boolean => layers.length > 0 && layers.every((l) => coreLayer(l).props.activation !== undefined);

function finding(ctx: RuleContext<Names>, view: GraphView, chain: GraphNode[]): Finding {
  const layers = chain.map((n) => view.layerOf(n));
  // Every layer but the last feeds another weighted layer without a nonlinearity: those need one.
  const needing = chain.slice(0, -1).filter((n) => !view.isOutput(n));
  // The gradient crosses a linear map unharmed (Saxe et al. 2014): the harm is lost capacity,
  // a warning where it is a slip, information where the linear activations are written.
  const chosen = chosenLinear(needing.map((n) => view.layerOf(n)));
  const activation = modelActivation(view, new Set(chain));
  const first = layers[0];
  return {
    range: coreLayer(first).props.activation?.value ?? first.range,
    message:
      `${chain.length} weighted layers in a row with no nonlinearity between them (${layerNames(layers)}; threshold ${ctx.thresholds.missingActivationLayers}): ` +
      `together they compute one linear map, so the extra layers add parameters but no expressive power` +
      (chosen ? ` (information: their activations are written as linear, so this may be meant).` : ` (their activations are left to the linear default).`),
    related: layers.map((l, i) => relatedLayer(l, `${l.name}: ${i < layers.length - 1 ? `activation ${activationOf(l) ?? 'linear'}` : 'last layer of the linear map'}`)),
    fixes: () =>
      [
        directFix(
          ctx,
          `Use ${activation} in ${layerNames(needing.map((n) => view.layerOf(n)))}`,
          needing.map((n) => setActivation(view.layerOf(n), activation, true)),
          true,
        ),
      ].filter(isFix),
    severity: chosen ? 'info' : undefined,
  };
}
