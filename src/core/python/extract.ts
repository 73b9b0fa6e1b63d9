// The Python front end: PyTorch (nn.Module subclasses, nn.Sequential) and Keras (Sequential,
// functional, subclassed Model) models read from source into the model graph, without
// running it. Every class of the file that is a module and not built inside another, every
// module-level model value, and every argument-free function returning a model is a model.

import * as path from 'path';
import type { ExtractResult, GraphNode, ModelGraph, ModelSource, Problem, Range } from '../graph';
import { LineIndex } from '../text';
import { parsePython, type ClassDef, type Stmt } from './ast';
import { GraphContext } from './graphContext';
import { Interpreter } from './interpreter';
import { Library } from './library';
import { childModules, type ModuleInstance, type PyValue } from './values';
import { ProjectImports } from './projectImports';

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
    return readPython(file, text, prelude);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { file, models: [], problems: [{ message: `gradlint could not read this model file: ${message}`, range: { start: 0, end: 0 }, severity: 'error' }] };
  }
}

function readPython(file: string, text: string, prelude = ''): ExtractResult {
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
  interp.exec(tree.body.filter((s) => !isMainGuard(s)), interp.moduleScope);

  const candidates: Candidate[] = [];
  const covered = new Set<ClassDef>();
  for (const s of tree.body) {
    if (s.type === 'assign' && s.targets.length === 1 && s.targets[0].type === 'name') {
      const value = interp.moduleScope.get(s.targets[0].name);
      if (value?.t === 'module' && isModel(value.m)) {
        candidates.push({ name: s.targets[0].name, range: s.range, value, graph: value.m.functional ? moduleGraph : undefined });
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
  if (interp.exhausted) problems.push({ message: 'gradlint stopped following this file: it is too long or loops too much to read statically', range: { start: 0, end: 0 }, severity: 'info' });
  return { file, models, problems };
}

const isMainGuard = (s: Stmt): boolean =>
  s.type === 'if' && s.test.type === 'binary' && s.test.left.type === 'name' && s.test.left.name === '__name__';

function returnsSomething(body: Stmt[]): boolean {
  return body.some((s) => (s.type === 'return' && s.value !== undefined) || ((s.type === 'if' || s.type === 'block') && returnsSomething(s.body)));
}

function isModel(m: ModuleInstance): boolean {
  return m.shape === 'sequential' || m.shape === 'custom' || m.shape === 'leaf';
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
  m.path = m.className.startsWith('keras.') && /^\d+$/.test(path.split('.').pop() ?? '') ? undefined : path || undefined;
  if (m.shape === 'leaf') {
    interp.library.leafLayers(interp, m);
    return;
  }
  for (const [name, child] of childModules(m)) assignPaths(interp, child, path ? `${path}.${name}` : name, seen);
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
  const children = [...root.attrs.values()];
  const declared = children[0]?.t === 'tensor' ? children[0].shape : undefined;
  const input = graph.input('input', c.range, declared);
  const forwardParams = root.cls ? extraInputs(interp, root) : 0;
  const inputs: PyValue[] = [input];
  for (let i = 0; i < forwardParams; i++) inputs.push(graph.input(`input_${i + 2}`, c.range));
  const site = { type: 'call' as const, callee: { type: 'name' as const, name: c.name, range: c.range }, args: [], argsRange: c.range, range: c.range };
  let output: PyValue = interp.library.applyModule(interp, root, inputs, new Map(), site);
  let outputs = tensorsIn(output);
  if (!outputs.length || graph.nodes.length <= inputs.length) {
    // No forward to follow (or none that reads): the layers in registration order.
    graph.note(`${c.name}: the forward pass could not be followed; layers are chained in registration order`);
    output = input;
    for (const layer of graph.layers.filter((l) => l.kind !== 'input')) output = graph.apply(layer, [output]);
    outputs = tensorsIn(output);
  }
  return assemble(c, graph, inputs, outputs, keras ? 'keras' : sourceOf(root), lines);
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

function tensorsIn(v: PyValue): string[] {
  if (v.t === 'tensor') return [v.node];
  if (v.t === 'list') return v.items.flatMap(tensorsIn);
  if (v.t === 'dict') return [...v.entries.values()].flatMap(tensorsIn);
  return [];
}

function functionalModel(c: Candidate, lines: LineIndex): ModelGraph | undefined {
  const fn = c.value.t === 'module' ? c.value.m.functional : undefined;
  if (!fn || !c.graph) return undefined;
  return assemble(c, c.graph, fn.inputs, tensorsIn(fn.outputs), 'keras', lines);
}

/** The model: nodes that reach the outputs, in creation (topological) order, and their layers. */
function assemble(c: Candidate, graph: GraphContext, inputs: PyValue[], outputs: string[], source: ModelSource, lines: LineIndex): ModelGraph | undefined {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const needed = new Set<string>();
  const stack = [...outputs];
  while (stack.length) {
    const id = stack.pop() as string;
    if (needed.has(id)) continue;
    needed.add(id);
    stack.push(...(byId.get(id)?.inputs ?? []));
  }
  const inputIds = tensorsIn({ t: 'list', items: inputs }).filter((id) => needed.has(id));
  const nodes: GraphNode[] = graph.nodes.filter((n) => needed.has(n.id));
  const used = new Set(nodes.map((n) => n.layer));
  // Layers the forward never applies stay listed (their weights exist), after the used ones.
  const layers = graph.layers.filter((l) => l.kind !== 'input' || used.has(l.id));
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
  const shape = inputShape(graph, nodes, inputIds[0]);
  if (shape) model.inputShape = shape;
  if (graph.notes.length) model.notes = [...graph.notes];
  return model;
}

/** The input shape: declared on the input, else what the first weighted layer after it expects. */
function inputShape(graph: GraphContext, nodes: GraphNode[], input: string | undefined): (number | null)[] | undefined {
  if (!input) return undefined;
  const inputNode = nodes.find((n) => n.id === input);
  const declared = inputNode ? graph.inputShapes.get(inputNode.layer) : undefined;
  if (declared) return declared;
  const seen = new Set([input]);
  let frontier = [input];
  while (frontier.length) {
    const next: string[] = [];
    for (const n of nodes) {
      if (!n.inputs.some((i) => frontier.includes(i)) || seen.has(n.id)) continue;
      const shape = graph.inputShapes.get(n.layer);
      if (shape) return shape;
      seen.add(n.id);
      next.push(n.id);
    }
    frontier = next;
  }
  return undefined;
}
