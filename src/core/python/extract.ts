// The Python front end: PyTorch (nn.Module subclasses, nn.Sequential) and Keras (Sequential,
// functional, subclassed Model) models read from source into the model graph, without
// running it. Every class of the file that is a module and not built inside another, every
// module-level model value, and every argument-free function returning a model is a model.

import * as path from 'path';
import type { ExtractResult, GraphNode, ModelGraph, ModelSource, Problem, Range } from '../graph';
import { LineIndex } from '../text';
import { chargeTokens, isBudgetExhausted } from '../budget';
import { applyLayerDefaults } from '../layerDefaults';
import { parsePython, type ClassDef, type Stmt } from './ast';
import { GraphContext, MAX_NODES } from './graphContext';
import { Interpreter } from './interpreter';
import { Library } from './library';
import { lastName, type ModuleInstance, type PyValue } from './values';
import { ProjectImports } from './projectImports';
import { countParameters } from './parameters';
import { MAX_BRACKET_DEPTH, scanText } from './nesting';
import { leastImageSize } from './leastImageSize';
import { flattenedSize } from './flattenedSize';

interface Candidate {
  name: string;
  range: Range;
  value: PyValue;
  /** The graph a Keras functional model was built in. */
  graph?: GraphContext;
}

const MODULE_BASES = /^(torch\.nn\.(Module|Sequential|ModuleList)|keras\.(Model|Sequential|layers\.Layer|models\.Model))$/;

export function extractPython(file: string, text: string, prelude?: string): ExtractResult {
  try {
    const { tokens, tooDeep } = scanText(text);
    chargeTokens(tokens);
    return readPython(file, text, tooDeep, prelude);
  } catch (err) {
    // The budget running out is reported by extractModels for the whole file.
    if (isBudgetExhausted(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    return { file, models: [], problems: [{ message: `gradlint could not read this model file: ${message}`, range: { start: 0, end: 0 }, severity: 'error', code: 'internal-error' }] };
  }
}

function readPython(file: string, text: string, tooDeep: number | undefined, prelude = ''): ExtractResult {
  if (tooDeep !== undefined) {
    const message = `Syntax error: brackets nested more than ${MAX_BRACKET_DEPTH} deep, which Python refuses to parse; the file's models are not read`;
    return { file, models: [], problems: [{ message, range: { start: tooDeep, end: tooDeep + 1 }, severity: 'error' }] };
  }
  const tree = parsePython(text);
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const firstError = tree.errors.sort((a, b) => a.start - b.start)[0];
  if (firstError) {
    const start = Math.min(firstError.start, Math.max(text.length - 1, 0));
    problems.push({ message: 'Syntax error: Python that does not parse here; models are read up to it and around it', range: { start, end: Math.min(start + 1, text.length) }, severity: 'error' });
  }
  // Cheap exit: a file without any framework in it has no models.
  if (!/\b(torch|nn\.|keras|tensorflow)\b/.test(prelude + text)) return { file, models: [], problems };
  const interp = new Interpreter(new Library(), () => new GraphContext(lines));
  const moduleGraph = interp.graph;
  interp.hostLength = text.length;
  // The prelude's ranges lie past this text: its classes' layers sit on the calls here.
  const project = new ProjectImports(interp, path.resolve(file), text.length + prelude.length + 1);
  interp.importer = (module, name) => project.resolve(module, name);
  if (prelude) interp.exec(parsePython(prelude, text.length + 1).body.filter((s) => !isMainGuard(s)), interp.moduleScope);
  // Each top-level assignment's value as it binds it: a notebook-style script rebinds `model`
  // to one model after another, and its last value may be no model at all (`load_model(...)`).
  const bound = new Map<Stmt, PyValue>();
  for (const s of tree.body) {
    if (isMainGuard(s)) continue;
    interp.exec([s], interp.moduleScope);
    const name = nameAssigned(s);
    const value = name === undefined ? undefined : interp.moduleScope.get(name);
    if (value) bound.set(s, value);
  }

  const candidates: Candidate[] = [];
  const covered = new Set<ClassDef>();
  for (const s of tree.body) {
    const name = nameAssigned(s);
    if (name !== undefined) {
      const value = bound.get(s);
      if (value?.t === 'module' && isModel(value.m)) {
        candidates.push({ name, range: s.range, value, graph: value.m.functional ? moduleGraph : undefined });
        if (value.m.cls) covered.add(value.m.cls);
      }
    }
    if (s.type === 'def' && s.params.every((p) => p.default || p.star) && !s.name.startsWith('_') && returnsSomething(s.body)) {
      const fn = interp.moduleScope.get(s.name);
      if (fn?.t !== 'func' || interp.exhausted) continue;
      interp.graph = new GraphContext(lines);
      const value = interp.building_(() => interp.callFunction(fn, [], new Map()));
      if (value.t === 'module' && isModel(value.m)) {
        candidates.push({ name: s.name, range: s.range, value, graph: value.m.functional ? interp.graph : undefined });
        if (value.m.cls) covered.add(value.m.cls);
      }
    }
  }
  for (const s of tree.body) {
    if (s.type !== 'class' || covered.has(s) || interp.nested.has(s) || !isModuleClass(interp, s) || interp.exhausted) continue;
    const cls = interp.moduleScope.get(s.name);
    if (cls?.t !== 'class') continue;
    interp.graph = new GraphContext(lines);
    const site = { type: 'call' as const, callee: { type: 'name' as const, name: s.name, range: s.nameRange }, args: [], argsRange: s.nameRange, range: s.nameRange };
    const value = interp.instantiate(cls, [], new Map(), site);
    candidates.push({ name: s.name, range: { start: s.range.start, end: s.nameRange.end }, value });
  }
  const models: ModelGraph[] = [];
  for (const c of candidates) {
    if (c.value.t === 'module' && c.value.m.cls && interp.nested.has(c.value.m.cls) && !c.graph && c.name === c.value.m.cls.name) continue;
    const model = c.graph ? functionalModel(c, lines) : traceModel(interp, c, lines);
    if (model) models.push(model);
  }
  problems.push(...interp.problems);
  if (interp.exhausted) problems.push({ message: 'gradlint stopped following this file: it is too long or loops too much to read statically', range: { start: 0, end: 0 }, severity: 'info' });
  return { file, models, problems };
}

/** The name a one-target assignment `name = ...` binds. */
const nameAssigned = (s: Stmt): string | undefined =>
  s.type === 'assign' && s.targets.length === 1 && s.targets[0].type === 'name' ? s.targets[0].name : undefined;

const isMainGuard = (s: Stmt): boolean =>
  s.type === 'if' && s.test.type === 'binary' && s.test.left.type === 'name' && s.test.left.name === '__name__';

function returnsSomething(body: Stmt[]): boolean {
  return body.some((s) => (s.type === 'return' && s.value !== undefined) || ((s.type === 'if' || s.type === 'block') && returnsSomething(s.body)));
}

function isModel(m: ModuleInstance): boolean {
  // `criterion = nn.BCELoss()` is a loss module, no model: it has no weights to train.
  if (m.shape === 'leaf') return !/^torch\.nn\.\w+Loss$/.test(m.className);
  return m.shape === 'sequential' || m.shape === 'custom';
}

/** A class deriving (through the file's classes) from nn.Module, keras.Model or keras.layers.Layer. */
function isModuleClass(interp: Interpreter, def: ClassDef, depth = 0): boolean {
  if (depth > 8) return false;
  return def.bases.some((b) => {
    const v = interp.eval(b, interp.moduleScope);
    if (v.t === 'ref') return MODULE_BASES.test(v.path);
    return v.t === 'class' && isModuleClass(interp, v.def, depth + 1);
  });
}

/** Gives every module its PyTorch path and makes the leaves' layers in registration order. */
function assignPaths(interp: Interpreter, m: ModuleInstance, path: string, seen: Set<ModuleInstance>): void {
  if (seen.has(m)) return;
  seen.add(m);
  // Keras layers keep Keras's names (dense, dense_2, ...): their index in a Sequential is no name.
  m.path = m.className.startsWith('keras.') && /^\d+$/.test(lastName(path)) ? undefined : path || undefined;
  if (m.shape === 'leaf') {
    interp.library.leafLayers(interp, m);
    return;
  }
  // A subclass of a torch.nn layer: the layer it applies goes by the module's own name.
  if (m.torchBase) assignPaths(interp, m.torchBase, path, seen);
  // Submodules in registration order (childModules, without collecting them first).
  for (const [name, child] of m.attrs) if (child.t === 'module') assignPaths(interp, child.m, path ? `${path}.${name}` : name, seen);
}

function sourceOf(m: ModuleInstance): ModelSource {
  if (m.className.startsWith('keras.')) return 'keras';
  return m.cls && /keras|tensorflow/.test(m.className) ? 'keras' : 'pytorch';
}

function traceModel(interp: Interpreter, c: Candidate, lines: LineIndex): ModelGraph | undefined {
  if (c.value.t !== 'module') return undefined;
  const root = c.value.m;
  const graph = new GraphContext(lines);
  interp.graph = graph;
  assignPaths(interp, root, '', new Set());
  const keras = root.className.startsWith('keras.') || (root.cls ? usesKeras(interp, root.cls) : false);
  // Keras Sequential: an Input first, or input_shape on the first layer.
  const first: PyValue | undefined = root.attrs.values().next().value;
  const declared = first?.t === 'tensor' ? first.shape : undefined;
  const input = graph.input('input', c.range, declared);
  const forwardParams = root.cls ? extraInputs(interp, root) : 0;
  const inputs: PyValue[] = [input];
  for (let i = 0; i < forwardParams; i++) inputs.push(graph.input(`input_${i + 2}`, c.range));
  const site = { type: 'call' as const, callee: { type: 'name' as const, name: c.name, range: c.range }, args: [], argsRange: c.range, range: c.range };
  const outputs = tensorsIn(interp.library.applyModule(interp, root, inputs, new Map(), site));
  if (graph.truncated) {
    interp.problems.push({ message: `${c.name}: the forward pass applies more than ${MAX_NODES} layers, far beyond any real model; the layers after that are not analysed`, range: c.range, severity: 'warning' });
  }
  const source = keras ? 'keras' : sourceOf(root);
  let model = outputs.length && graph.nodes.length > inputs.length ? assemble(c, graph, inputs, outputs, source, lines) : undefined;
  if (!model) {
    // No forward to follow, or one whose outputs reach none of the layers: the layers in registration order.
    graph.note(`${c.name}: the forward pass could not be followed; layers are chained in registration order`);
    let output: PyValue = input;
    for (const layer of graph.layers.filter((l) => l.kind !== 'input')) output = graph.apply(layer, [output]);
    model = assemble(c, graph, inputs, tensorsIn(output), source, lines);
  }
  const counted = model?.source === 'pytorch' ? countParameters(root) : undefined;
  if (model && counted && 'count' in counted) model.params = counted.count;
  return model;
}

function usesKeras(interp: Interpreter, def: ClassDef, depth = 0): boolean {
  if (depth > 8) return false;
  return def.bases.some((b) => {
    const v = interp.eval(b, interp.moduleScope);
    return (v.t === 'ref' && v.path.startsWith('keras.')) || (v.t === 'class' && usesKeras(interp, v.def, depth + 1));
  });
}

/** Required forward/call parameters after the first: further model inputs. */
function extraInputs(interp: Interpreter, m: ModuleInstance): number {
  if (!m.cls) return 0;
  const f = interp.classMember(m.cls, m.classScope, 'forward') ?? interp.classMember(m.cls, m.classScope, 'call');
  if (f?.t !== 'func') return 0;
  return Math.max(0, f.def.params.filter((p) => !p.default && !p.star).length - 2);
}

/** The nodes of the tensors in a value, in order (into `out`). */
function tensorsIn(v: PyValue, out: string[] = []): string[] {
  if (v.t === 'tensor') out.push(v.node);
  else if (v.t === 'list') for (const item of v.items) tensorsIn(item, out);
  else if (v.t === 'dict') for (const item of v.entries.values()) tensorsIn(item, out);
  return out;
}

function functionalModel(c: Candidate, lines: LineIndex): ModelGraph | undefined {
  const fn = c.value.t === 'module' ? c.value.m.functional : undefined;
  if (!fn || !c.graph) return undefined;
  // Only the layers between its inputs and outputs: other models of the file share the graph.
  return assemble(c, c.graph, fn.inputs, tensorsIn(fn.outputs), 'keras', lines, false);
}

/** The model: nodes that reach the outputs, in creation (topological) order, and their layers. */
function assemble(c: Candidate, graph: GraphContext, inputs: PyValue[], outputs: string[], source: ModelSource, lines: LineIndex, keepUnused = true): ModelGraph | undefined {
  const needed = new Set<string>();
  const stack = [...outputs];
  while (stack.length) {
    const id = stack.pop() as string;
    if (needed.has(id)) continue;
    needed.add(id);
    const from = graph.nodeById(id)?.inputs;
    if (from) for (const input of from) stack.push(input);
  }
  const inputIds = tensorsIn({ t: 'list', items: inputs }).filter((id) => needed.has(id));
  const nodes: GraphNode[] = [];
  const used = new Set<string>();
  for (const n of graph.nodes) {
    if (!needed.has(n.id)) continue;
    nodes.push(n);
    used.add(n.layer);
  }
  // Layers the forward never applies stay listed (their weights exist), after the used ones.
  const layers = graph.layers.filter((l) => used.has(l.id) || (keepUnused && l.kind !== 'input'));
  if (!nodes.some((n) => graph.layerById(n.layer)?.kind !== 'input')) return undefined;
  const model: ModelGraph = {
    name: c.name,
    line: lines.positionAt(c.range.start).line + 1,
    range: c.range,
    source,
    layers,
    nodes,
    inputs: inputIds,
    outputs: [...new Set(outputs)],
  };
  const shape = sequenceWhereNeeded(graph, nodes, inputShape(graph, nodes, inputIds[0]));
  if (shape) model.inputShape = imageSize(graph, nodes, shape);
  if (graph.notes.length) model.notes = [...graph.notes];
  return model;
}

/** How much a layer shrinks the image it is applied to (a transposed convolution or upsampling grows it). */
function strideOf(layer: { kind: string; config: Record<string, unknown> }): number {
  const value = layer.config.strides ?? layer.config.size;
  const s = Array.isArray(value) ? Math.max(...value.map(Number)) : typeof value === 'number' ? value : 1;
  if (!(s > 0)) return 1;
  if (/Transpose$|^upSampling/.test(layer.kind)) return 1 / s;
  return /^(conv|maxPooling|averagePooling|depthwiseConv|separableConv)/.test(layer.kind) ? s : 1;
}

/** Image sizes tried for adaptive pooling before giving up on fitting it. */
const MAX_SIZE_SEARCH = 4096;

/**
 * PyTorch code never states an image's height and width. Where the input is an image of
 * unknown size, take twice the model's total stride (at least 16, the contract's size for
 * unknown dimensions), as the YOLO front end sizes its inputs: a VGG or ResNet downsamples
 * by 32, and a 16-pixel image would shrink to nothing inside it. Larger where a layer would
 * still have no output (DCGAN's last 4×4 convolution without padding wants 64 pixels).
 * Estimate and probe both read this shape; a note says so.
 */
function imageSize(graph: GraphContext, nodes: GraphNode[], shape: (number | null)[]): (number | null)[] {
  const spatial = shape.length >= 3 ? shape.slice(0, -1) : [];
  if (!spatial.some((d) => d === null)) return shape;
  const factors = () => {
    const factor = new Map<string, number>();
    for (const n of nodes) {
      const layer = graph.layerById(n.layer);
      factor.set(n.id, Math.max(1, ...n.inputs.map((i) => factor.get(i) ?? 1)) * (layer ? strideOf(layer) : 1));
    }
    return factor;
  };
  const factor = factors();
  const total = Math.max(1, ...factor.values());
  let size = Math.max(16, 2 ** Math.ceil(Math.log2(2 * total)));
  let why = `twice the model's total stride ${total}, at least 16`;
  const least = leastImageSize(nodes, (id) => graph.layerById(id));
  const factorValues = [...factor.values()];
  if (factorValues.some((f) => f < 1) && !factorValues.some((f) => f > 1)) {
    // Only upsampling: a generator's latent image (DCGAN's 1×1), as small as its layers allow.
    size = least;
    why = 'the least size that leaves every layer an output: the model only upsamples';
  } else if (least > size && least <= MAX_SIZE_SEARCH) {
    // Bounded as the adaptive-pooling search: a kernel no real model has leaves the guess alone.
    size = 2 ** Math.ceil(Math.log2(least));
    why = `the least size, ${least}, that leaves every layer an output, to a power of 2`;
  }
  // A Linear after a flatten states the features it takes: the side that gives them (32 for the CIFAR tutorial).
  const stated = graph.adaptive.size ? undefined : flattenedSize(nodes, (id) => graph.layerById(id), (id) => graph.inputShapes.get(id)?.[0] ?? undefined);
  if (stated && stated.side >= least) {
    size = stated.side;
    why = `so that ${stated.linear}'s ${stated.features} input features meet what the layers before it flatten to`;
  }
  // Adaptive pooling to k×k wants an image there of a multiple (or a divisor) of k pixels: 224 for VGG.
  for (const n of nodes) {
    const k = graph.adaptive.get(n.layer);
    if (!k) continue;
    const f = Math.max(1, ...n.inputs.map((i) => factor.get(i) ?? 1));
    let at = Math.max(1, Math.floor(size / f));
    // Bounded: past it (a pooling size no real model uses) the pooling is read as global pooling.
    for (let tries = 0; at % k !== 0 && k % at !== 0 && tries < MAX_SIZE_SEARCH; tries++) at++;
    if ((at % k === 0 || k % at === 0) && at * f > size) {
      size = at * f;
      why = `so that adaptive pooling to ${k} meets ${at} pixels`;
    }
  }
  graph.note(`input height and width are not in the source: taken as ${size} (${why})`);
  resolveAdaptivePooling(graph, nodes, factor, size);
  return [...spatial.map((d) => d ?? size), shape[shape.length - 1]];
}

/**
 * Adaptive pooling to k×k (VGG's AdaptiveAvgPool2d((7, 7))) once the image size is known: a
 * pooling of (size / k) where the image is larger, nearest upsampling where it is smaller,
 * so the layers after it see the k·k·C features the code's Linear expects.
 */
function resolveAdaptivePooling(graph: GraphContext, nodes: GraphNode[], factor: Map<string, number>, size: number): void {
  for (const n of nodes) {
    const layer = graph.layerById(n.layer);
    const k = layer ? graph.adaptive.get(layer.id) : undefined;
    if (!layer || !k) continue;
    const inSize = Math.floor(size / Math.max(1, ...n.inputs.map((i) => factor.get(i) ?? 1)));
    const max = layer.kind.includes('Max');
    if (inSize >= k && inSize % k === 0) {
      const p = inSize / k;
      Object.assign(layer, { kind: max ? 'maxPooling2d' : 'averagePooling2d', config: applyLayerDefaults(max ? 'maxPooling2d' : 'averagePooling2d', { poolSize: [p, p], strides: [p, p], padding: 0 }) });
    } else if (inSize > 0 && k % inSize === 0) {
      Object.assign(layer, { kind: 'upSampling2d', config: applyLayerDefaults('upSampling2d', { size: [k / inSize, k / inSize], interpolation: 'nearest' }) });
    } else {
      layer.note = `adaptive pooling from ${inSize} to ${k} pixels read as global pooling.`;
    }
  }
}

/** Layers that read a sequence (positions × features): attention mixes positions, recurrences walk them. */
const SEQUENCE_KINDS = new Set(['attention', 'lstm', 'gru', 'simpleRNN']);

/**
 * A model whose first Linear expects `d` features but that attends over (or recurs along)
 * positions takes sequences of `d`-vectors: PyTorch's nn.MultiheadAttention wants (N, L, E).
 * Their length is unknown (the contract's 16).
 */
function sequenceWhereNeeded(graph: GraphContext, nodes: GraphNode[], shape: (number | null)[] | undefined): (number | null)[] | undefined {
  if (!shape || shape.length !== 1) return shape;
  const kinds = new Set(nodes.map((n) => graph.layerById(n.layer)?.kind));
  // Token indices for an embedding are already a sequence.
  const sequential = !kinds.has('embedding') && [...SEQUENCE_KINDS].some((k) => kinds.has(k));
  return sequential ? [null, ...shape] : shape;
}

/** The input shape: declared on the input, else what the first weighted layer after it expects. */
function inputShape(graph: GraphContext, nodes: GraphNode[], input: string | undefined): (number | null)[] | undefined {
  if (!input) return undefined;
  const inputNode = nodes.find((n) => n.id === input);
  const declared = inputNode ? graph.inputShapes.get(inputNode.layer) : undefined;
  if (declared) return declared;
  // The nearest to the input (in layers), the first created among equals. Nodes come in creation
  // order, which is topological: one pass gives each its distance (linear: a forward of 10,000 layers).
  const distance = new Map<string, number>([[input, 0]]);
  let nearest: { distance: number; shape: (number | null)[] } | undefined;
  let nearestRank: { distance: number; rank: number } | undefined;
  for (const n of nodes) {
    if (n.id === input) continue;
    let d = Infinity;
    for (const i of n.inputs) d = Math.min(d, (distance.get(i) ?? Infinity) + 1);
    if (d === Infinity) continue;
    distance.set(n.id, d);
    const shape = graph.inputShapes.get(n.layer);
    if (shape && (!nearest || d < nearest.distance)) nearest = { distance: d, shape };
    const rank = shape ? undefined : spatialRank(graph.layerById(n.layer)?.kind);
    if (rank !== undefined && (!nearestRank || d < nearestRank.distance)) nearestRank = { distance: d, rank };
  }
  if (nearest) return nearest.shape;
  // Keras's Conv2D states no input channels, yet takes images: the rank at least, of the nearest layer that says it.
  return nearestRank === undefined ? undefined : new Array<null>(nearestRank.rank + 1).fill(null);
}

/** How many spatial axes a layer's input has, where its kind says (`conv2d`, `maxPooling1d`, `cropping2D`). */
function spatialRank(kind: string | undefined): number | undefined {
  const axes = kind && /([123])d$/i.exec(kind);
  return axes ? Number(axes[1]) : undefined;
}
