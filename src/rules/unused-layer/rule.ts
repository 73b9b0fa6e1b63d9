import type { Layer } from '../../core/graph';
import type { Finding, Rule } from '../../core/rule';
import { docsUrl, layerNames } from '../util/format';

const id = 'unused-layer';

/** Unconnected applications of one line of code (a loop makes one per iteration) give one finding. */
function bySite(layers: Layer[]): Layer[][] {
  // Most models have no such layer: nothing to group.
  if (layers.length === 0) return [];
  const sites = new Map<string, Layer[]>();
  for (const layer of layers) {
    const key = `${layer.range.start}:${layer.range.end}`;
    const list = sites.get(key);
    if (list) list.push(layer);
    else sites.set(key, [layer]);
  }
  return [...sites.values()];
}

export const unusedLayer: Rule = {
  id,
  defaultSeverity: 'warning',
  description: "A layer applied to a model's tensors whose output reaches none of the model's outputs, or created beside it and never used: tfjs leaves it out, so it is never trained.",
  summary: 'a layer applied to the model\'s tensors whose output reaches none of its outputs, or created beside it and never used (tfjs code)',
  docsUrl: docsUrl(id),
  check(ctx) {
    // Most models have neither: no lists, no grouping.
    if (!ctx.model.neverApplied?.length && !ctx.model.unconnected?.length) return [];
    const neverApplied = bySite(ctx.model.neverApplied ?? []).map((layers): Finding => {
      const [first] = layers;
      const what = layers.length === 1 ? `${first.name} (${first.kind}) is` : `${layers.length} ${first.kind} layers made here (${layerNames(layers)}) are`;
      return {
        range: first.range,
        message: `${what} created beside ${ctx.model.name} but never applied, added or passed anywhere: tfjs never builds ${layers.length === 1 ? 'it' : 'them'} into the model. A connection forgotten (a skip branch never applied)?`,
        related: [{ range: ctx.model.range, message: `${ctx.model.name}: built here without it` }],
        fixes: [],
      };
    });
    return [...neverApplied, ...bySite(ctx.model.unconnected ?? []).map((layers): Finding => {
      const [first] = layers;
      const one = layers.length === 1;
      const what = one ? `${first.name} (${first.kind}) is` : `${layers.length} ${first.kind} layers made here (${layerNames(layers)}) are`;
      const rest = one ? 'reaches none of its outputs: tfjs leaves it out of the model, so it is never trained and changes nothing' : 'reach none of its outputs: tfjs leaves them out of the model, so they are never trained and change nothing';
      return {
        range: first.range,
        message: `${what} applied to tensors of ${ctx.model.name} but ${rest}. A branch never merged back (a skip connection never added)?`,
        related: [{ range: ctx.model.range, message: `${ctx.model.name}: its outputs` }],
        fixes: [],
      };
    })];
  },
};
