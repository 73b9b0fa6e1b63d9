// Builds ModelGraphs the way the front ends do (tfjs defaults are applied by the estimate
// itself where a config key is absent), for the estimate's tests and the calibration bench.
import type { GraphNode, Layer, ModelGraph, Value } from '../../../src/core/graph';

export interface LayerSpec {
  kind: string;
  config?: Record<string, Value>;
  /** Node ids (returned by `add`) feeding this layer; default: the previous node. */
  from?: string[];
  wrapped?: LayerSpec;
}

/** A functional graph: add() returns the node id, so skips can refer back. */
export class GraphBuilder {
  private readonly layers: Layer[] = [];
  private readonly nodes: GraphNode[] = [];
  private last: string;

  constructor(
    private readonly name: string,
    private readonly inputShape: (number | null)[],
  ) {
    this.last = this.push({ kind: 'input', config: { batchShape: [null, ...inputShape] } }, []);
  }

  private layerOf(spec: LayerSpec, index: number): Layer {
    const range = { start: 0, end: 0 };
    return {
      id: `L${index}`,
      name: `${spec.kind}_${index}`,
      kind: spec.kind,
      config: spec.config ?? {},
      unknown: {},
      line: index + 1,
      range,
      // Written properties, as a front end records them (here without a place in any text).
      props: Object.fromEntries(Object.keys(spec.config ?? {}).map((key) => [key, { range, value: range }])),
      wrapped: spec.wrapped ? this.layerOf(spec.wrapped, index) : undefined,
    };
  }

  private push(spec: LayerSpec, inputs: string[]): string {
    const layer = this.layerOf(spec, this.layers.length);
    this.layers.push(layer);
    const id = `n${this.nodes.length}`;
    this.nodes.push({ id, layer: layer.id, inputs });
    return id;
  }

  add(spec: LayerSpec): string {
    this.last = this.push(spec, spec.from ?? [this.last]);
    return this.last;
  }

  build(): ModelGraph {
    return {
      name: this.name,
      line: 1,
      range: { start: 0, end: 0 },
      source: 'tfjs',
      layers: this.layers,
      nodes: this.nodes,
      inputs: ['n0'],
      outputs: [this.last],
      inputShape: this.inputShape,
    };
  }
}

/** A plain stack of layers on one input. */
export function sequential(name: string, inputShape: (number | null)[], specs: LayerSpec[]): ModelGraph {
  const b = new GraphBuilder(name, inputShape);
  for (const s of specs) b.add(s);
  return b.build();
}

export function dense(units: number, activation?: string, extra: Record<string, Value> = {}): LayerSpec {
  return { kind: 'dense', config: { units, ...(activation ? { activation } : {}), ...extra } };
}

export function repeat<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}
