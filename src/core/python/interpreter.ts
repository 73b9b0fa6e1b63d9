// Reads Python model code without running it: an interpreter over the syntax tree that
// knows just enough Python (names, numbers, lists, dicts, loops, calls of the file's own
// functions and classes) and the library objects model code uses, and otherwise answers
// `unknown`. Bounded in steps and call depth, so no input makes it loop or recurse forever.

import { charge } from '../budget';
import type { Problem, Range } from '../graph';
import type { Arg, ClassDef, Expr, FunctionDef, Stmt } from './ast';
import { Scope } from './scope';
import { formatField, percentFormat } from './format';
import { GraphContext } from './graphContext';
import { FALSE, NONE, NO_KEYWORDS, TRUE, bool, list, newModule, num, setAttr, truthy, unknown, type ModuleInstance, type PyValue } from './values';
import { functionalModel, libraryAttr, libraryCall, type Library } from './library';
import { dataAttr } from './tensorData';
import { nameTable } from '../nameTable';

const MAX_STEPS = 200_000;
const MAX_DEPTH = 24;
const MAX_LOOP = 4096;
/** Layers one loop may create (a 96-block transformer makes about 1,000); more are not read, as in the tfjs front end. */
const MAX_LOOP_LAYERS = 1024;
/** Lists and strings longer than any model code builds are not followed (doubling them in a loop would exhaust memory). */
const MAX_LENGTH = 1 << 16;

/** Names a file may use without importing them, as model snippets often do. */
const DEFAULT_ALIASES: Readonly<Record<string, string>> = nameTable({
  nn: 'torch.nn',
  F: 'torch.nn.functional',
  torch: 'torch',
  tf: 'tensorflow',
  keras: 'keras',
  layers: 'keras.layers',
  math: 'math',
  np: 'numpy',
  OrderedDict: 'collections.OrderedDict',
});

const BUILTINS = new Set([
  'range', 'len', 'int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'enumerate', 'zip', 'min', 'max', 'sum', 'abs',
  'round', 'isinstance', 'super', 'print', 'getattr', 'hasattr', 'setattr', 'type', 'reversed', 'sorted', 'any', 'all', 'map', 'iter', 'next',
]);

/** Keras lives under several prefixes; one canonical path keeps the tables small. */
export function canonicalPath(path: string): string {
  return path.replace(/^(tensorflow\.|tf\.)?(python\.)?keras\./, 'keras.').replace(/^tf_keras\./, 'keras.').replace(/^tensorflow\.keras$/, 'keras');
}

interface Frame {
  /** The class whose method runs (for `super()`). */
  cls?: { def: ClassDef; scope: Scope };
  self?: ModuleInstance;
}

/** The frame outside any function call. */
const NO_FRAME: Frame = {};

export class Interpreter {
  private steps = 0;
  private depth = 0;
  readonly moduleScope = new Scope();
  /** The graph the code builds right now (Keras functional calls, forward tracing). */
  graph: GraphContext;
  /** Classes instantiated while building another module (not models of their own). */
  readonly nested = new Set<ClassDef>();
  private frames: Frame[] = [];
  private building = 0;
  /** Reads a module of the same project: the value `from module import name` (or `import module`) binds. */
  importer?: (module: string, name: string | undefined) => PyValue | undefined;
  /** Library layers (leaf modules) created so far: what a loop's layer cap counts. */
  leavesCreated = 0;
  /** Loops read only in part, to report at the loop. */
  readonly problems: Problem[] = [];
  /** Characters of the analysed file: ranges beyond it belong to imported files. */
  hostLength = Infinity;
  /** Calls in the analysed file that are building modules of imported classes, innermost last. */
  readonly anchors: Range[] = [];

  constructor(
    readonly library: Library,
    makeGraph: () => GraphContext,
  ) {
    this.graph = makeGraph();
  }

  get exhausted(): boolean {
    return this.steps > MAX_STEPS;
  }

  private tick(): boolean {
    // The file's analysis budget too (shared with the estimate and the rules).
    charge(1);
    return ++this.steps <= MAX_STEPS;
  }

  get frame(): Frame {
    return this.frames[this.frames.length - 1] ?? NO_FRAME;
  }

  // ---------------------------------------------------------------- statements

  /** Runs statements; a `return` ends with its value. */
  exec(body: Stmt[], scope: Scope): PyValue | undefined {
    return this.block(body, scope);
  }

  // Statements and blocks return the value of a `return` they ran (ending every block around
  // it up to the function), else undefined: a function return is too common to be an exception.
  private block(body: Stmt[], scope: Scope): PyValue | undefined {
    for (const s of body) {
      if (!this.tick()) return undefined;
      const returned = this.statement(s, scope);
      if (returned !== undefined) return returned;
    }
    return undefined;
  }

  private statement(s: Stmt, scope: Scope): PyValue | undefined {
    switch (s.type) {
      case 'import':
        for (const { name, alias } of s.names) {
          if (name === '*') {
            const names = s.from ? this.importer?.(s.module, '*') : undefined;
            if (names?.t === 'dict') names.entries.forEach((v, n) => scope.set(n, v));
            continue;
          }
          // `import a.b` binds `a`; `import a.b as c` binds c to a.b; `from a import b` binds b to a.b.
          const root = name.split('.')[0];
          const bound = s.from || alias !== root ? name : root;
          const local = this.importer?.(s.from ? s.module : bound, s.from ? name : undefined);
          if (local) {
            scope.set(alias, local);
            continue;
          }
          const path = s.from ? `${s.module}.${name}` : alias === root ? root : name;
          scope.set(alias, { t: 'ref', path: canonicalPath(path) });
        }
        return undefined;
      case 'def':
        scope.set(s.name, { t: 'func', def: s, scope });
        return undefined;
      case 'class': {
        const classScope = new Scope(scope);
        const value: PyValue = { t: 'class', def: s, scope: classScope };
        scope.set(s.name, value);
        // Class attributes (`expansion = 4`) and methods.
        return this.block(s.body, classScope);
      }
      case 'assign': {
        const value = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, value, scope);
        return undefined;
      }
      case 'augassign': {
        const current = this.eval(s.target, scope);
        const value = this.binary(s.op, current, this.eval(s.value, scope), s.range, true);
        this.assign(s.target, value, scope);
        return undefined;
      }
      case 'expr':
        this.eval(s.value, scope);
        return undefined;
      case 'return':
        return s.value ? this.eval(s.value, scope) : NONE;
      case 'if': {
        const test = truthy(this.eval(s.test, scope));
        // Unknown conditions follow the `if` branch: model code guards its layers that way.
        return this.block(test === false ? s.orelse : s.body, scope);
      }
      case 'for': {
        const items = this.iterate(this.eval(s.iter, scope));
        if (!items) return undefined;
        return this.loop(items, s.range, (item) => {
          this.assign(s.target, item, scope);
          return this.block(s.body, scope);
        });
      }
      case 'block':
        return this.block(s.body, scope);
      default:
        return undefined;
    }
  }

  assign(target: Expr, value: PyValue, scope: Scope): void {
    switch (target.type) {
      case 'name':
        scope.set(target.name, value);
        return;
      case 'tuple':
      case 'list': {
        const items = this.iterate(value);
        target.items.forEach((t, i) => this.assign(t, items?.[i] ?? unknown('unpacked from a value not known statically'), scope));
        return;
      }
      case 'attr': {
        const object = this.eval(target.object, scope);
        if (object.t === 'module') setAttr(object.m, target.name, value);
        return;
      }
      case 'index': {
        const object = this.eval(target.object, scope);
        const key = this.eval(target.index, scope);
        if (object.t === 'list' && key.t === 'num') object.items[key.v < 0 ? object.items.length + key.v : key.v] = value;
        if (object.t === 'dict' && key.t === 'str') object.entries.set(key.v, value);
        if (object.t === 'module' && key.t === 'str' && object.m.shape === 'dict') setAttr(object.m, key.v, value);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Runs `body` per item: at most MAX_LOOP of them, and stops once they created MAX_LOOP_LAYERS
   * layers, or at the first item whose body returns a value (a `return` in the loop), returned.
   */
  private loop(items: PyValue[], range: Range, body: (item: PyValue) => PyValue | undefined): PyValue | undefined {
    const leavesBefore = this.leavesCreated;
    const n = Math.min(items.length, MAX_LOOP);
    for (let i = 0; i < n; i++) {
      if (!this.tick()) return undefined;
      const returned = body(items[i]);
      if (returned !== undefined) return returned;
      if (this.leavesCreated - leavesBefore >= MAX_LOOP_LAYERS && i + 1 < n) {
        if (range.start < this.hostLength) {
          this.problems.push({ message: `This loop creates more than ${MAX_LOOP_LAYERS} layers; only the first ${i + 1} iterations were read`, range, severity: 'warning' });
        }
        return undefined;
      }
    }
    return undefined;
  }

  /** The items a `for` walks, or undefined when not known. */
  iterate(v: PyValue): PyValue[] | undefined {
    if (v.t === 'list') return v.items;
    if (v.t === 'dict') return [...v.entries.keys()].map((k) => ({ t: 'str', v: k }));
    if (v.t === 'module') {
      if (v.m.shape === 'dict') return [...v.m.attrs.keys()].map((k) => ({ t: 'str', v: k }));
      if (v.m.shape === 'list' || v.m.shape === 'sequential') return [...v.m.attrs.values()];
    }
    if (v.t === 'str') return [...v.v].map((c) => ({ t: 'str', v: c }));
    return undefined;
  }

  // ---------------------------------------------------------------- expressions

  eval(e: Expr, scope: Scope): PyValue {
    if (!this.tick()) return unknown('the model code is too long to follow');
    switch (e.type) {
      case 'number':
        return num(e.value);
      case 'string':
        return { t: 'str', v: e.value };
      case 'fstring': {
        let text = '';
        for (const part of e.parts) {
          const piece = typeof part === 'string' ? part : formatField(this.eval(part.value, scope), part.spec);
          if (piece === undefined) return unknown('an f-string of values not known statically');
          text += piece;
          if (text.length > MAX_LENGTH) return unknown('a string too long to follow');
        }
        return { t: 'str', v: text };
      }
      case 'bool':
        return bool(e.value);
      case 'none':
        return NONE;
      case 'name':
        return this.lookup(e.name, scope);
      case 'attr':
        return this.attr(this.eval(e.object, scope), e.name);
      case 'index':
        return this.index(this.eval(e.object, scope), e.index, scope);
      case 'list':
      case 'tuple': {
        const items: PyValue[] = [];
        for (const item of e.items) {
          if (item.type === 'starred') items.push(...(this.iterate(this.eval(item.value, scope)) ?? [unknown('unpacked from a value not known statically')]));
          else items.push(this.eval(item, scope));
        }
        return list(items, e.type === 'tuple');
      }
      case 'dict': {
        const entries = new Map<string, PyValue>();
        for (const { key, value } of e.entries) {
          const k = this.eval(key, scope);
          if (k.t === 'str' || k.t === 'num') entries.set(String(k.v), this.eval(value, scope));
        }
        return { t: 'dict', entries };
      }
      case 'comprehension': {
        const items = this.iterate(this.eval(e.iter, scope));
        if (!items) return unknown('a comprehension over a value not known statically');
        const inner = new Scope(scope);
        const out: PyValue[] = [];
        this.loop(items, e.range, (item) => {
          this.assign(e.target, item, inner);
          out.push(this.eval(e.element, inner));
          return undefined;
        });
        return list(out);
      }
      case 'binary':
        return this.binary(e.op, this.eval(e.left, scope), e.op === 'and' || e.op === 'or' ? undefined : this.eval(e.right, scope), e.range, false, e.right, scope);
      case 'unary': {
        const v = this.eval(e.operand, scope);
        if (e.op === 'not') {
          const b = truthy(v);
          return b === undefined ? unknown('a condition not known statically') : bool(!b);
        }
        if (e.op === '-' && v.t === 'num') return num(-v.v);
        if (e.op === '-' && v.t === 'tensor') return this.library.scaleTensor(this, v, -1, e.range);
        return e.op === '+' ? v : unknown('an expression not evaluated statically');
      }
      case 'conditional': {
        const b = truthy(this.eval(e.test, scope));
        return this.eval(b === false ? e.otherwise : e.then, scope);
      }
      case 'call':
        return this.callExpr(e, scope);
      default:
        return unknown('an expression gradlint does not evaluate');
    }
  }

  lookup(name: string, scope: Scope): PyValue {
    const v = scope.get(name);
    if (v) return v;
    if (name === 'self' && this.frame.self) return { t: 'module', m: this.frame.self };
    if (BUILTINS.has(name)) return { t: 'ref', path: `builtins.${name}` };
    if (DEFAULT_ALIASES[name]) return { t: 'ref', path: DEFAULT_ALIASES[name] };
    return unknown(`'${name}' is not defined in this file`);
  }

  attr(object: PyValue, name: string): PyValue {
    switch (object.t) {
      case 'ref':
        return libraryAttr(object.path, name);
      case 'namespace':
        return object.member(name) ?? unknown(`${object.name}.${name} is not known statically`);
      case 'module': {
        const own = object.m.attrs.get(name);
        if (own) return own;
        const param = object.m.params.get(name);
        if (param) return param;
        if (object.m.cls) {
          const method = this.classMember(object.m.cls, object.m.classScope, name);
          if (method?.t === 'func') return { ...method, self: object.m };
          if (method) return method;
        }
        if (name === '__class__') return { t: 'ref', path: `class:${object.m.className}` };
        if (/^(weight|bias)/.test(name)) return { t: 'param', m: object.m, name };
        return { t: 'method', of: object, name };
      }
      case 'class': {
        const member = this.classMember(object.def, object.scope, name);
        return member ?? unknown(`${object.def.name}.${name} is not known statically`);
      }
      case 'param':
        return name === 'data' ? object : { t: 'method', of: object, name };
      case 'data':
        return dataAttr(object, name) ?? { t: 'method', of: object, name };
      case 'unknown':
        return object;
      default:
        return { t: 'method', of: object, name };
    }
  }

  /** A class attribute or method, looked up through the file's base classes. */
  classMember(def: ClassDef, scope: Scope | undefined, name: string, depth = 0): PyValue | undefined {
    const own = scope?.own().get(name);
    if (own) return own;
    if (depth > 8 || !scope) return undefined;
    for (const base of def.bases) {
      const b = this.eval(base, scope.parent ?? this.moduleScope);
      if (b.t === 'class') {
        const found = this.classMember(b.def, b.scope, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  private index(object: PyValue, indexExpr: Expr, scope: Scope): PyValue {
    const key = this.eval(indexExpr, scope);
    if (object.t === 'tensor') return object;
    if (object.t === 'list' && key.t === 'num') return object.items[key.v < 0 ? object.items.length + key.v : key.v] ?? unknown('an index out of range');
    if (object.t === 'dict' && (key.t === 'str' || key.t === 'num')) return object.entries.get(String(key.v)) ?? unknown(`key ${String(key.v)} not found`);
    if (object.t === 'module' && (key.t === 'str' || key.t === 'num')) {
      const items = [...object.m.attrs.values()];
      if (key.t === 'num') return items[key.v < 0 ? items.length + key.v : key.v] ?? unknown('an index out of range');
      return object.m.attrs.get(key.v) ?? unknown(`key ${key.v} not found`);
    }
    return unknown('an index not known statically');
  }

  binary(op: string, left: PyValue, right: PyValue | undefined, range: Range, inPlace = false, rightExpr?: Expr, scope?: Scope): PyValue {
    if (op === 'and' || op === 'or') {
      const l = truthy(left);
      if (l === undefined) return unknown('a condition not known statically');
      if ((op === 'and' && !l) || (op === 'or' && l)) return left;
      return rightExpr && scope ? this.eval(rightExpr, scope) : unknown('a condition not known statically');
    }
    if (!right) return unknown('an expression not evaluated statically');
    if (left.t === 'tensor' || right.t === 'tensor') return this.library.tensorBinary(this, op, left, right, range, inPlace);
    // `init_value * torch.ones(dim)`: arithmetic with a number keeps a made tensor's shape.
    const data = left.t === 'data' ? left : right.t === 'data' ? right : undefined;
    if (data && (left.t === 'num' || right.t === 'num')) return { t: 'data', shape: data.shape, parameter: false };
    if (left.t === 'num' && right.t === 'num') return arithmetic(op, left.v, right.v);
    if (left.t === 'bool' || right.t === 'bool') {
      const n = (v: PyValue) => (v.t === 'bool' ? num(v.v ? 1 : 0) : v);
      if (n(left).t === 'num' && n(right).t === 'num') return arithmetic(op, (n(left) as { v: number }).v, (n(right) as { v: number }).v);
    }
    if (op === 'is' || op === '==') return identical(left, right);
    if (op === 'is not' || op === '!=') {
      const same = identical(left, right);
      return same.t === 'bool' ? bool(!same.v) : same;
    }
    if (left.t === 'str' && right.t === 'str') {
      if (op === '+') return left.v.length + right.v.length > MAX_LENGTH ? unknown('a string too long to follow') : { t: 'str', v: left.v + right.v };
      if (op === 'in') return bool(right.v.includes(left.v));
    }
    if (left.t === 'str' && op === '%') {
      const text = percentFormat(left.v, right);
      return text === undefined ? unknown('a %-formatted string of values not known statically') : { t: 'str', v: text };
    }
    if (left.t === 'list' && right.t === 'list' && op === '+') return grown(left, left.items.length + right.items.length, () => [...left.items, ...right.items]);
    if (left.t === 'list' && right.t === 'num' && op === '*') {
      const times = Math.min(right.v, MAX_LOOP);
      return grown(left, left.items.length * times, () => Array.from({ length: times }, () => left.items).flat());
    }
    if (op === 'in' && right.t === 'list') return bool(right.items.some((x) => identical(left, x).t === 'bool' && (identical(left, x) as { v: boolean }).v));
    return unknown('an expression not evaluated statically');
  }

  // ---------------------------------------------------------------- calls

  private callExpr(e: Extract<Expr, { type: 'call' }>, scope: Scope): PyValue {
    // super().method(...) runs the base class's method on self.
    if (e.callee.type === 'attr' && e.callee.object.type === 'call' && e.callee.object.callee.type === 'name' && e.callee.object.callee.name === 'super') {
      return this.superCall(e.callee.name, this.evalArgs(e.args, scope), e);
    }
    const callee = this.eval(e.callee, scope);
    const generator = e.args.length === 1 && e.args[0].value.type === 'comprehension' && !e.args[0].value.list ? e.args[0].value : undefined;
    if (generator && callee.t === 'method' && callee.name === 'extend' && callee.of.t === 'list') return this.extendLazily(callee.of, generator, scope);
    const { positional, keywords } = this.evalArgs(e.args, scope);
    return this.call(callee, positional, keywords, e);
  }

  /** `ys.extend(m(ys[-1]) for m in self.m)`: a generator's items are appended one by one, each seeing those before it (C2f's chain). */
  private extendLazily(target: Extract<PyValue, { t: 'list' }>, gen: Extract<Expr, { type: 'comprehension' }>, scope: Scope): PyValue {
    const items = this.iterate(this.eval(gen.iter, scope));
    if (!items) return unknown('a comprehension over a value not known statically');
    const inner = new Scope(scope);
    this.loop(items, gen.range, (item) => {
      this.assign(gen.target, item, inner);
      target.items.push(this.eval(gen.element, inner));
      return undefined;
    });
    return NONE;
  }

  evalArgs(args: Arg[], scope: Scope): { positional: PyValue[]; keywords: Map<string, PyValue> } {
    // Made at its length when no `*xs` lengthens it: an array grown by push from empty keeps room for 16.
    let count = 0;
    let starred = false;
    for (const a of args) {
      if (a.star === '*') starred = true;
      else if (!a.star && !a.name) count++;
    }
    const positional: PyValue[] = starred ? [] : new Array<PyValue>(count);
    let at = 0;
    // Most calls pass no keywords: they share one empty map, made only for calls that do.
    let keywords: Map<string, PyValue> | undefined;
    for (const a of args) {
      const v = this.eval(a.value, scope);
      if (a.star === '*') positional.push(...(this.iterate(v) ?? [unknown('arguments unpacked from a value not known statically')]));
      else if (a.star === '**') {
        if (v.t === 'dict') v.entries.forEach((x, k) => (keywords ??= new Map()).set(k, x));
      } else if (a.name) (keywords ??= new Map()).set(a.name, v);
      else if (starred) positional.push(v);
      else positional[at++] = v;
    }
    return { positional, keywords: keywords ?? NO_KEYWORDS };
  }

  call(callee: PyValue, positional: PyValue[], keywords: Map<string, PyValue>, site: Extract<Expr, { type: 'call' }>): PyValue {
    switch (callee.t) {
      case 'func':
        return this.callFunction(callee, positional, keywords);
      case 'class':
        return this.instantiate(callee, positional, keywords, site);
      case 'ref':
        return libraryCall(this, callee.path, positional, keywords, site);
      case 'module':
        return this.library.applyModule(this, callee.m, positional, keywords, site);
      case 'method':
        return this.library.method(this, callee.of, callee.name, positional, keywords, site);
      case 'param':
        return unknown('a parameter called as a function');
      case 'partial':
        return this.call(callee.fn, [...callee.positional, ...positional], new Map([...callee.keywords, ...keywords]), site);
      default:
        return unknown(callee.t === 'unknown' ? callee.why : 'a call gradlint does not follow');
    }
  }

  callFunction(f: Extract<PyValue, { t: 'func' }>, positional: PyValue[], keywords: Map<string, PyValue>, frame?: Frame): PyValue {
    if (this.depth >= MAX_DEPTH) return unknown('calls nested too deeply to follow');
    const scope = new Scope(f.scope);
    const args = f.self ? [{ t: 'module', m: f.self } as PyValue, ...positional] : positional;
    let i = 0;
    for (const p of f.def.params) {
      if (p.star === '*') {
        scope.set(p.name, list(args.slice(i), true));
        i = args.length;
      } else if (p.star === '**') {
        scope.set(p.name, { t: 'dict', entries: new Map(keywords) });
      } else if (i < args.length) scope.set(p.name, args[i++]);
      else if (keywords.has(p.name)) scope.set(p.name, keywords.get(p.name) as PyValue);
      else if (p.default) scope.set(p.name, this.eval(p.default, f.scope));
      else scope.set(p.name, unknown(`argument ${p.name} of ${f.def.name} is not given`));
    }
    const cls = f.self?.cls ? this.owningClass(f) : undefined;
    this.frames.push(frame ?? { self: f.self, cls });
    this.depth++;
    try {
      return this.exec(f.def.body, scope) ?? NONE;
    } finally {
      this.depth--;
      this.frames.pop();
    }
  }

  /** The class a method was defined in (its scope is the class scope). */
  private owningClass(f: Extract<PyValue, { t: 'func' }>): { def: ClassDef; scope: Scope } | undefined {
    const self = f.self;
    if (!self?.cls || !self.classScope) return undefined;
    let found: { def: ClassDef; scope: Scope } | undefined;
    const visit = (def: ClassDef, scope: Scope, depth: number) => {
      if (found || depth > 8) return;
      if (scope === f.scope) {
        found = { def, scope };
        return;
      }
      for (const base of def.bases) {
        const b = this.eval(base, scope.parent ?? this.moduleScope);
        if (b.t === 'class') visit(b.def, b.scope, depth + 1);
      }
    };
    visit(self.cls, self.classScope, 0);
    return found;
  }

  /** `super().name(...)`: the next base class's method, or the library base's behaviour. */
  private superCall(name: string, args: { positional: PyValue[]; keywords: Map<string, PyValue> }, site: Extract<Expr, { type: 'call' }>): PyValue {
    const { cls, self } = this.frame;
    if (!cls || !self) return NONE;
    for (const base of cls.def.bases) {
      const b = this.eval(base, cls.scope.parent ?? this.moduleScope);
      if (b.t === 'class') {
        const method = this.classMember(b.def, b.scope, name);
        if (method?.t === 'func') return this.callFunction({ ...method, self }, args.positional, args.keywords, { self, cls: { def: b.def, scope: b.scope } });
      }
      if (b.t === 'ref') return this.library.superInit(this, b.path, name, self, args.positional, args.keywords, site);
    }
    return NONE;
  }

  /** A class of the file called: a module instance with its __init__ run on it. */
  instantiate(cls: Extract<PyValue, { t: 'class' }>, positional: PyValue[], keywords: Map<string, PyValue>, site: Extract<Expr, { type: 'call' }>): PyValue {
    const m = newModule(cls.def.name, 'custom');
    m.cls = cls.def;
    m.classScope = cls.scope;
    m.call = site;
    if (this.building > 0) this.nested.add(cls.def);
    const init = this.classMember(cls.def, cls.scope, '__init__');
    this.building++;
    const anchored = site.range.start < this.hostLength;
    if (anchored) this.anchors.push(site.range);
    else m.anchor = this.anchors[this.anchors.length - 1];
    try {
      if (init?.t === 'func') this.callFunction({ ...init, self: m }, positional, keywords);
      // `class CustomModel(keras.Model)` overriding train_step only, built as CustomModel(inputs, outputs).
      else if (this.derivesFromKerasModel(cls.def, cls.scope)) m.functional = functionalModel(this, positional, keywords);
    } finally {
      this.building--;
      if (anchored) this.anchors.pop();
    }
    return { t: 'module', m };
  }

  /** A class deriving, through the file's classes, from keras.Model. */
  private derivesFromKerasModel(def: ClassDef, scope: Scope, depth = 0): boolean {
    if (depth > 8) return false;
    return def.bases.some((b) => {
      const v = this.eval(b, scope);
      if (v.t === 'ref') return /^keras\.(models\.)?Model$/.test(v.path);
      return v.t === 'class' && this.derivesFromKerasModel(v.def, v.scope, depth + 1);
    });
  }

  /** Runs `fn` as one model's construction: classes built inside it are nested in it. */
  building_(fn: () => PyValue): PyValue {
    this.building++;
    try {
      return fn();
    } finally {
      this.building--;
    }
  }
}

/** A list made from `left` with `length` items, unless that is longer than any model code builds. */
function grown(left: Extract<PyValue, { t: 'list' }>, length: number, items: () => PyValue[]): PyValue {
  if (length > MAX_LENGTH) return unknown('a list too long to follow');
  charge(length);
  return list(items(), left.tuple);
}

function arithmetic(op: string, a: number, b: number): PyValue {
  switch (op) {
    case '+':
      return num(a + b);
    case '-':
      return num(a - b);
    case '*':
      return num(a * b);
    case '/':
      return b === 0 ? unknown('division by zero') : num(a / b);
    case '//':
      return b === 0 ? unknown('division by zero') : num(Math.floor(a / b));
    case '%':
      return b === 0 ? unknown('division by zero') : num(((a % b) + b) % b);
    case '**':
      return num(a ** b);
    case '<':
      return bool(a < b);
    case '>':
      return bool(a > b);
    case '<=':
      return bool(a <= b);
    case '>=':
      return bool(a >= b);
    case '==':
    case 'is':
      return bool(a === b);
    case '!=':
    case 'is not':
      return bool(a !== b);
    default:
      return unknown(`the operator ${op} is not evaluated`);
  }
}

function identical(a: PyValue, b: PyValue): PyValue {
  if (a.t === 'unknown' || b.t === 'unknown') return unknown('a comparison with a value not known statically');
  if (a.t === 'none' || b.t === 'none') return bool(a.t === b.t);
  if ((a.t === 'str' || a.t === 'num' || a.t === 'bool') && a.t === b.t) return bool(a.v === b.v);
  if (a.t === 'module' && b.t === 'module') return bool(a.m === b.m);
  if (a.t === 'ref' && b.t === 'ref') return bool(a.path === b.path);
  if (a.t === 'tensor' || b.t === 'tensor') return unknown('a comparison with a tensor');
  return FALSE;
}

export type { Frame };
