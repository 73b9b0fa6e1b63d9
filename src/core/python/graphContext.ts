// The layers and nodes one model's code creates while the interpreter follows it: module
// layers by their PyTorch path, functional operations by call site, and the nodes applying them.

import type { GraphNode, Layer, PropSource, Range, Value } from '../graph';
import { charge, LAYER_UNITS } from '../budget';
import { applyLayerDefaults } from '../layerDefaults';
import type { LineIndex } from '../text';
import type { ModuleInstance, PyValue } from './values';

export interface LayerInit {
  kind: string;
  name: string;
  config: Record<string, Value>;
  unknown?: Record<string, string>;
  range: Range;
  props?: Record<string, PropSource>;
  configRange?: Range;
  note?: string;
  /** Input shape (no batch) this layer expects when it is the first: the model's input shape. */
  inputShape?: (number | null)[];
}

/** Layer applications one model's forward may make: 10 times the deepest real model (the YAML front end's cap too); 50,000 took 5 s to lint. */
export const MAX_NODES = 10_000;

export class GraphContext {
  readonly layers: Layer[] = [];
  readonly nodes: GraphNode[] = [];
  readonly notes: string[] = [];
  // The maps are made on first use: the interpreter makes a graph for every model it builds,
  // and a PyTorch constructor puts nothing in it (its layers are made when the model is traced).
  private inputShapesMap?: Map<string, (number | null)[]>;
  private adaptiveMap?: Map<string, number>;
  private moduleLayersMap?: Map<ModuleInstance, Layer[] | null>;
  private suffixesMap?: Map<string, number>;
  private byKeyMap?: Map<string, Layer>;
  private byIdMap?: Map<string, Layer>;
  private nodeCount = 0;
  /** Set when the forward applied more than MAX_NODES layers: the rest passed its input through. */
  truncated = false;

  constructor(private readonly lines: LineIndex) {}

  /** Input shapes (no batch) of the layers that state one, by layer id. */
  get inputShapes(): Map<string, (number | null)[]> {
    return (this.inputShapesMap ??= new Map());
  }

  /** Adaptive pooling layers to a size other than 1, by layer id: that size. */
  get adaptive(): Map<string, number> {
    return (this.adaptiveMap ??= new Map());
  }

  /** The layers made for each leaf module applied in this graph (null: an identity). */
  get moduleLayers(): Map<ModuleInstance, Layer[] | null> {
    return (this.moduleLayersMap ??= new Map());
  }

  /** The next suffix to try per base name (a file of many `relu`s stays linear). */
  private get suffixes(): Map<string, number> {
    return (this.suffixesMap ??= new Map());
  }

  private get byKey(): Map<string, Layer> {
    return (this.byKeyMap ??= new Map());
  }

  private get byId(): Map<string, Layer> {
    return (this.byIdMap ??= new Map());
  }

  /** A name no layer has yet (a layer's name is its id). */
  private uniqueName(base: string): string {
    // Most names are free. Names are never given back, so a free one has no suffix counted yet.
    if (!this.byId.has(base)) return base;
    let name = base;
    let i = this.suffixes.get(base) ?? 2;
    while (this.byId.has(name)) name = `${base}_${i++}`;
    this.suffixes.set(base, i);
    return name;
  }

  /** The first of `base`, `base_1`, `base_2`, … that no layer has (Keras's automatic names). */
  firstFreeName(base: string): string {
    if (!this.byId.has(base)) return base;
    let i = this.suffixes.get(`keras:${base}`) ?? 1;
    while (this.byId.has(`${base}_${i}`)) i++;
    this.suffixes.set(`keras:${base}`, i);
    return `${base}_${i}`;
  }

  /** A layer, made once per key (a call site in one module's forward, an input). */
  layer(key: string, init: LayerInit): Layer {
    const known = this.byKey.get(key);
    if (known) return known;
    const layer = this.newLayer(init);
    this.byKey.set(key, layer);
    return layer;
  }

  /** A layer its caller makes only once (a leaf module's: Library.leafLayers keeps them per module). */
  newLayer(init: LayerInit): Layer {
    charge(LAYER_UNITS);
    const name = this.uniqueName(init.name);
    const layer: Layer = {
      id: name,
      name,
      kind: init.kind,
      config: init.kind === 'opaque' || init.kind === 'input' ? init.config : applyLayerDefaults(init.kind, init.config),
      unknown: init.unknown ?? {},
      line: this.lines.positionAt(init.range.start).line + 1,
      range: init.range,
      props: init.props ?? {},
    };
    if (init.configRange) layer.configRange = init.configRange;
    if (init.note) layer.note = init.note;
    if (init.inputShape) this.inputShapes.set(layer.id, init.inputShape);
    this.layers.push(layer);
    this.byId.set(layer.id, layer);
    return layer;
  }

  /** Applies a layer to tensors: a new node. */
  apply(layer: Layer, inputs: PyValue[]): PyValue {
    charge(1);
    // Made at its length: nodes live for the whole lint, and an array grown by push from empty keeps room for 16.
    let count = 0;
    for (const v of inputs) if (v.t === 'tensor') count++;
    const ins = new Array<string>(count);
    count = 0;
    for (const v of inputs) if (v.t === 'tensor') ins[count++] = v.node;
    if (this.nodeCount >= MAX_NODES && ins.length) {
      this.truncated = true;
      return inputs.find((v) => v.t === 'tensor') as PyValue;
    }
    const id = `n${++this.nodeCount}`;
    this.nodes.push({ id, layer: layer.id, inputs: ins });
    return { t: 'tensor', node: id };
  }

  /** A model input node. */
  input(name: string, range: Range, shape?: (number | null)[]): PyValue {
    const config: Record<string, Value> = shape ? { batchInputShape: [null, ...shape] } : {};
    const layer = this.layer(`input:${name}:${range.start}`, { kind: 'input', name, config, range });
    if (shape) this.inputShapes.set(layer.id, shape);
    const node = this.apply(layer, []);
    return shape && node.t === 'tensor' ? { ...node, shape } : node;
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  layerById(id: string): Layer | undefined {
    return this.byId.get(id);
  }

  /** The node of an id: ids count up from `n1` in creation order (apply), so the id gives its place. */
  nodeById(id: string): GraphNode | undefined {
    const node = this.nodes[Number(id.slice(1)) - 1];
    return node?.id === id ? node : undefined;
  }
}
