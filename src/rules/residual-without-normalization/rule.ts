import { batchNormName } from '../../core/python/wording';
import type { GraphNode } from '../../core/graph';
import type { Rule } from '../../core/rule';
import { isNormalization, isWeighted, type GraphView, viewOf } from '../util/graphView';
import { directFix, isFix } from '../util/remedies';
import { docsUrl, layerNames, pow10, relatedLayer } from '../util/format';

const id = 'residual-without-normalization';

interface Block {
  add: GraphNode;
  /** The add's inputs that end a residual branch (not upstream of another input). */
  branchEnds: GraphNode[];
  normalized: boolean;
}

/** An additive skip: what lies between the add and where its inputs meet, and whether that normalises or scales. */
function residualBlock(view: GraphView, add: GraphNode): Block | undefined {
  // An add of more than 30 tensors is not a residual block (and would overflow the masks).
  if (add.inputs.length < 2 || add.inputs.length > 30) return undefined;
  const masks = view.reachMasks(add.inputs);
  const full = 2 ** add.inputs.length - 1;
  // The branch: what lies upstream of some of the add's inputs but not all.
  const layers = [...masks]
    .filter(([id, mask]) => mask !== full && view.node(id))
    .map(([id]) => view.layerOf(view.node(id) as GraphNode));
  if (!layers.some(isWeighted)) return undefined;
  const normalized = layers.some((l) => isNormalization(l) || l.kind === 'rescaling');
  // Inputs upstream of no other input end a branch.
  const branchEnds = add.inputs.filter((id, k) => masks.get(id) === 1 << k).map((id) => view.node(id) as GraphNode);
  return { add, branchEnds, normalized };
}

export const residualWithoutNormalization: Rule = {
  id,
  defaultSeverity: 'warning',
  description: 'Several additive skips with no normalisation or down-scaling: the forward variance doubles per block.',
  docsUrl: docsUrl(id),
  thresholds: {
    residualBlocks: { default: 4, description: 'additive skips without normalisation or down-scaling.' },
  },
  check(ctx) {
    const view = viewOf(ctx);
    const t = ctx.thresholds;
    const blocks = new Map<string, Block>();
    for (const node of view.nodes) {
      if (view.layerOf(node).kind !== 'add') continue;
      const block = residualBlock(view, node);
      if (block && !block.normalized) blocks.set(node.id, block);
    }
    if (blocks.size < t.residualBlocks) return [];
    const runs = view.runs((node, layer) => (isNormalization(layer) ? 'reset' : blocks.has(node.id) ? 'count' : 'pass'), t.residualBlocks);
    return runs
      .filter((run) => run.length >= t.residualBlocks)
      .map((run) => {
        const adds = run.map((n) => view.layerOf(n));
        const rms = adds.map((l) => view.estimateOf(l)?.activationRms);
        const growth =
          rms[0] && rms[rms.length - 1]
            ? `; the estimate puts the output RMS at ${pow10(Math.log10(rms[rms.length - 1] as number))} by ${adds[adds.length - 1].name} (from ${pow10(Math.log10(rms[0]))} at ${adds[0].name})`
            : '';
        const ends = run.flatMap((n) => (blocks.get(n.id) as Block).branchEnds).filter((n) => !isNormalization(view.layerOf(n)));
        const endLayers = ends.map((n) => view.layerOf(n));
        return {
          range: adds[0].range,
          message: `${run.length} additive skips without normalisation or down-scaling (${layerNames(adds)}; threshold ${t.residualBlocks}): the forward variance adds up block by block${growth}.`,
          related: adds.map((l, i) => relatedLayer(l, `${l.name}: residual block ${i + 1} of ${run.length}`)),
          fixes: () =>
            [
              directFix(
                ctx,
                `Insert ${batchNormName(ctx.model.source, endLayers)} at the end of each residual branch (${layerNames(endLayers)})`,
                endLayers.map((layer) => ({ layer, batchNormAfter: true })),
                true,
              ),
            ].filter(isFix),
        };
      });
  },
};
