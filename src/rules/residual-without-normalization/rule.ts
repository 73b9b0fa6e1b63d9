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
}

/** An additive skip with weights and no normalisation or down-scaling between the add and where its inputs meet; else undefined. */
function residualBlock(view: GraphView, add: GraphNode): Block | undefined {
  // An add of more than 30 tensors is not a residual block (and would overflow the masks).
  if (add.inputs.length < 2 || add.inputs.length > 30) return undefined;
  const masks = view.reachMasks(add.inputs);
  const full = 2 ** add.inputs.length - 1;
  // The branch: what lies upstream of some of the add's inputs but not all (read in place: this runs for every add).
  let weighted = false;
  let normalized = false;
  masks.forEach((mask, id) => {
    const node = mask !== full ? view.node(id) : undefined;
    if (!node) return;
    const layer = view.layerOf(node);
    weighted ||= isWeighted(layer);
    normalized ||= isNormalization(layer) || layer.kind === 'rescaling';
  });
  if (!weighted || normalized) return undefined;
  // Inputs upstream of no other input end a branch.
  const branchEnds: GraphNode[] = [];
  for (let k = 0; k < add.inputs.length; k++) if (masks.get(add.inputs[k]) === 1 << k) branchEnds.push(view.node(add.inputs[k]) as GraphNode);
  return { add, branchEnds };
}

export const residualWithoutNormalization: Rule<'residualBlocks' | 'residualWarningActivationLog10' | 'residualWarningGrowthDecades'> = {
  id,
  defaultSeverity: 'warning',
  description: 'Several additive skips with no normalisation or down-scaling: the forward variance adds up block by block (a warning when the estimate shows it blow up).',
  summary: '{residualBlocks}+ additive skips with no normalisation or down-scaling (information unless the estimate puts the output RMS above 10^{residualWarningActivationLog10} or has it grow by {residualWarningGrowthDecades}+ decades across them)',
  docsUrl: docsUrl(id),
  thresholds: {
    residualBlocks: { default: 4, description: 'additive skips without normalisation or down-scaling (information).' },
    residualWarningActivationLog10: {
      default: 3,
      description: 'a warning when the estimate puts the output RMS of the last skip above 10^this.',
    },
    residualWarningGrowthDecades: {
      default: 2,
      description: 'a warning when the estimate has the RMS grow by this many decades or more across the skips.',
    },
  },
  check(ctx) {
    const view = viewOf(ctx);
    const t = ctx.thresholds;
    const blocks = new Map<string, Block>();
    for (const node of view.nodes) {
      if (view.layerOf(node).kind !== 'add') continue;
      const block = residualBlock(view, node);
      if (block) blocks.set(node.id, block);
    }
    if (blocks.size < t.residualBlocks) return [];
    const runs = view.runs((node, layer) => (isNormalization(layer) ? 'reset' : blocks.has(node.id) ? 'count' : 'pass'), t.residualBlocks);
    return runs
      .filter((run) => run.length >= t.residualBlocks)
      .map((run) => {
        const adds = run.map((n) => view.layerOf(n));
        // The signal entering the first block: its skip input (the add's input that ends no branch).
        const first = blocks.get(run[0].id) as Block;
        const entry = run[0].inputs.map((id) => view.node(id)).find((n) => n && !first.branchEnds.includes(n));
        const before = entry ? view.estimateOf(view.layerOf(entry))?.activationRms : undefined;
        const after = view.estimateOf(adds[adds.length - 1])?.activationRms;
        const finalLog = after ? Math.log10(after) : undefined;
        const grown = after && before ? Math.log10(after / before) : undefined;
        const harmful =
          (finalLog !== undefined && finalLog > t.residualWarningActivationLog10) || (grown !== undefined && grown >= t.residualWarningGrowthDecades);
        const growth =
          finalLog !== undefined
            ? `; the estimate puts the output RMS at ${pow10(finalLog)} by ${adds[adds.length - 1].name}${grown !== undefined ? ` (${pow10(grown)} times the block input's)` : ''}` +
              (harmful ? '' : `, which training absorbs (a warning above ${pow10(t.residualWarningActivationLog10)} or from ${t.residualWarningGrowthDecades} decades of growth)`)
            : '';
        const ends = run.flatMap((n) => (blocks.get(n.id) as Block).branchEnds).filter((n) => !isNormalization(view.layerOf(n)));
        const endLayers = ends.map((n) => view.layerOf(n));
        return {
          range: adds[0].range,
          message: `${run.length} additive skips without normalisation or down-scaling (${layerNames(adds)}; threshold ${t.residualBlocks}): the forward variance adds up block by block${growth}.`,
          related: adds.map((l, i) => relatedLayer(l, `${l.name}: residual block ${i + 1} of ${run.length}`)),
          severity: harmful ? undefined : ('info' as const),
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
