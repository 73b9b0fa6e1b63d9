// A model graph with its positions moved over an edit (textShift.ts): the graph an unchanged
// model of the earlier text has in the edited one, to compare with what the front end read.
// Only the graph's own position fields move (ranges and lines), never a configuration value.
import type { Layer, ModelGraph, Range, RowInfo } from '../core/graph';
import { mapRange, type PositionMap } from './textShift';

class Unplaceable extends Error {}

/** `model` with its positions mapped by `map`; undefined when one lies in the changed span. */
export function movedGraph(model: ModelGraph, map: PositionMap): ModelGraph | undefined {
  const range = (r: Range): Range => {
    const moved = mapRange(r, map);
    if (!moved) throw new Unplaceable();
    return moved;
  };
  const line = (l: number): number => {
    const moved = map.line(l);
    if (moved === undefined) throw new Unplaceable();
    return moved;
  };
  // Spread first: each position keeps its place among the keys, so the JSON of an unmoved graph is the same.
  const layer = (l: Layer): Layer => ({
    ...l,
    line: line(l.line),
    range: range(l.range),
    props: Object.fromEntries(Object.entries(l.props).map(([key, p]) => [key, { ...p, range: range(p.range), value: range(p.value) }])),
    ...(l.configRange ? { configRange: range(l.configRange) } : {}),
    ...(l.model ? { model: graph(l.model) } : {}),
    ...(l.wrapped ? { wrapped: layer(l.wrapped) } : {}),
  });
  const row = (r: RowInfo): RowInfo => ({ ...r, line: line(r.line), range: range(r.range), argRanges: r.argRanges.map(range), moduleRange: range(r.moduleRange) });
  const graph = (m: ModelGraph): ModelGraph => ({
    ...m,
    line: line(m.line),
    range: range(m.range),
    layers: m.layers.map(layer),
    ...(m.rows ? { rows: m.rows.map(row) } : {}),
    ...(m.unconnected ? { unconnected: m.unconnected.map(layer) } : {}),
  });
  try {
    return graph(model);
  } catch (err) {
    if (err instanceof Unplaceable) return undefined;
    throw err;
  }
}
