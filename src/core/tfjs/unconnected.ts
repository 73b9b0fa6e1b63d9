// Layers applied to a model's tensors whose outputs reach none of its outputs (a skip branch
// computed and never added back): tfjs builds the model without them, so they get no
// gradient and do nothing, which is almost always a bug. Found from every application the
// interpreter made: those fed by a model's graph, but in no model's graph themselves.

import type { AppNode, LayerRec, ModelBuild } from './graphBuilder';

/** The applications a functional model's outputs depend on, and those of the models inside it. */
function graphOf(model: ModelBuild, into: Set<AppNode>, models = new Set<ModelBuild>()): Set<AppNode> {
  if (models.has(model)) return into;
  models.add(model);
  const visit = (node: AppNode): void => {
    if (into.has(node)) return;
    into.add(node);
    if (node.layer.nested) graphOf(node.layer.nested, into, models);
    for (const t of node.inputs) visit(t.node);
  };
  for (const t of model.outputs) visit(t.node);
  return into;
}

/**
 * For each functional model, the layers applied downstream of its graph and in no model's
 * graph (`applications`: every application not undone), in creation order.
 */
export function unconnectedLayers(models: ModelBuild[], applications: Iterable<AppNode>): Map<ModelBuild, LayerRec[]> {
  const functional = models.filter((m) => m.kind === 'functional' && !m.outputsUnknown);
  const graphs = new Map(functional.map((m) => [m, graphOf(m, new Set())]));
  const live = new Set<AppNode>();
  const liveLayers = new Set<LayerRec>();
  for (const g of graphs.values()) for (const node of g) live.add(node);
  for (const node of live) liveLayers.add(node.layer);
  for (const m of models) if (m.kind === 'sequential') for (const layer of m.layers) liveLayers.add(layer);
  const consumers = new Map<AppNode, AppNode[]>();
  for (const app of applications) {
    for (const t of app.inputs) {
      const list = consumers.get(t.node);
      if (list) list.push(app);
      else consumers.set(t.node, [app]);
    }
  }
  const out = new Map<ModelBuild, LayerRec[]>();
  for (const [model, graph] of graphs) {
    const dead = new Set<LayerRec>();
    const seen = new Set<AppNode>();
    const stack = [...graph];
    while (stack.length) {
      for (const next of consumers.get(stack.pop()!) ?? []) {
        if (live.has(next) || seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
        if (!liveLayers.has(next.layer)) dead.add(next.layer);
      }
    }
    if (dead.size) out.set(model, [...dead].sort((a, b) => a.seq - b.seq));
  }
  return out;
}
