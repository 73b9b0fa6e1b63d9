// An abstract interpreter for the JavaScript/TypeScript that defines tfjs models. It runs
// the file once, top to bottom, folding what is statically known (constants, arithmetic,
// loops with known bounds, calls of local functions with known arguments) and carrying
// `unknown` with a reason for everything else. Functions never called are run at the end
// with unknown arguments. Branches on unknown conditions: one is assumed, the other is run
// and undone (models it creates are kept), and the assumption is reported when it matters.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Problem, ProblemSeverity, Range } from '../graph';
import type { LineIndex } from '../text';
import { arrayMethod, globalValue } from './builtins';
import type { ModelBuild } from './graphBuilder';
import { Binding, Journal, Mark, Scope } from './scope';
import { TfApi } from './tfApi';
import {
  AV,
  ClassV,
  FnV,
  FunctionNode,
  ObjV,
  PrimV,
  UNDEFINED,
  arr,
  describeKind,
  obj,
  prim,
  sameValue,
  truthy,
  unknown,
} from './values';

type Node = TSESTree.Node;
type Completion =
  | undefined
  | { type: 'return'; value: AV }
  | { type: 'break' | 'continue'; label?: string }
  | { type: 'throw' };

export interface Limits {
  /** Layers one loop (or array callback) may create before it is cut. */
  maxLoopLayers: number;
  /** Iterations one loop may run before it is cut. */
  maxIterations: number;
  /** Iterations after which a loop that has not touched any model is cut silently. */
  idleIterations: number;
  /** Active calls of one function before recursion is cut. */
  maxRecursion: number;
  /** Evaluation steps for the whole file. */
  maxSteps: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLoopLayers: 512,
  maxIterations: 10000,
  idleIterations: 64,
  maxRecursion: 8,
  maxSteps: 1_000_000,
};

/** Thrown when the step budget is spent: evaluation stops, what was found is kept. */
class Exhausted extends Error {}

/** A completion that ends the loop it happens in (anything but `continue`). */
const leavesLoop = (c: Completion): boolean => c !== undefined && c.type !== 'continue';
/** What a loop passes on to its enclosing statement: all but a plain `break`. */
const escaping = (c: Completion): Completion => (c && (c.type !== 'break' || c.label) ? c : undefined);

const IDENTIFIER_CHAR = /^[\w$]$/;
const ARRAY_CALLBACK_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'filter', 'some', 'every']);

export class Interpreter {
  readonly problems: Problem[] = [];
  readonly journal = new Journal(() => this.seq);
  readonly tf: TfApi;
  readonly global = new Scope(undefined, true);
  layersCreated = 0;
  private seq = 0;
  private steps = 0;
  private readonly evaluated = new Set<Node>();
  private readonly pending: (FnV | ClassV)[] = [];
  private readonly active = new Map<FunctionNode, number>();
  private readonly problemKeys = new Set<string>();
  /** Set when a break/return was skipped because its condition was unknown. */
  private maybeExit = false;

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
    readonly limits: Limits = DEFAULT_LIMITS,
  ) {
    this.tf = new TfApi(this);
  }

  get models(): ModelBuild[] {
    return this.tf.models;
  }

  nextSeq(): number {
    return this.seq++;
  }

  snippet(node: Node | Range, max = 60): string {
    const r = 'range' in node ? { start: node.range[0], end: node.range[1] } : node;
    const s = this.text.slice(r.start, r.end).replace(/\s+/g, ' ');
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
  }

  problem(message: string, at: Node | Range, severity: ProblemSeverity): void {
    const range = 'type' in at ? { start: at.range[0], end: at.range[1] } : at;
    const key = `${message}@${range.start}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problems.push({ message, range, severity });
  }

  /** Runs the program, then every function never called, with unknown arguments. */
  run(program: TSESTree.Program): void {
    try {
      this.execBlockBody(program.body, this.global);
      this.runPending();
    } catch (e) {
      if (!(e instanceof Exhausted)) throw e;
    }
  }

  private step(node: Node): void {
    if (++this.steps > this.limits.maxSteps) {
      this.problem(
        `Analysis stopped here: the file needs more than ${this.limits.maxSteps} evaluation steps; models after this point may be missing`,
        node,
        'warning',
      );
      throw new Exhausted();
    }
  }

  // ---------------------------------------------------------------- statements

  private hoist(body: readonly Node[], scope: Scope): void {
    for (const stmt of body) {
      const decl =
        stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : stmt;
      if (decl?.type === 'FunctionDeclaration' && decl.id) {
        scope.declare(decl.id.name, this.makeFunction(decl, scope, decl.id.name));
      } else if (stmt.type === 'ImportDeclaration') {
        this.tf.declareImport(stmt, scope);
      }
    }
  }

  private execBlockBody(body: readonly Node[], scope: Scope): Completion {
    this.hoist(body, scope);
    for (const stmt of body) {
      const c = this.exec(stmt, scope);
      if (c) return c;
    }
    return undefined;
  }

  private exec(node: Node, scope: Scope): Completion {
    this.step(node);
    switch (node.type) {
      case 'ExpressionStatement':
        this.eval(node.expression, scope);
        return undefined;
      case 'VariableDeclaration':
        for (const d of node.declarations) {
          const value = d.init ? this.eval(d.init, scope, d.id.type === 'Identifier' ? d.id.name : undefined) : UNDEFINED;
          this.bindPattern(d.id, value, scope, node.kind === 'var' ? 'var' : 'let');
        }
        return undefined;
      case 'ReturnStatement':
        return { type: 'return', value: node.argument ? this.eval(node.argument, scope) : UNDEFINED };
      case 'BlockStatement':
        return this.execBlockBody(node.body, new Scope(scope));
      case 'IfStatement':
        return this.execIf(node, scope);
      case 'ForStatement':
        return this.execFor(node, scope);
      case 'ForOfStatement':
      case 'ForInStatement':
        return this.execForEach(node, scope);
      case 'WhileStatement':
      case 'DoWhileStatement':
        return this.execWhile(node, scope);
      case 'SwitchStatement':
        return this.execSwitch(node, scope);
      case 'BreakStatement':
        return { type: 'break', label: node.label?.name };
      case 'ContinueStatement':
        return { type: 'continue', label: node.label?.name };
      case 'ThrowStatement':
        this.eval(node.argument, scope);
        return { type: 'throw' };
      case 'LabeledStatement': {
        const c = this.exec(node.body, scope);
        return c && c.type === 'break' && c.label === node.label.name ? undefined : c;
      }
      case 'TryStatement': {
        const c = this.exec(node.block, scope);
        if (node.handler) {
          const handler = node.handler;
          this.shadow(() => {
            const s = new Scope(scope);
            if (handler.param) this.bindPattern(handler.param, unknown('the caught error'), s, 'let');
            return this.exec(handler.body, s);
          });
        }
        const f = node.finalizer ? this.exec(node.finalizer, scope) : undefined;
        return f ?? c;
      }
      case 'ClassDeclaration':
        if (node.id) scope.declare(node.id.name, this.makeClass(node, scope));
        return undefined;
      case 'ExportNamedDeclaration':
        return node.declaration ? this.exec(node.declaration, scope) : undefined;
      case 'ExportDefaultDeclaration': {
        const d = node.declaration;
        if (d.type === 'ClassDeclaration' || d.type === 'FunctionDeclaration' || d.type.startsWith('TS')) return this.exec(d, scope);
        this.eval(d, scope, 'default');
        return undefined;
      }
      case 'TSImportEqualsDeclaration':
        this.tf.declareImportEquals(node, scope);
        return undefined;
      default:
        // Function declarations are hoisted; imports, type declarations and empty
        // statements have no run-time effect on models.
        return undefined;
    }
  }

  /**
   * Runs `fn` and undoes its writes; models it creates are kept. Returns how many changes
   * to the graph as it stood before were undone.
   */
  private shadow(fn: () => Completion): number {
    const mark = this.journal.mark();
    const savedExit = this.maybeExit;
    fn();
    const changes = this.journal.graphChanges(mark);
    this.journal.rollback(mark);
    this.maybeExit = savedExit;
    return changes;
  }

  private execIf(node: TSESTree.IfStatement, scope: Scope): Completion {
    const cond = truthy(this.eval(node.test, scope));
    if (cond === true) return this.exec(node.consequent, scope);
    if (cond === false) return node.alternate ? this.exec(node.alternate, scope) : undefined;
    // Unknown: a branch that leaves (return, throw, break) is a guard; assume the other one.
    const mark = this.journal.mark();
    const c = this.exec(node.consequent, scope);
    if (c) {
      this.journal.rollback(mark);
      // A `break` skipped on an unknown condition means the loop may end earlier.
      if (c.type === 'break') this.maybeExit = true;
      return node.alternate ? this.exec(node.alternate, scope) : undefined;
    }
    const thenEdits = this.journal.graphChanges(mark);
    this.journal.commit(mark);
    const elseEdits = node.alternate ? this.shadow(() => this.exec(node.alternate!, scope)) : 0;
    if (thenEdits || elseEdits) {
      const other = elseEdits ? '; the layers of the else branch are not in the graph' : '';
      this.problem(`\`${this.snippet(node.test)}\` is not known statically: assumed true${other}`, node.test, 'info');
    }
    return undefined;
  }

  private execSwitch(node: TSESTree.SwitchStatement, scope: Scope): Completion {
    const d = this.eval(node.discriminant, scope);
    const inner = new Scope(scope);
    const runFrom = (start: number): Completion => {
      for (let i = start; i < node.cases.length; i++) {
        for (const stmt of node.cases[i].consequent) {
          const c = this.exec(stmt, inner);
          if (c) return c.type === 'break' && !c.label ? undefined : c;
        }
      }
      return undefined;
    };
    let unknownCase = d.k === 'unknown';
    let match = -1;
    for (let i = 0; i < node.cases.length && !unknownCase; i++) {
      const t = node.cases[i].test;
      if (!t) continue;
      const same = sameValue(d, this.eval(t, inner));
      if (same === undefined) unknownCase = true;
      else if (same) match = i;
      if (match >= 0) break;
    }
    if (!unknownCase) {
      if (match < 0) match = node.cases.findIndex((c) => !c.test);
      return match < 0 ? undefined : runFrom(match);
    }
    // Unknown discriminant: the first case that completes normally is assumed, the
    // others are run and undone (models they create are kept).
    let chosen = -1;
    let skippedEdits = false;
    for (let i = 0; i < node.cases.length; i++) {
      const mark = this.journal.mark();
      const c = runFrom(i);
      if (chosen < 0 && !c) {
        chosen = i;
        this.journal.commit(mark);
      } else {
        if (this.journal.graphChanges(mark) && chosen >= 0) skippedEdits = true;
        this.journal.rollback(mark);
      }
    }
    if (skippedEdits) {
      const label = node.cases[chosen].test ? `case ${this.snippet(node.cases[chosen].test!)}` : 'the default case';
      this.problem(
        `\`${this.snippet(node.discriminant)}\` is not known statically: assumed ${label}; the layers of the other cases are not in the graph`,
        node.discriminant,
        'info',
      );
    }
    return undefined;
  }

  private loopHead(node: TSESTree.Node & { body: Node }): Range {
    return { start: node.range[0], end: node.body.range[0] };
  }

  /**
   * Runs `count` iterations with the layer and iteration caps. An unknown count runs the
   * body once with what is known, and says so (`unknownWhy`) when that pass changed the
   * graph. Returns false when the loop was cut or not known.
   */
  iterate(
    count: number | undefined,
    at: Node | Range,
    body: (i: number) => Completion | boolean | void,
    unknownWhy = 'The number of iterations is not known statically',
  ): boolean {
    const layersBefore = this.layersCreated;
    const mark = this.journal.mark();
    const savedExit = this.maybeExit;
    this.maybeExit = false;
    const known = count !== undefined;
    let cut: string | undefined;
    let idle = false;
    const total = count ?? 1;
    for (let i = 0; i < total; i++) {
      const c = body(i);
      if (c === true || (typeof c === 'object' && c.type !== 'continue')) break;
      if (this.layersCreated - layersBefore >= this.limits.maxLoopLayers && i + 1 < total) {
        cut = `This loop creates more than ${this.limits.maxLoopLayers} layers; only the first ${i + 1} iterations were read`;
        break;
      }
      if (i + 1 >= this.limits.maxIterations && i + 1 < total) {
        cut = `This loop runs more than ${this.limits.maxIterations} times; only the first ${i + 1} iterations were read`;
        break;
      }
      if (i + 1 === this.limits.idleIterations && i + 1 < total && this.layersCreated === layersBefore && !this.journal.graphChanges(mark)) {
        // Only loops that build models need unrolling; what this one computes becomes unknown.
        this.forgetWrites(mark, at);
        idle = true;
        break;
      }
      if (this.maybeExit && known && i + 1 < total) {
        cut = 'This loop may stop early on a condition not known statically; it was read up to its first such exit';
        break;
      }
    }
    if (cut) this.problem(cut, at, cut.includes('stop early') ? 'info' : 'warning');
    if (!known && this.journal.graphChanges(mark)) {
      this.problem(`${unknownWhy}: the loop body was read once, as if it ran one iteration`, at, 'info');
    }
    if (cut || !known) this.forgetWrites(mark, at);
    this.journal.commit(mark);
    this.maybeExit = savedExit;
    return known && !cut && !idle;
  }

  /** After a loop that was not fully unrolled, what it changed is no longer known. */
  private forgetWrites(mark: Mark, at: Node | Range): void {
    const line = this.lines.lineOf('type' in at ? at.range[0] : at.start);
    for (const b of this.journal.writtenBindings(mark)) {
      if (b.value.k === 'prim') b.value = unknown(`changed by the loop on line ${line}, which could not be unrolled`);
    }
  }

  private execFor(node: TSESTree.ForStatement, scope: Scope): Completion {
    const loopScope = new Scope(scope);
    if (node.init) {
      if (node.init.type === 'VariableDeclaration') this.exec(node.init, loopScope);
      else this.eval(node.init, loopScope);
    }
    let result: Completion;
    let count = 0;
    let test: boolean | undefined = true;
    const head = this.loopHead(node);
    const runBody = (): Completion | boolean => {
      const c = this.exec(node.body, new Scope(loopScope));
      if (leavesLoop(c)) {
        result = escaping(c);
        return true;
      }
      if (node.update) this.eval(node.update, loopScope);
      return false;
    };
    // Iterate while the test is known and true; an unknown test means an unknown count.
    this.iterate(Infinity, head, () => {
      test = node.test ? truthy(this.eval(node.test, loopScope)) : true;
      if (test !== true) return true;
      count++;
      return runBody();
    });
    if (test === undefined) {
      if (count === 0) this.forgetLoopVariables(node, loopScope);
      this.iterate(undefined, head, runBody, `The bound of this loop is not known statically (\`${this.snippet(node.test!)}\`)`);
    }
    return result;
  }

  /** With an unknown bound, the loop variables are unknown inside the single pass. */
  private forgetLoopVariables(node: TSESTree.ForStatement, loopScope: Scope): void {
    if (node.init?.type !== 'VariableDeclaration') return;
    for (const d of node.init.declarations) {
      if (d.id.type === 'Identifier') {
        const b = loopScope.lookup(d.id.name);
        if (b) b.value = unknown(`\`${d.id.name}\` is the counter of a loop whose bound is not known statically`);
      }
    }
  }

  private execForEach(node: TSESTree.ForOfStatement | TSESTree.ForInStatement, scope: Scope): Completion {
    const iterable = this.eval(node.right, scope);
    const head = this.loopHead(node);
    let items: AV[] | undefined;
    if (node.type === 'ForOfStatement') {
      if (iterable.k === 'arr') items = iterable.items.slice();
      else if (iterable.k === 'prim' && typeof iterable.v === 'string') items = [...iterable.v].map((c) => prim(c));
    } else if (iterable.k === 'obj' && !iterable.unknownSpread) items = [...iterable.props.keys()].map((k) => prim(k));
    else if (iterable.k === 'arr') items = iterable.items.map((_, i) => prim(String(i)));
    let result: Completion;
    const reason = unknown(`an element of \`${this.snippet(node.right)}\`, which is not known statically`);
    this.iterate(items?.length, head, (i) => {
      const s = new Scope(scope);
      const value = items ? items[i] : reason;
      if (node.left.type === 'VariableDeclaration') this.bindPattern(node.left.declarations[0].id, value, s, 'let');
      else this.assignPattern(node.left, value, s);
      const c = this.exec(node.body, s);
      if (leavesLoop(c)) result = escaping(c);
      return leavesLoop(c);
    }, `\`${this.snippet(node.right)}\` is not known statically`);
    return result;
  }

  private execWhile(node: TSESTree.WhileStatement | TSESTree.DoWhileStatement, scope: Scope): Completion {
    let result: Completion;
    let test: boolean | undefined = true;
    let count = 0;
    const head = this.loopHead(node);
    const runBody = (): boolean => {
      const c = this.exec(node.body, scope);
      if (leavesLoop(c)) result = escaping(c);
      return leavesLoop(c);
    };
    this.iterate(Infinity, head, () => {
      if (node.type === 'WhileStatement' || count > 0) test = truthy(this.eval(node.test, scope));
      if (test !== true) return true;
      count++;
      return runBody();
    });
    if (test === undefined) {
      this.iterate(undefined, head, runBody, `The condition of this loop is not known statically (\`${this.snippet(node.test)}\`)`);
    }
    return result;
  }

  // ---------------------------------------------------------------- bindings

  /** Declares (or, for `assign`, writes) the names of a pattern. */
  bindPattern(pattern: Node, value: AV, scope: Scope, mode: 'let' | 'var' | 'param'): void {
    switch (pattern.type) {
      case 'Identifier': {
        if (mode !== 'param') this.tf.nameModel(value, pattern.name);
        (mode === 'var' ? scope.functionScope() : scope).declare(pattern.name, value);
        return;
      }
      case 'AssignmentPattern':
        this.bindPattern(pattern.left, value.k === 'prim' && value.v === undefined ? this.eval(pattern.right, scope) : value, scope, mode);
        return;
      case 'ArrayPattern':
        pattern.elements.forEach((el, i) => {
          if (!el) return;
          if (el.type === 'RestElement') this.bindPattern(el.argument, this.restOf(value, i), scope, mode);
          else this.bindPattern(el, this.member(value, prim(i), el), scope, mode);
        });
        return;
      case 'ObjectPattern':
        for (const p of pattern.properties) {
          if (p.type === 'RestElement') {
            this.bindPattern(p.argument, unknown('the rest of a destructured object'), scope, mode);
            continue;
          }
          const key = this.propertyKey(p, scope);
          this.bindPattern(p.value, key === undefined ? unknown('a computed key') : this.member(value, prim(key), p), scope, mode);
        }
        return;
      case 'RestElement':
        this.bindPattern(pattern.argument, value, scope, mode);
        return;
      case 'TSParameterProperty':
        this.bindPattern(pattern.parameter, value, scope, mode);
        return;
      default:
        return;
    }
  }

  private restOf(value: AV, from: number): AV {
    if (value.k === 'arr') return arr(value.items.slice(from));
    return unknown('the rest of a destructured value');
  }

  private assignPattern(pattern: Node, value: AV, scope: Scope): void {
    switch (pattern.type) {
      case 'Identifier': {
        this.tf.nameModel(value, pattern.name);
        const b = scope.lookup(pattern.name);
        if (b) this.journal.setBinding(b, value);
        else this.global.declare(pattern.name, value);
        return;
      }
      case 'MemberExpression':
        this.assignMember(pattern, value, scope);
        return;
      case 'ArrayPattern':
        pattern.elements.forEach((el, i) => {
          if (el && el.type !== 'RestElement') this.assignPattern(el, this.member(value, prim(i), el), scope);
        });
        return;
      case 'ObjectPattern':
        for (const p of pattern.properties) {
          if (p.type === 'RestElement') continue;
          const key = this.propertyKey(p, scope);
          this.assignPattern(p.value, key === undefined ? unknown('a computed key') : this.member(value, prim(key), p), scope);
        }
        return;
      case 'AssignmentPattern':
        this.assignPattern(pattern.left, value.k === 'prim' && value.v === undefined ? this.eval(pattern.right, scope) : value, scope);
        return;
      default:
        return;
    }
  }

  private assignMember(target: TSESTree.MemberExpression, value: AV, scope: Scope): void {
    const object = this.eval(target.object, scope);
    const key = this.memberKey(target, scope);
    if (key === undefined) return;
    if (object.k === 'obj') {
      this.tf.nameModel(value, String(key));
      this.journal.setProp(object, String(key), { value });
    } else if (object.k === 'arr' && typeof key === 'number' && Number.isInteger(key) && key >= 0) {
      this.journal.setItem(object, key, value);
    } else if (object.k === 'layer' || object.k === 'model') {
      this.tf.setMember(object, String(key), value);
    }
  }

  private propertyKey(p: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition, scope: Scope): string | undefined {
    if (!p.computed) {
      if (p.key.type === 'Identifier') return p.key.name;
      if (p.key.type === 'Literal') return String(p.key.value);
      return undefined;
    }
    const k = this.eval(p.key, scope);
    return k.k === 'prim' && (typeof k.v === 'string' || typeof k.v === 'number') ? String(k.v) : undefined;
  }

  private memberKey(node: TSESTree.MemberExpression, scope: Scope): string | number | undefined {
    if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
    const k = this.eval(node.property, scope);
    return k.k === 'prim' && (typeof k.v === 'string' || typeof k.v === 'number') ? k.v : undefined;
  }

  // ---------------------------------------------------------------- functions and classes

  private makeFunction(node: FunctionNode, scope: Scope, name: string, cls?: ClassV): FnV {
    const fn: FnV = { k: 'fn', node, scope, name, cls };
    if (!cls) this.pending.push(fn);
    return fn;
  }

  private makeClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, scope: Scope): ClassV {
    const superClass = node.superClass ? this.eval(node.superClass, scope) : undefined;
    const cls: ClassV = {
      k: 'class',
      name: node.id?.name ?? 'anonymous class',
      node,
      scope,
      superClass,
      isLayer: superClass ? this.tf.isLayerClass(superClass) : false,
      methods: new Map(),
      statics: new Map(),
    };
    for (const m of node.body.body) {
      if (m.type !== 'MethodDefinition' || m.value.type !== 'FunctionExpression') continue;
      const key = this.propertyKey(m, scope);
      if (key !== undefined) (m.static ? cls.statics : cls.methods).set(key, m.value);
    }
    this.pending.push(cls);
    return cls;
  }

  /** Calls any callable abstract value. */
  callValue(fn: AV | undefined, args: AV[], thisValue: AV, node: TSESTree.CallExpression | TSESTree.NewExpression): AV {
    switch (fn?.k) {
      case 'fn':
        return this.callFunction(fn, args, fn.thisValue ?? thisValue);
      case 'native':
        return fn.call(args, node);
      case 'tf':
        return this.tf.call(fn.path, args, node);
      case 'unknown':
        return unknown(fn.reason);
      default:
        return unknown(`\`${this.snippet(node.callee)}\` is not a function known statically`);
    }
  }

  callFunction(fn: FnV, args: AV[], thisValue: AV): AV {
    const depth = this.active.get(fn.node) ?? 0;
    if (depth >= this.limits.maxRecursion) {
      this.problem(
        `Recursion in \`${fn.name}\` is deeper than ${this.limits.maxRecursion} calls; deeper calls were not read`,
        { start: fn.node.range[0], end: fn.node.body.range[0] },
        'warning',
      );
      return unknown(`\`${fn.name}\` recurses too deeply to follow`);
    }
    this.evaluated.add(fn.node);
    this.active.set(fn.node, depth + 1);
    const seqBefore = this.seq;
    try {
      const scope = new Scope(fn.scope, true);
      if (fn.node.type !== 'ArrowFunctionExpression') scope.declare('this', thisValue);
      fn.node.params.forEach((p, i) => {
        if (p.type === 'RestElement') this.bindPattern(p.argument, arr(args.slice(i)), scope, 'param');
        else this.bindPattern(p, args[i] ?? UNDEFINED, scope, 'param');
      });
      let result: AV = UNDEFINED;
      if (fn.node.body.type === 'BlockStatement') {
        const c = this.execBlockBody(fn.node.body.body, scope);
        if (c?.type === 'return') result = c.value;
      } else result = this.eval(fn.node.body, scope);
      this.tf.nameModelByFunction(result, fn.name, seqBefore);
      return result;
    } finally {
      this.active.set(fn.node, depth);
    }
  }

  /** `new C(...)`: tfjs layer subclasses become opaque layers; other classes run their constructor. */
  construct(cls: ClassV, args: AV[], node: TSESTree.NewExpression): AV {
    if (cls.isLayer) return this.tf.opaqueLayer(cls.name, { start: node.range[0], end: node.range[1] });
    const instance = obj();
    instance.cls = cls;
    this.runConstructor(cls, instance, args);
    cls.instance = instance;
    return instance;
  }

  private runConstructor(cls: ClassV, instance: ObjV, args: AV[]): void {
    const ctor = cls.methods.get('constructor');
    if (ctor) {
      const fn: FnV = { k: 'fn', node: ctor, scope: this.superScope(cls), name: cls.name, cls };
      this.callFunction(fn, args, instance);
    } else if (cls.superClass?.k === 'class') this.runConstructor(cls.superClass, instance, args);
  }

  /** The scope class members run in, where `super(...)` reaches the parent constructor. */
  private superScope(cls: ClassV): Scope {
    const s = new Scope(cls.scope);
    const parent = cls.superClass;
    s.declare('super', {
      k: 'native',
      name: 'super',
      call: (args) => {
        const self = s.lookup('this');
        if (parent?.k === 'class' && self?.value.k === 'obj') this.runConstructor(parent, self.value, args);
        return UNDEFINED;
      },
    });
    return s;
  }

  methodOf(instance: ObjV, key: string): AV | undefined {
    for (let c: AV | undefined = instance.cls; c?.k === 'class'; c = c.superClass) {
      const m = c.methods.get(key);
      if (m) return { k: 'fn', node: m, scope: this.superScope(c), name: key, thisValue: instance, cls: c };
    }
    return undefined;
  }

  /**
   * End of file: functions never called run once with unknown arguments. One still named
   * in another pending function waits for it, so a builder runs with the arguments its
   * (also uncalled) caller passes rather than twice.
   */
  private runPending(): void {
    const deferred = new Set<FnV | ClassV>();
    for (let i = 0; i < this.pending.length; i++) {
      const item = this.pending[i];
      if (!deferred.has(item) && this.namedInPending(item, i)) {
        deferred.add(item);
        this.pending.push(item);
        continue;
      }
      this.runUncalled(item);
    }
  }

  private namedInPending(item: FnV | ClassV, index: number): boolean {
    // Nothing else waits: no need to read the text's words.
    if (index === this.pending.length - 1) return false;
    const uses = this.wordPositions(item.name);
    const [ownStart, ownEnd] = item.node.range;
    for (const at of uses) {
      if (at >= ownStart && at < ownEnd) continue;
      for (let j = index + 1; j < this.pending.length; j++) {
        const other = this.pending[j];
        if (other === item || (other.k === 'fn' && this.evaluated.has(other.node))) continue;
        const [start, end] = other.node.range;
        if (start <= ownStart && ownEnd <= end) continue;
        if (at >= start && at < end) return true;
      }
    }
    return false;
  }

  /** Where `name` occurs in the text as a whole word (not inside a longer identifier). */
  private wordPositions(name: string): number[] {
    const positions: number[] = [];
    if (!name) return positions;
    for (let at = this.text.indexOf(name); at >= 0; at = this.text.indexOf(name, at + 1)) {
      if (!IDENTIFIER_CHAR.test(this.text.charAt(at - 1)) && !IDENTIFIER_CHAR.test(this.text.charAt(at + name.length))) positions.push(at);
    }
    return positions;
  }

  /** Runs one function never called (or a class never instantiated, and its methods). */
  private runUncalled(item: FnV | ClassV): void {
    const unknownArgs = (fnName: string, node: FunctionNode): AV[] =>
      node.params.map((p) => {
        const name = p.type === 'Identifier' ? p.name : this.snippet(p, 30);
        return unknown(`\`${name}\` is a parameter of \`${fnName}\`, never called with known arguments`);
      });
    if (item.k === 'fn') {
      if (!this.evaluated.has(item.node)) this.callFunction(item, unknownArgs(item.name, item.node), unknown('`this` is not known statically'));
      return;
    }
    if (item.isLayer) return;
    let instance = item.instance;
    if (!instance) {
      instance = obj();
      instance.cls = item;
      const ctor = item.methods.get('constructor');
      this.runConstructor(item, instance, ctor ? unknownArgs(item.name, ctor) : []);
    }
    for (const [name, node] of item.methods) {
      if (this.evaluated.has(node) || name === 'constructor') continue;
      const fn: FnV = { k: 'fn', node, scope: this.superScope(item), name, thisValue: instance, cls: item };
      this.callFunction(fn, unknownArgs(name, node), instance);
    }
  }

  // ---------------------------------------------------------------- expressions

  eval(node: Node, scope: Scope, nameHint?: string): AV {
    this.step(node);
    switch (node.type) {
      case 'Literal':
        if ('regex' in node && node.regex) return unknown('a regular expression');
        return typeof node.value === 'bigint' ? unknown('a bigint') : prim(node.value as PrimV['v']);
      case 'TemplateLiteral': {
        let s = node.quasis[0].value.cooked ?? '';
        for (let i = 0; i < node.expressions.length; i++) {
          const v = this.eval(node.expressions[i], scope);
          if (v.k !== 'prim') return unknown(`\`${this.snippet(node)}\` is not known statically`);
          s += String(v.v) + (node.quasis[i + 1].value.cooked ?? '');
        }
        return prim(s);
      }
      case 'Identifier':
        return this.lookup(node.name, scope);
      case 'ThisExpression':
        return scope.lookup('this')?.value ?? unknown('`this` is not known statically');
      case 'Super':
        return scope.lookup('super')?.value ?? unknown('`super`');
      case 'ArrayExpression': {
        const items: AV[] = [];
        for (const el of node.elements) {
          if (!el) items.push(UNDEFINED);
          else if (el.type === 'SpreadElement') {
            const v = this.eval(el.argument, scope);
            if (v.k !== 'arr') return unknown(`\`${this.snippet(el)}\` is not known statically`);
            items.push(...v.items);
          } else items.push(this.eval(el, scope));
        }
        return arr(items);
      }
      case 'ObjectExpression':
        return this.evalObject(node, scope);
      case 'MemberExpression': {
        const object = this.eval(node.object, scope);
        if (node.optional && object.k === 'prim' && object.v == null) return UNDEFINED;
        const key = this.memberKey(node, scope);
        if (key === undefined) return unknown(`\`${this.snippet(node)}\` is not known statically`);
        return this.member(object, prim(key), node);
      }
      case 'ChainExpression':
        return this.eval(node.expression, scope);
      case 'CallExpression':
        return this.evalCall(node, scope);
      case 'NewExpression': {
        const callee = this.eval(node.callee, scope);
        const args = this.evalArgs(node.arguments, scope);
        if (callee.k === 'class') return this.construct(callee, args, node);
        if (callee.k === 'native') return callee.call(args, node);
        if (callee.k === 'tf') return this.tf.call(callee.path, args, node);
        return unknown(`\`${this.snippet(node)}\` is not known statically`);
      }
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return this.makeFunction(node, scope, node.id?.name ?? nameHint ?? 'anonymous function');
      case 'ClassExpression':
        return this.makeClass(node, scope);
      case 'AssignmentExpression':
        return this.evalAssignment(node, scope);
      case 'UpdateExpression': {
        const old = this.eval(node.argument, scope);
        const next =
          old.k === 'prim' && typeof old.v === 'number'
            ? prim(node.operator === '++' ? old.v + 1 : old.v - 1)
            : unknown(`\`${this.snippet(node)}\` is not known statically`);
        this.assignPattern(node.argument, next, scope);
        return node.prefix ? next : old;
      }
      case 'UnaryExpression':
        return this.evalUnary(node, scope);
      case 'BinaryExpression':
        return this.binary(node.operator, this.eval(node.left, scope), this.eval(node.right, scope), node);
      case 'LogicalExpression':
        return this.evalLogical(node, scope);
      case 'ConditionalExpression':
        return this.evalConditional(node, scope);
      case 'SequenceExpression': {
        let last: AV = UNDEFINED;
        for (const e of node.expressions) last = this.eval(e, scope);
        return last;
      }
      case 'AwaitExpression':
        return this.eval(node.argument, scope);
      case 'ImportExpression':
        return this.tf.dynamicImport(this.eval(node.source, scope));
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'TSInstantiationExpression':
        return this.eval(node.expression, scope, nameHint);
      default:
        return unknown(`\`${this.snippet(node)}\` is not known statically`);
    }
  }

  private lookup(name: string, scope: Scope): AV {
    const b = scope.lookup(name);
    if (b) return b.value;
    const g = globalValue(name, this) ?? this.tf.globalValue(name);
    if (g) {
      this.global.declare(name, g);
      return g;
    }
    return unknown(`\`${name}\` is not defined in this file`);
  }

  private evalObject(node: TSESTree.ObjectExpression, scope: Scope): ObjV {
    const o = obj({}, { start: node.range[0], end: node.range[1] });
    for (const p of node.properties) {
      if (p.type === 'SpreadElement') {
        this.spreadInto(o, this.eval(p.argument, scope), p);
        continue;
      }
      const key = this.propertyKey(p, scope);
      if (key === undefined) {
        o.unknownSpread = `\`${this.snippet(p.key)}\` is a computed key not known statically`;
        continue;
      }
      if (p.kind !== 'init') continue; // getters and setters
      const value = this.eval(p.value, scope, key);
      this.tf.nameModel(value, key);
      o.props.set(key, {
        value,
        source: { range: { start: p.range[0], end: p.range[1] }, value: { start: p.value.range[0], end: p.value.range[1] } },
      });
    }
    return o;
  }

  /** `{...source}` and Object.assign: known properties are copied with where they are written. */
  spreadInto(target: ObjV, source: AV, at?: Node): void {
    if (source.k === 'obj') {
      for (const [k, slot] of source.props) target.props.set(k, slot);
      if (source.unknownSpread) target.unknownSpread = source.unknownSpread;
    } else if (source.k === 'arr') {
      source.items.forEach((v, i) => target.props.set(String(i), { value: v }));
    } else if (source.k === 'unknown') {
      target.unknownSpread = at ? `\`${this.snippet(at)}\` spreads a value not known statically` : source.reason;
    }
  }

  private evalArgs(nodes: readonly TSESTree.CallExpressionArgument[], scope: Scope): AV[] {
    const args: AV[] = [];
    for (const a of nodes) {
      if (a.type === 'SpreadElement') {
        const v = this.eval(a.argument, scope);
        if (v.k === 'arr') args.push(...v.items);
        else args.push(unknown(`\`${this.snippet(a)}\` is not known statically`));
      } else args.push(this.eval(a, scope));
    }
    return args;
  }

  private evalCall(node: TSESTree.CallExpression, scope: Scope): AV {
    let thisValue: AV = UNDEFINED;
    let callee: AV;
    if (node.callee.type === 'MemberExpression') {
      thisValue = this.eval(node.callee.object, scope);
      if (node.optional && thisValue.k === 'prim' && thisValue.v == null) return UNDEFINED;
      const key = this.memberKey(node.callee, scope);
      callee = key === undefined ? unknown(`\`${this.snippet(node.callee)}\` is not known statically`) : this.member(thisValue, prim(key), node.callee);
    } else callee = this.eval(node.callee, scope);
    if (callee.k === 'prim' && callee.v == null && node.optional) return UNDEFINED;
    const args = this.evalArgs(node.arguments, scope);
    if (callee.k === 'unknown') {
      this.callbackOfUnknownArray(node, args);
      // Other callbacks handed to unknown code run at the end with unknown arguments.
      return unknown(`\`${this.snippet(node)}\` is not known statically`);
    }
    return this.callValue(callee, args, thisValue, node);
  }

  /** `sizes.forEach(cb)` on an array not known statically: the callback runs once, in place. */
  private callbackOfUnknownArray(node: TSESTree.CallExpression, args: AV[]): void {
    const callee = node.callee;
    if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
    if (!ARRAY_CALLBACK_METHODS.has(callee.property.name)) return;
    const fn = args[0];
    if (fn?.k !== 'fn') return;
    const why = `\`${this.snippet(callee.object)}\` is not known statically`;
    const element = unknown(`an element of ${why.replace(' is not known statically', '')}, which is not known statically`);
    this.iterate(undefined, callee.property, () => void this.callValue(fn, [element, unknown('an index not known statically')], UNDEFINED, node), why);
  }

  /** Reads a property or element of any abstract value. */
  member(object: AV, key: PrimV, at: Node): AV {
    const k = key.v;
    switch (object.k) {
      case 'arr':
        if (typeof k === 'number') return object.items[k] ?? UNDEFINED;
        if (k === 'length') return prim(object.items.length);
        if (typeof k === 'string' && /^\d+$/.test(k)) return object.items[Number(k)] ?? UNDEFINED;
        return arrayMethod(object, String(k), this) ?? unknown(`\`${this.snippet(at)}\` is not known statically`);
      case 'obj': {
        const slot = object.props.get(String(k));
        if (slot) return slot.value;
        const method = this.methodOf(object, String(k));
        if (method) return method;
        return object.unknownSpread ? unknown(object.unknownSpread) : UNDEFINED;
      }
      case 'prim':
        if (typeof object.v === 'string') {
          if (k === 'length') return prim(object.v.length);
          if (typeof k === 'number') return prim(object.v[k]);
        }
        if (object.v == null) return unknown(`\`${this.snippet(at)}\` reads a property of ${object.v}`);
        return unknown(`\`${this.snippet(at)}\` is not known statically`);
      case 'unknown':
        return object;
      case 'native':
        return object.members?.get(String(k)) ?? unknown(`\`${this.snippet(at)}\` is not known statically`);
      case 'class': {
        const m = object.statics.get(String(k));
        return m ? { k: 'fn', node: m, scope: object.scope, name: String(k), cls: object } : unknown(`\`${this.snippet(at)}\` is not known statically`);
      }
      case 'tf':
      case 'layer':
      case 'model':
      case 'tensor':
        return this.tf.member(object, k, at);
      default:
        return unknown(`a ${describeKind(object)} has no known \`${String(k)}\``);
    }
  }

  private evalAssignment(node: TSESTree.AssignmentExpression, scope: Scope): AV {
    const nameHint = node.left.type === 'Identifier' ? node.left.name : undefined;
    let value: AV;
    if (node.operator === '=') value = this.eval(node.right, scope, nameHint);
    else {
      const old = this.eval(node.left, scope);
      const op = node.operator.slice(0, -1);
      if (op === '||' || op === '&&' || op === '??') {
        const t = op === '??' ? (old.k === 'unknown' ? undefined : !(old.k === 'prim' && old.v == null)) : truthy(old);
        if (t === undefined) value = unknown(`\`${this.snippet(node)}\` is not known statically`);
        else value = (op === '&&') === t ? this.eval(node.right, scope) : old;
        if (value === old) return old;
      } else value = this.binary(op, old, this.eval(node.right, scope), node);
    }
    this.assignPattern(node.left, value, scope);
    return value;
  }

  private evalUnary(node: TSESTree.UnaryExpression, scope: Scope): AV {
    const v = this.eval(node.argument, scope);
    if (node.operator === 'void') return UNDEFINED;
    if (node.operator === 'typeof') {
      if (v.k === 'prim') return prim(v.v === null ? 'object' : typeof v.v);
      if (v.k === 'fn' || v.k === 'native' || v.k === 'class') return prim('function');
      return v.k === 'unknown' ? v : prim('object');
    }
    if (node.operator === '!') {
      const t = truthy(v);
      return t === undefined ? unknown(v.k === 'unknown' ? v.reason : 'not known statically') : prim(!t);
    }
    if (v.k !== 'prim') return v.k === 'unknown' ? v : unknown(`\`${this.snippet(node)}\` is not known statically`);
    const x = v.v as number;
    switch (node.operator) {
      case '-':
        return prim(-x);
      case '+':
        return prim(+x);
      case '~':
        return prim(~x);
      default:
        return unknown(`\`${this.snippet(node)}\` is not known statically`);
    }
  }

  private binary(op: string, a: AV, b: AV, node: Node): AV {
    if (op === '===' || op === '!==') {
      const same = sameValue(a, b);
      if (same !== undefined) return prim(op === '===' ? same : !same);
    }
    if (a.k !== 'prim' || b.k !== 'prim') {
      const u = a.k === 'unknown' ? a : b.k === 'unknown' ? b : undefined;
      return unknown(u ? u.reason : `\`${this.snippet(node)}\` is not known statically`);
    }
    // Both operands are known primitives: JavaScript computes the result.
    const x = a.v as never;
    const y = b.v as never;
    switch (op) {
      case '+': return prim((x as number) + (y as number));
      case '-': return prim(x - y);
      case '*': return prim(x * y);
      case '/': return prim(x / y);
      case '%': return prim(x % y);
      case '**': return prim((x as number) ** (y as number));
      case '<': return prim(x < y);
      case '<=': return prim(x <= y);
      case '>': return prim(x > y);
      case '>=': return prim(x >= y);
      case '==': return prim(x == y);
      case '!=': return prim(x != y);
      case '&': return prim(x & y);
      case '|': return prim(x | y);
      case '^': return prim(x ^ y);
      case '<<': return prim(x << y);
      case '>>': return prim(x >> y);
      case '>>>': return prim(x >>> y);
      default: return unknown(`\`${this.snippet(node)}\` is not known statically`);
    }
  }

  private evalLogical(node: TSESTree.LogicalExpression, scope: Scope): AV {
    const left = this.eval(node.left, scope);
    const t =
      node.operator === '??'
        ? left.k === 'unknown'
          ? undefined
          : !(left.k === 'prim' && left.v == null)
        : truthy(left);
    if (t === undefined) {
      this.shadow(() => void this.eval(node.right, scope));
      return unknown(`\`${this.snippet(node.left)}\` is not known statically`);
    }
    const takeLeft = node.operator === '&&' ? !t : t;
    return takeLeft ? left : this.eval(node.right, scope);
  }

  private evalConditional(node: TSESTree.ConditionalExpression, scope: Scope): AV {
    const test = this.eval(node.test, scope);
    const t = truthy(test);
    if (t !== undefined) return this.eval(t ? node.consequent : node.alternate, scope);
    const mark = this.journal.mark();
    const a = this.eval(node.consequent, scope);
    const thenEdits = this.journal.graphChanges(mark);
    this.journal.commit(mark);
    let b: AV = UNDEFINED;
    const elseEdits = this.shadow(() => {
      b = this.eval(node.alternate, scope);
      return undefined;
    });
    if (sameValue(a, b) === true) return a;
    // A graph value (`useBn ? bn.apply(x) : x`) is assumed from the first arm; a config value is unknown.
    if (a.k === 'tensor' || a.k === 'layer' || a.k === 'model') {
      if (thenEdits || elseEdits) {
        this.problem(`\`${this.snippet(node.test)}\` is not known statically: assumed true`, node.test, 'info');
      }
      return a;
    }
    return test.k === 'unknown' ? test : unknown(`\`${this.snippet(node.test)}\` is not known statically`);
  }
}

