// Values of the Python interpreter that reads model code without running it. Anything it
// cannot know is `unknown` with the reason, which reaches `layer.unknown` or a note.

import type { Range, Value } from '../graph';
import type { Arg, ClassDef, Expr, FunctionDef } from './ast';
import type { Scope } from './scope';

/** A module instance: a library layer (leaf), a container, or an instance of a class of the file. */
export interface ModuleInstance {
  /** Qualified library path for library modules (`torch.nn.Linear`, `keras.layers.Dense`); the class name otherwise. */
  className: string;
  /** 'leaf': a library layer; 'sequential' | 'list' | 'dict': containers; 'custom': a class of the file. */
  shape: 'leaf' | 'sequential' | 'list' | 'dict' | 'custom';
  /** The construction call (what diagnostics point at and fixes edit): the call expression itself. */
  call?: { readonly range: Range; readonly argsRange: Range; readonly args: Arg[] };
  /** Resolved arguments by parameter name (leaves); never changed once bound. */
  params: ReadonlyMap<string, PyValue>;
  /** Submodules and attributes in registration order (`self.x = ...`, Sequential children); a leaf's only through setAttr. */
  attrs: Map<string, PyValue>;
  cls?: ClassDef;
  /** The class's scope (methods are looked up from the class body). */
  classScope?: Scope;
  /** Explicit initialisation (`nn.init.*_` on its weight or bias), tfjs initializer specs; made on the first. */
  init?: Map<string, Value>;
  /** Where each explicit initialisation is written (the `nn.init` call), by parameter; made on the first. */
  initSites?: Map<string, Range>;
  /** For modules written in an imported file: the call in the analysed file that built them. */
  anchor?: Range;
  /** Set when graph layers are made: the PyTorch module path (`layer1.0.conv1`). */
  path?: string;
  /** A class deriving from a torch.nn layer (nn.Conv2d, _ConvNd): that layer as its `super().__init__` made it. */
  torchBase?: ModuleInstance;
  /** keras.Model(inputs, outputs): the graph its layers were applied in. */
  functional?: { graph: import('./graphContext').GraphContext; inputs: PyValue[]; outputs: PyValue };
}

export type PyValue =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'list'; items: PyValue[]; tuple?: boolean }
  | { t: 'dict'; entries: Map<string, PyValue> }
  /** A library object by its qualified path: `torch.nn.Linear`, `torch.nn.functional.relu`. */
  | { t: 'ref'; path: string }
  | { t: 'class'; def: ClassDef; scope: Scope }
  /** A module of the same project bound by `import blocks`: its names (and submodules) by attribute. */
  | { t: 'namespace'; name: string; member: (name: string) => PyValue | undefined }
  | { t: 'func'; def: FunctionDef; scope: Scope; self?: ModuleInstance }
  | { t: 'module'; m: ModuleInstance }
  /** A parameter tensor of a module (`self.fc.weight`), the target of `nn.init` calls. */
  | { t: 'param'; m: ModuleInstance; name: string }
  /** An argparse.ArgumentParser: its options' defaults by destination (argparse.ts). */
  | { t: 'argparser'; defaults: Map<string, PyValue> }
  /**
   * A tensor made in a constructor, not flowing through forward: `torch.zeros(1, c, 1, 1)`, and
   * `nn.Parameter(...)` of one (`parameter`: PyTorch's `parameters()` counts it). Its shape where known.
   */
  | { t: 'data'; shape?: number[]; parameter: boolean }
  /** `functools.partial(fn, *args, **kwargs)`: fn with those arguments first. */
  | { t: 'partial'; fn: PyValue; positional: PyValue[]; keywords: Map<string, PyValue> }
  /** A method of a value, bound: `layers.append`, `x.view`. */
  | { t: 'method'; of: PyValue; name: string }
  /** A tensor flowing through forward/call: the graph node producing it. */
  | {
      t: 'tensor';
      node: string;
      shape?: (number | null)[];
      flat?: boolean;
      /** Made by adaptive pooling to 1 (`layer`), which in PyTorch keeps its `rank` pooled dimensions as 1s. */
      pooled?: { rank: number; layer: string };
    }
  | { t: 'unknown'; why: string };

export const NONE: PyValue = { t: 'none' };
export const unknown = (why: string): PyValue => ({ t: 'unknown', why });
/**
 * Small whole numbers (sizes, counts, indices), made once: values are never changed after they
 * are made, and leaves keep their arguments for the whole lint (fewer objects for the GC to copy).
 */
const SMALL_INTS: readonly PyValue[] = Array.from({ length: 1025 }, (_, v) => ({ t: 'num', v }));
export const num = (v: number): PyValue =>
  // -0 keeps an object of its own (it prints and divides differently).
  (v | 0) === v && v >= 0 && v <= 1024 && (v !== 0 || 1 / v > 0) ? SMALL_INTS[v] : { t: 'num', v };
export const TRUE: PyValue = { t: 'bool', v: true };
export const FALSE: PyValue = { t: 'bool', v: false };
/** A boolean value (the two are shared). */
export const bool = (v: boolean): PyValue => (v ? TRUE : FALSE);
export const list = (items: PyValue[], tuple = false): PyValue => ({ t: 'list', items, tuple });

/** The last name of a dotted path (`torch.nn.Conv2d`: `Conv2d`), without splitting it: library calls ask it often. */
export function lastName(path: string): string {
  // A scan back to the last point: V8 runs String.prototype.lastIndexOf in its runtime, far slower for so short a search.
  let i = path.length - 1;
  while (i >= 0 && path.charCodeAt(i) !== 46 /* . */) i--;
  return path.slice(i + 1);
}

/** The params of a module that has none (containers, classes of the file): never written, as no params are. */
const NO_PARAMS = new Map<string, PyValue>();

/**
 * The keywords of a call without any. Never written to: keyword maps are read (or copied) by
 * whatever a call reaches, never changed after the call's arguments made them.
 */
export const NO_KEYWORDS = new Map<string, PyValue>();

/**
 * The attributes of a leaf until one is set (setAttr): leaves are most modules, live for the
 * whole lint, and almost never get any. Never written itself.
 */
const NO_ATTRS = new Map<string, PyValue>();

/** Sets an attribute of any module (a leaf's first one gets a map of its own). */
export function setAttr(m: ModuleInstance, name: string, value: PyValue): void {
  if (m.attrs === NO_ATTRS) m.attrs = new Map();
  m.attrs.set(name, value);
}

export function newModule(className: string, shape: ModuleInstance['shape'], params: ReadonlyMap<string, PyValue> = NO_PARAMS): ModuleInstance {
  // Every field from the start, in one order: instances share one hidden class however they are filled in.
  return {
    className,
    shape,
    call: undefined,
    params,
    attrs: shape === 'leaf' ? NO_ATTRS : new Map(),
    cls: undefined,
    classScope: undefined,
    init: undefined,
    initSites: undefined,
    anchor: undefined,
    path: undefined,
    torchBase: undefined,
    functional: undefined,
  };
}

/** Python truthiness, or undefined when it cannot be known. */
export function truthy(v: PyValue): boolean | undefined {
  switch (v.t) {
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v !== '';
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'list':
      return v.items.length > 0;
    case 'dict':
      return v.entries.size > 0;
    case 'unknown':
    case 'tensor':
      return undefined;
    default:
      return true;
  }
}

/** A resolved value as graph configuration (JSON-like), or undefined when not plain data. */
export function toConfig(v: PyValue): Value | undefined {
  switch (v.t) {
    case 'num':
      return v.v;
    case 'str':
      return v.v;
    case 'bool':
      return v.v;
    case 'none':
      return null;
    case 'list': {
      const items = v.items.map(toConfig);
      return items.every((x) => x !== undefined) ? (items as Value[]) : undefined;
    }
    case 'dict': {
      const out: Record<string, Value> = {};
      for (const [k, x] of v.entries) {
        const c = toConfig(x);
        if (c === undefined) return undefined;
        out[k] = c;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Short description of a value for notes. */
export function describeValue(v: PyValue): string {
  if (v.t === 'unknown') return v.why;
  if (v.t === 'ref') return v.path;
  return v.t;
}

/** Every module reachable from `m`, `m` first, children in registration order (PyTorch's `modules()`), added to `out`. */
export function walkModules(m: ModuleInstance, seen = new Set<ModuleInstance>(), out: ModuleInstance[] = []): ModuleInstance[] {
  if (seen.has(m)) return out;
  seen.add(m);
  out.push(m);
  for (const v of m.attrs.values()) if (v.t === 'module') walkModules(v.m, seen, out);
  return out;
}

/** Direct submodules with their attribute names, as PyTorch registers them. */
export function childModules(m: ModuleInstance): [string, ModuleInstance][] {
  const out: [string, ModuleInstance][] = [];
  for (const [name, v] of m.attrs) {
    if (v.t === 'module') out.push([name, v.m]);
  }
  return out;
}

export type { Expr };
