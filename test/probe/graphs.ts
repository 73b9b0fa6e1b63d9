// Model graphs written by hand for the probe tests, shaped as the front ends produce them
// (an 'input' layer node, tfjs defaults applied to every config).
import type { Layer, ModelGraph, Value } from '../../src/core/graph';
import { applyLayerDefaults } from '../../src/core/layerDefaults';

export interface LayerSpec {
  kind: string;
  config?: Record<string, Value>;
  unknown?: Record<string, string>;
  /** YAML row. */
  row?: number;
  /** Wrappers (bidirectional, timeDistributed): the wrapped layer. */
  wrapped?: LayerSpec;
}

export function layer(id: string, spec: LayerSpec, line: number): Layer {
  const unknown = spec.unknown ?? {};
  return {
    id,
    name: `${spec.kind}_${id}`,
    kind: spec.kind,
    config: applyLayerDefaults(spec.kind, spec.config ?? {}, { unknownKeys: Object.keys(unknown) }),
    unknown,
    line,
    range: { start: 0, end: 0 },
    props: {},
    ...(spec.row !== undefined ? { row: spec.row } : {}),
    ...(spec.wrapped ? { wrapped: layer(`${id}_inner`, spec.wrapped, line) } : {}),
  };
}

/** A chain input → layers[0] → ... → layers[n-1], one layer per line from line 2. */
export function sequential(name: string, inputShape: (number | null)[], specs: LayerSpec[]): ModelGraph {
  const layers = [layer('in', { kind: 'input', config: { shape: inputShape } }, 1)];
  const nodes = [{ id: 'n_in', layer: 'in', inputs: [] as string[] }];
  specs.forEach((spec, i) => {
    layers.push(layer(`l${i + 1}`, spec, i + 2));
    nodes.push({ id: `n${i + 1}`, layer: `l${i + 1}`, inputs: [nodes[nodes.length - 1].id] });
  });
  return {
    name,
    line: 1,
    range: { start: 0, end: 0 },
    source: 'tfjs',
    layers,
    nodes,
    inputs: ['n_in'],
    outputs: [nodes[nodes.length - 1].id],
    inputShape,
  };
}

export const repeat = (n: number, ...specs: LayerSpec[]): LayerSpec[] =>
  Array.from({ length: n }, () => specs).flat();
