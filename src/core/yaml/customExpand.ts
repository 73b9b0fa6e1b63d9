// A YAML row whose module is a class of the project's own Python: the class is instantiated
// by the Python front end (read, never run) with the arguments the project's parse_model
// would pass it, and its layers become the row's inner layers. Its parse_model's module sets
// decide the arguments: a base module gets [c1, c2 scaled, *args[1:]] (a repeat module the
// repeats too), any other the arguments as written, its output channels those of its input.

import * as path from 'path';
import type { Layer, ModelGraph, Value } from '../graph';
import { extractPython } from '../python/extract';
import type { GraphBuilder, Tensor } from './builder';
import type { ModuleLocation, ProjectModules } from './customModules';
import type { ModuleInfo } from './modules';

/** The file a synthetic import sits in and the module it imports the class from. */
function importSite(loc: ModuleLocation): { file: string; module: string } {
  const dir = path.dirname(loc.file);
  const base = path.basename(loc.file, '.py');
  // A package's __init__.py is imported by the package's name from the folder above.
  return base === '__init__' ? { file: path.join(path.dirname(dir), '__gradlint_row__.py'), module: path.basename(dir) } : { file: path.join(dir, '__gradlint_row__.py'), module: base };
}

/**
 * A YAML value as Python source. parse_model evals strings: torch names (`nn.ReLU()`) become
 * objects, so they stay bare; any other string ('nearest') stays a string, as eval fails on it.
 */
function pythonLiteral(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'None';
  if (typeof v === 'string') return /^(nn|torch|F)\.[\w.]+(\([\w., =-]*\))?$/.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonLiteral).join(', ')}]`;
  return 'None';
}

const num = (v: Value | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const first = (v: Value | undefined, fallback: number): number => (Array.isArray(v) ? (num(v[0]) ?? fallback) : (num(v) ?? fallback));

/** Output channels of a Python-built layer, from its configuration and its inputs. */
function outChannels(layer: Layer, inputs: Tensor[]): number {
  const c = layer.config;
  const inC = inputs[0]?.channels ?? 0;
  if (layer.kind === 'concatenate') return inputs.reduce((s, t) => s + t.channels, 0);
  if (layer.kind === 'depthwiseConv2d') return inC * (num(c.depthMultiplier) ?? 1);
  return num(c.filters) ?? num(c.units) ?? num(c.outputDim) ?? inC;
}

/** PyTorch's parameter count of a Python-built layer; undefined for weighted kinds not counted here. */
function layerParams(layer: Layer, inC: number, outC: number): number | undefined {
  const c = layer.config;
  const bias = c.useBias !== false;
  const groups = num(c.groups) ?? 1;
  const taps = (Array.isArray(c.kernelSize) ? c.kernelSize : [c.kernelSize ?? 1]).reduce<number>((p, k) => p * (num(k) ?? 1), 1);
  const input = num(c.inChannels) ?? inC;
  switch (layer.kind) {
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
      return Math.floor(input / groups) * outC * taps + (bias ? outC : 0);
    case 'conv2dTranspose':
      return input * Math.floor(outC / groups) * taps + (bias ? outC : 0);
    case 'depthwiseConv2d':
      return outC * taps + (bias ? outC : 0);
    case 'dense':
      return (num(c.inputDim) ?? inC) * outC + (bias ? outC : 0);
    case 'batchNormalization':
      return (c.center === false ? 0 : outC) + (c.scale === false ? 0 : outC);
    case 'layerNormalization':
      return 2 * outC;
    case 'embedding':
    case 'lstm':
    case 'gru':
    case 'simpleRNN':
    case 'prelu':
    case 'opaque':
      return undefined;
    default:
      return 0;
  }
}

/** Stride of a layer's output against the input image. */
function outStride(layer: Layer, x: Tensor): number {
  const s = first(layer.config.strides, 1);
  if (layer.kind === 'conv2dTranspose') return x.stride / s;
  if (layer.kind === 'upSampling2d') return x.stride / first(layer.config.size, 2);
  if (/^(conv\dd|depthwiseConv2d|separableConv2d|maxPooling2d|averagePooling2d)$/.test(layer.kind)) return x.stride * s;
  return x.stride;
}

/** The Python model's layers as the row's inner layers, fed by the row's inputs; its output, or undefined when it does not fit. */
function splice(b: GraphBuilder, name: string, xs: Tensor[], model: ModelGraph, where: string): Tensor | undefined {
  if (model.inputs.length !== xs.length || model.outputs.length !== 1) return undefined;
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const tensors = new Map<string, Tensor>();
  const built = new Set<string>();
  for (const node of model.nodes) {
    const layer = layers.get(node.layer);
    if (!layer) return undefined;
    if (layer.kind === 'input') {
      tensors.set(node.id, xs[model.inputs.indexOf(node.id)]);
      continue;
    }
    const inputs = node.inputs.map((i) => tensors.get(i));
    if (inputs.length === 0 || inputs.some((t) => t === undefined)) return undefined;
    const ins = inputs as Tensor[];
    const channels = outChannels(layer, ins);
    // Shared layers (applied twice) count their weights once.
    const again = built.has(layer.id);
    // The class's own count (every parameter it registers, also those forward uses only as weights) replaces the layers' when known.
    const params = again || model.params !== undefined ? 0 : layerParams(layer, ins[0].channels, channels);
    // Layers of a row with several inputs sit in the wrapper that calls the class (readClass): named without it.
    const local = xs.length > 1 ? layer.id.replace(/^m\./, '') : layer.id;
    const id = `${name}.${local}${again ? `.${node.id}` : ''}`;
    // The row's first layer says where the class is (graph --detail, hover).
    const note = built.size === 0 ? [`From ${where}.`, layer.note].filter(Boolean).join(' ') : layer.note;
    b.layer(layer.kind, id, layer.config, ins, params ?? 0, {}, note);
    const added = b.layers[b.layers.length - 1];
    added.unknown = { ...layer.unknown, ...(params === undefined ? { params: `parameters of ${layer.kind} from the project's Python are not counted` } : {}) };
    built.add(layer.id);
    tensors.set(node.id, { node: id, channels, stride: outStride(layer, ins[0]) });
  }
  if (model.params !== undefined) b.rowParams += model.params;
  return tensors.get(model.outputs[0]);
}

/**
 * Instantiates the class with the arguments through the Python front end; undefined when no
 * model comes out. A row with several inputs hands the module a list of them, as parse_model's
 * forward does: a wrapper with one input each calls it (its layers then sit under `m.`).
 */
function readClass(loc: ModuleLocation, args: Value[], inputs: number): ModelGraph | undefined {
  const site = importSite(loc);
  const cls = loc.module.split('.').pop() ?? loc.module;
  const made = `${cls}(${args.map(pythonLiteral).join(', ')})`;
  const xs = Array.from({ length: inputs }, (_, i) => `x${i}`).join(', ');
  const code =
    inputs > 1
      ? `import torch\nfrom ${site.module} import ${cls}\nclass GradlintRow(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.m = ${made}\n    def forward(self, ${xs}):\n        return self.m([${xs}])\nmodel = GradlintRow()\n`
      : `import torch\nfrom ${site.module} import ${cls}\nmodel = ${made}\n`;
  return extractPython(site.file, code).models.find((m) => m.name === 'model');
}

/** The module-table entry for a project class, or undefined when the project does not define the name. */
export function projectModuleInfo(project: ProjectModules, name: string): (ModuleInfo & { location: ModuleLocation; unread: () => boolean }) | undefined {
  const location = project.find(name);
  if (!location) return undefined;
  const sets = project.parseModelSets();
  const cls = location.module.split('.').pop() ?? location.module;
  const base = sets?.base.has(cls) ?? false;
  const where = `${cls}, the project's class in ${path.basename(path.dirname(location.file))}/${path.basename(location.file)}:${location.line}`;
  let unread = false;
  return {
    unread: () => unread,
    category: base ? 'base' : 'passthrough',
    repeat: base && (sets?.repeat.has(cls) ?? false),
    location,
    build: (b, n, xs, written) => {
      // A branch of the project's parse_model of its own may hand the class its input channels.
      const input = base ? undefined : sets?.input.get(cls);
      const args = input === 'only' ? [xs[0].channels] : input === 'prepend' ? [xs[0].channels, ...written] : input === 'count' ? [xs.length] : written;
      const key = `${location.file}:${location.line}(${JSON.stringify(args)})x${xs.length}`;
      if (!project.built.has(key)) project.built.set(key, readClass(location, args, xs.length));
      const model = project.built.get(key);
      const out = model && splice(b, n, xs, model, where);
      unread = out === undefined;
      return out ?? b.opaque(n, xs, cls, undefined, `${where}, could not be read into layers; treated as identity.`);
    },
  };
}
