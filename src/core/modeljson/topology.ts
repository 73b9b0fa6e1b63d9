// A serialised model config (`{class_name: Sequential | Model | Functional, config}`) →
// ModelGraph. Sequential configs are a chain; functional ones are wired by their
// `inbound_nodes` (Keras 2: `[[name, nodeIndex, tensorIndex, kwargs], ...]` per call;
// Keras 3: `{args, kwargs}` with `keras_history` tensors), which also express shared
// layers (several calls) and multi-output layers (tensor indices).

import type { Node } from 'jsonc-parser';
import type { GraphNode, Layer, ModelGraph, Value } from '../graph';
import { elements, isArray, isObject, member, properties, rangeOf, stringMember } from './json';
import { LayerNamer, problemAt, readLayer, writtenName, type BuildContext } from './layers';

const numberList = (v: Value | undefined): (number | null)[] | undefined =>
  Array.isArray(v) && v.every((d) => d === null || typeof d === 'number') ? (v as (number | null)[]) : undefined;

/** Input shape without the batch dimension, from an input layer's or a first layer's config. */
function shapeOf(config: Record<string, Value>): (number | null)[] | undefined {
  return (
    numberList(config.batchInputShape)?.slice(1) ??
    numberList(config.batchShape)?.slice(1) ??
    numberList(config.inputShape) ??
    (typeof config.inputDim === 'number' ? [config.inputDim] : undefined)
  );
}

/** Reads a model object; undefined (with problems) when it has no usable layers. */
export function readModel(node: Node, name: string, ctx: BuildContext): ModelGraph | undefined {
  const className = stringMember(node, 'className');
  const config = member(node, 'config');
  // Keras < 2.2.3 wrote a Sequential config as the bare list of layers.
  const layerList = isArray(config) ? config : member(config, 'layers');
  if (!isArray(layerList)) {
    problemAt(ctx, config ?? node, `The ${className} config has no layers list.`);
    return undefined;
  }
  const base = {
    name,
    line: ctx.index.lineOf(node.offset),
    range: rangeOf(node),
    source: 'model.json' as const,
  };
  const graph = className === 'Sequential' ? readSequential(elements(layerList), ctx) : readFunctional(config!, elements(layerList), ctx);
  if (!graph) return undefined;
  const model: ModelGraph = { ...base, ...graph };
  const firstInput = model.layers.find((l) => l.kind === 'input');
  const shape = model.inputs.length === 1 && firstInput ? shapeOf(firstInput.config) : undefined;
  if (shape) model.inputShape = shape;
  return model;
}

type Wiring = Pick<ModelGraph, 'layers' | 'nodes' | 'inputs' | 'outputs'>;

function readSequential(layerNodes: Node[], ctx: BuildContext): Wiring | undefined {
  const namer = new LayerNamer();
  const layers = uniqueLayers(layerNodes, namer, ctx);
  if (layers.length === 0) {
    problemAt(ctx, layerNodes[0] ?? { type: 'null', offset: 0, length: 0 }, 'This Sequential model has no readable layers.');
    return undefined;
  }
  if (layers[0].kind !== 'input') {
    // Keras builds the input layer from the first layer's shape and names it `<first>_input`.
    const first = layers[0];
    const shape = shapeOf(first.config) ?? first.model?.inputShape;
    const input: Layer = {
      id: `${first.id}_input`,
      name: `${first.name}_input`,
      kind: 'input',
      config: shape ? { batchInputShape: [null, ...shape] } : {},
      unknown: shape ? {} : { batchInputShape: 'the first layer gives no input shape' },
      line: first.line,
      range: first.range,
      props: {},
    };
    layers.unshift(input);
  }
  const nodes: GraphNode[] = layers.map((l, i) => ({ id: l.id, layer: l.id, inputs: i === 0 ? [] : [layers[i - 1].id] }));
  return { layers, nodes, inputs: [nodes[0].id], outputs: [nodes[nodes.length - 1].id] };
}

/** Reads every layer, renaming duplicates (with a problem) so ids stay unique. */
function uniqueLayers(layerNodes: Node[], namer: LayerNamer, ctx: BuildContext): Layer[] {
  const seen = new Set<string>();
  const layers: Layer[] = [];
  for (const node of layerNodes) {
    const layer = readLayer(node, undefined, namer, ctx);
    if (!layer) continue;
    if (seen.has(layer.id)) {
      problemAt(ctx, node, `Two layers are named '${layer.name}'; layer names must be unique within a model.`);
      layer.id = `${layer.id}@${layers.length}`;
    }
    seen.add(layer.id);
    layers.push(layer);
  }
  return layers;
}

/** A reference to one output of one call of a layer, where it is written. */
interface TensorRef {
  layer: string;
  call: number;
  tensor: number;
  node: Node;
}

/** `[name, nodeIndex, tensorIndex, ...]`, or undefined when the array is not one. */
function refFromTriple(node: Node): TensorRef | undefined {
  const [name, call, tensor] = elements(node);
  if (name?.type !== 'string') return undefined;
  const index = (n: Node | undefined) => (n?.type === 'number' && Number.isInteger(n.value) ? (n.value as number) : 0);
  return { layer: name.value as string, call: index(call), tensor: index(tensor), node };
}

/** Keras 3: every `keras_history` triple inside a call's `args`, in order. */
function kerasHistoryRefs(node: Node, out: TensorRef[]): void {
  const history = member(node, 'kerasHistory');
  const ref = history && refFromTriple(history);
  if (ref) {
    out.push({ ...ref, node });
    return;
  }
  for (const child of isObject(node) ? (node.children ?? []).map((p) => p.children?.[1]) : elements(node)) {
    if (child) kerasHistoryRefs(child, out);
  }
}

/**
 * The tensors one call (one entry of `inbound_nodes`) consumes. Keras 2 puts a call's
 * tensor keyword arguments in the fourth slot (TFOpLambda's `{y: [name, 0, 0]}`): those
 * that name a layer of the model are inputs too.
 */
function callInputs(call: Node, isLayer: (name: string) => boolean): TensorRef[] {
  const refs: TensorRef[] = [];
  if (isObject(call)) {
    kerasHistoryRefs(member(call, 'args') ?? call, refs);
    return refs;
  }
  for (const item of elements(call)) {
    const ref = refFromTriple(item);
    if (!ref) continue;
    refs.push(ref);
    for (const p of properties(elements(item)[3])) {
      const kwarg = refFromTriple(p.children![1]);
      if (kwarg && isLayer(kwarg.layer)) refs.push(kwarg);
    }
  }
  return refs;
}

/** `input_layers` / `output_layers`: a list of triples, or (Keras 3, one tensor) a bare triple. */
function endpointRefs(node: Node | undefined): TensorRef[] {
  if (!isArray(node)) return [];
  const single = refFromTriple(node);
  if (single && elements(node)[0].type === 'string') return [single];
  return elements(node).flatMap((item) => refFromTriple(item) ?? []);
}

/**
 * The node index of a nested model's first call. tfjs and Keras number a nested model's calls
 * from 1 (node 0 is the one it made for itself when built on its own input), so a functional
 * model calling a Sequential refers to `[name, 1, 0]`. Files numbering them from 0 (by hand,
 * older writers) are read as written: the offset applies only when no reference uses 0.
 */
function nestedModelFirstCalls(layers: Layer[], refs: TensorRef[]): Map<string, number> {
  const nested = new Set(layers.filter((l) => l.kind === 'model').map((l) => l.name));
  const lowest = new Map<string, number>();
  for (const ref of refs) if (nested.has(ref.layer)) lowest.set(ref.layer, Math.min(lowest.get(ref.layer) ?? Infinity, ref.call));
  return new Map([...lowest].map(([name, low]) => [name, low >= 1 ? 1 : 0]));
}

const callId = (layer: string, call: number): string => (call === 0 ? layer : `${layer}@${call}`);

function readFunctional(config: Node, layerNodes: Node[], ctx: BuildContext): Wiring | undefined {
  const namer = new LayerNamer();
  const layers = uniqueLayers(layerNodes, namer, ctx);
  const byName = new Map(layers.map((l) => [l.name, l]));
  /** Each layer's calls: the tensors each consumes. */
  const calls = new Map<string, TensorRef[][]>();
  layerNodes.forEach((node) => {
    const name = writtenName(node);
    const layer = name === undefined ? undefined : byName.get(name);
    if (!layer) return;
    const inbound = elements(member(node, 'inboundNodes')).map((call) => callInputs(call, (n) => byName.has(n)));
    calls.set(layer.id, layer.kind === 'input' && inbound.length === 0 ? [[]] : inbound);
  });

  const nodes = new Map<string, GraphNode>();
  const order: string[] = [];
  for (const layer of layers) {
    (calls.get(layer.id) ?? []).forEach((_refs, call) => {
      const id = callId(layer.id, call);
      nodes.set(id, { id, layer: layer.id, inputs: [] });
      order.push(id);
    });
  }
  const inputRefs = endpointRefs(member(config, 'inputLayers'));
  const outputRefs = endpointRefs(member(config, 'outputLayers'));
  const firstCall = nestedModelFirstCalls(layers, [...calls.values()].flat(2).concat(inputRefs, outputRefs));
  /** The node a reference stands for; multi-output tensors other than 0 get their own node. */
  const resolve = (ref: TensorRef): string | undefined => {
    const layer = byName.get(ref.layer);
    const base = layer && nodes.get(callId(layer.id, ref.call - (firstCall.get(layer.name) ?? 0)));
    if (!layer || !base) {
      const what = layer ? `call ${ref.call} of layer '${ref.layer}', which is called ${calls.get(layer.id)?.length ?? 0} times` : `a layer '${ref.layer}' that is not in the model`;
      problemAt(ctx, ref.node, `This refers to ${what}.`);
      return undefined;
    }
    if (ref.tensor === 0) return base.id;
    const id = `${base.id}:${ref.tensor}`;
    if (!nodes.has(id)) {
      nodes.set(id, { id, layer: layer.id, inputs: base.inputs, outputIndex: ref.tensor });
      order.splice(order.indexOf(base.id) + 1, 0, id);
    }
    return id;
  };
  for (const layer of layers) {
    (calls.get(layer.id) ?? []).forEach((refs, call) => {
      // Output-index nodes share this array, so it is filled in place.
      nodes.get(callId(layer.id, call))!.inputs.push(...refs.flatMap((r) => resolve(r) ?? []));
    });
  }

  const inputs = inputRefs.length
    ? inputRefs.flatMap((r) => resolve(r) ?? [])
    : order.filter((id) => layers.find((l) => l.id === nodes.get(id)!.layer)?.kind === 'input');
  let outputs = outputRefs.flatMap((r) => resolve(r) ?? []);
  if (outputRefs.length === 0) {
    problemAt(ctx, config, 'This model config has no output_layers; its unconsumed layers are taken as its outputs.', 'warning');
    const consumed = new Set([...nodes.values()].flatMap((n) => n.inputs));
    outputs = order.filter((id) => !consumed.has(id));
  }
  const sorted = topologicalOrder(order, nodes, ctx, config);
  if (!sorted) return undefined;
  return { layers, nodes: sorted, inputs, outputs };
}

/** Nodes with every input before them, keeping the file's order where it already is; undefined on a cycle. */
function topologicalOrder(order: string[], nodes: Map<string, GraphNode>, ctx: BuildContext, at: Node): GraphNode[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const sorted: GraphNode[] = [];
  let cycle: string | undefined;
  const visit = (id: string): void => {
    if (cycle !== undefined || state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      cycle = id;
      return;
    }
    state.set(id, 'visiting');
    const node = nodes.get(id)!;
    for (const input of node.inputs) visit(input);
    state.set(id, 'done');
    sorted.push(node);
  };
  for (const id of order) visit(id);
  if (cycle !== undefined) {
    problemAt(ctx, at, `The layers' inbound_nodes form a cycle through '${nodes.get(cycle)!.layer}'.`);
    return undefined;
  }
  return sorted;
}
