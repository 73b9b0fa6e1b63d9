import type { InitializerSpec, Layer } from '../../core/graph';
import type { Finding, Rule } from '../../core/rule';
import { docsUrl } from '../util/format';
import { activationOf, configOf, coreLayer, defaultsOf, initializerName, isWeighted, specName, viewOf } from '../util/graphView';
import { directFix, isFix, fittingInitializer, setInitializer } from '../util/remedies';

const id = 'constant-initializer';
const CONSTANT = new Set(['zeros', 'ones', 'constant']);

/** The initializer that replaces a constant one, per weight tensor. */
function replacement(layer: Layer, key: string): string {
  if (key === 'recurrentInitializer') return 'orthogonal';
  if (key === 'embeddingsInitializer') return 'randomUniform';
  return fittingInitializer(activationOf(layer) ?? 'linear');
}

const KERNEL_KEYS = ['kernelInitializer', 'recurrentInitializer', 'depthwiseInitializer', 'pointwiseInitializer', 'embeddingsInitializer'];

const constantByDefault = new Map<string, string[]>();

/** The kernel keys a layer kind's defaults initialise to a constant (almost always none), read once per kind. */
function keysConstantByDefault(kind: string): string[] {
  let keys = constantByDefault.get(kind);
  if (!keys) constantByDefault.set(kind, (keys = KERNEL_KEYS.filter((key) => CONSTANT.has(specName(defaultsOf(kind)[key]) ?? ''))));
  return keys;
}

export const constantInitializer: Rule = {
  id,
  defaultSeverity: 'error',
  description: 'A kernel initialised with zeros, ones or a constant: every unit stays identical and symmetry never breaks.',
  summary: 'zeros/ones/constant kernel initialisers of hidden layers (an output layer\'s is healthy from step 1)',
  docsUrl: docsUrl(id),
  check(ctx) {
    const constant: { layer: Layer; key: string; name: string }[] = [];
    // An output layer gets one gradient per unit from the loss: its units part at the first
    // step, and a zero-initialised head is a healthy choice (the estimate judges it at step 1).
    // (Looked up only once a constant kernel is found: most models have none.)
    let outputs: Set<string | undefined> | undefined;
    const isOutput = (layer: Layer): boolean => {
      const view = viewOf(ctx);
      outputs ??= new Set(ctx.model.outputs.map((nodeId) => view.node(nodeId)?.layer));
      return outputs.has(layer.id);
    };
    for (const outer of ctx.model.layers) {
      const layer = coreLayer(outer);
      const byDefault = keysConstantByDefault(layer.kind);
      for (const key of KERNEL_KEYS) {
        // A key the layer does not write is constant only by its kind's default: most are not, and need no lookup.
        if (!(key in layer.config) && !byDefault.includes(key)) continue;
        const name = initializerName(layer, key);
        if (name && CONSTANT.has(name) && !isOutput(outer)) constant.push({ layer, key, name });
      }
    }
    // A lone weighted layer (linear or logistic regression) has no layer before it to starve
    // and no layer after it for identical units to feed: a constant start is harmless there.
    if (!constant.length || ctx.model.layers.filter(isWeighted).length < 2) return [];
    return constant.map(({ layer, key, name }): Finding => {
      const spec = configOf(layer, key) as InitializerSpec;
      const width = [layer.config.units, layer.config.filters, layer.config.outputDim].find((v) => typeof v === 'number');
      const units = typeof width === 'number' ? `all ${width} units` : 'every unit';
      const value = name === 'constant' ? `constant(${typeof spec === 'object' ? spec.value ?? 0 : 0})` : name;
      const effect =
        name === 'zeros'
          ? 'its output is 0, so the predicted gradient RMS of every layer before it is exactly 0'
          : 'their gradients are identical too, so training can never make them differ';
      const fixTo = replacement(layer, key);
      return {
        range: layer.props[key]?.value ?? layer.range,
        message: `${key} ${value} starts ${units} of ${layer.name} identical (1 distinct unit; any constant kernel initializer is flagged): ${effect}.`,
        related: [{ range: layer.range, message: `${layer.name}: ${layer.kind}` }],
        fixes: () => [directFix(ctx, `Use ${fixTo} for ${key}`, [setInitializer(layer, key, fixTo)], true)].filter(isFix),
      };
    });
  },
};
