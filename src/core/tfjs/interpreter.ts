// An abstract interpreter for the JavaScript/TypeScript that defines tfjs models. It runs
// the file once, top to bottom, folding what is statically known (constants, arithmetic,
// loops with known bounds, calls of local functions with known arguments) and carrying
// `unknown` with a reason for everything else. Functions never called are run at the end
// with unknown arguments. Branches on unknown conditions: one is assumed, the other is run
// and undone (models it creates are kept), and the assumption is reported when it matters.
//
// This file holds the interpreter's state, budgets and problems. Its parts live in their own
// modules: statements.ts (loops in loops.ts), patterns.ts (declaring and assigning names),
// expressions.ts (operators in operators.ts), calls.ts (functions, classes, calls) and
// uncalled.ts (what is never called, run at the end). They call each other through this
// class (`it.eval`, `it.exec`, ...), as acorn's parser parts do through the parser object;
// a part imports only its own helpers (statements → loops, expressions → operators,
// uncalled → calls).

import * as path from 'path';
import { charge } from '../budget';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Problem, ProblemSeverity, Range } from '../graph';
import type { LineIndex } from '../text';
import { callValue, evalCall, evalNew, makeClass, makeFunction, methodOf } from './calls';
import { evaluate, member, spreadInto } from './expressions';
import type { ModelBuild } from './graphBuilder';
import { Modules, type ModuleSource, type ReadFile } from './modules';
import { parseProgram, type ParseProgram } from './parse';
import { assignPattern, bindPattern, memberKey, propertyKey } from './patterns';
import { Journal, Mark, Scope } from './scope';
import { Completion, execBlockBody, execute } from './statements';
import { TfApi } from './tfApi';
import { runPending } from './uncalled';
import { AV, ClassV, FnV, FunctionNode, ObjV, PrimV, UnknownV, unknown } from './values';

type Node = TSESTree.Node;

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
  /** How many files deep relative imports are followed. */
  maxImportDepth: number;
  /** Characters of imported files read in all. */
  maxImportBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLoopLayers: 512,
  maxIterations: 10000,
  idleIterations: 64,
  maxRecursion: 8,
  maxSteps: 1_000_000,
  maxImportDepth: 4,
  maxImportBytes: 2_000_000,
};

/** Thrown when the step budget is spent: evaluation stops, what was found is kept. */
class Exhausted extends Error {}

export class Interpreter {
  readonly problems: Problem[] = [];
  readonly journal = new Journal(() => this.seq);
  readonly tf: TfApi;
  readonly global = new Scope(undefined, true);
  layersCreated = 0;
  /** Every function and class made, in order; those never called run at the end. */
  readonly pending: (FnV | ClassV)[] = [];
  /** Function bodies that have run at least once. */
  readonly evaluated = new Set<Node>();
  /** Calls of each function under way, to cut recursion. */
  readonly active = new Map<FunctionNode, number>();
  /** Set when a break/return was skipped because its condition was unknown. */
  maybeExit = false;
  /** The file being linted, and the file whose code runs now (another one inside an imported builder). */
  readonly main: ModuleSource;
  current: ModuleSource;
  /** While code of another file runs: the range in this file standing for it (the call or import). */
  site?: Range;
  /** Set while an imported file's top level runs: the models it builds are that file's. */
  importing = 0;
  readonly modules: Modules;
  /** `export default <expression>`: its value, for files imported. */
  readonly defaultExports = new Map<Node, AV>();
  private nextId = 0;
  private steps = 0;
  private readonly problemKeys = new Set<string>();

  constructor(
    text: string,
    lines: LineIndex,
    readonly limits: Limits = DEFAULT_LIMITS,
    options: { file?: string; readFile?: ReadFile; parse?: ParseProgram } = {},
  ) {
    this.main = this.current = { file: options.file ?? '', text, lines };
    this.modules = new Modules(this, options.readFile, options.parse ?? parseProgram);
    this.tf = new TfApi(this);
  }

  /** The text of the file whose code runs now. */
  get text(): string {
    return this.current.text;
  }

  get lines(): LineIndex {
    return this.current.lines;
  }

  /** Where something made from the code at `range` is shown: there, or at the site in this file. */
  here(range: Range): Range {
    return this.current === this.main ? range : (this.site ?? { start: 0, end: 0 });
  }

  /** Runs code of `module` (`at`: the range in this file standing for it). */
  runIn<T>(module: ModuleSource, at: Range | undefined, importing: boolean, fn: () => T): T {
    const saved = { current: this.current, site: this.site };
    if (this.current === this.main) this.site = at;
    this.current = module;
    if (importing) this.importing++;
    try {
      return fn();
    } finally {
      if (importing) this.importing--;
      this.current = saved.current;
      this.site = saved.site;
    }
  }

  get models(): ModelBuild[] {
    return this.tf.models;
  }

  /** The sequence number the next layer, application or model will get. */
  get seq(): number {
    return this.nextId;
  }

  nextSeq(): number {
    return this.nextId++;
  }

  snippet(node: Node | Range, max = 60): string {
    const r = 'range' in node ? { start: node.range[0], end: node.range[1] } : node;
    // A bounded prefix: snippets of a huge expression, once per element, made reading it quadratic.
    const end = Math.min(r.end, r.start + 8 * max);
    const s = this.text.slice(r.start, end).replace(/\s+/g, ' ');
    return s.length > max || end < r.end ? `${s.slice(0, max - 1)}…` : s;
  }

  /** "`code` is not known statically": the reason most unknown values carry. */
  whyNotKnown(node: Node | Range): string {
    return `\`${this.snippet(node)}\` is not known statically`;
  }

  /** The value of code that cannot be known statically, saying so. */
  notKnown(node: Node | Range): UnknownV {
    return unknown(this.whyNotKnown(node));
  }

  problem(message: string, at: Node | Range, severity: ProblemSeverity): void {
    let range = 'type' in at ? { start: at.range[0], end: at.range[1] } : at;
    if (this.current !== this.main) {
      message = `${path.basename(this.current.file)} line ${this.lines.lineOf(range.start)}: ${message}`;
      range = this.here(range);
    }
    const key = `${message}@${range.start}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problems.push({ message, range, severity });
  }

  /** Runs the program, then every function never called, with unknown arguments. */
  run(program: TSESTree.Program): void {
    try {
      this.execBlockBody(program.body, this.global);
      runPending(this);
    } catch (e) {
      if (!(e instanceof Exhausted)) throw e;
    }
  }

  /** Counts one evaluation step; stops the analysis when the budget is spent. */
  step(node: Node): void {
    // The file's analysis budget too (shared with the estimate and the rules).
    charge(1);
    if (++this.steps > this.limits.maxSteps) {
      this.problem(
        `Analysis stopped here: the file needs more than ${this.limits.maxSteps} evaluation steps; models after this point may be missing`,
        node,
        'warning',
      );
      throw new Exhausted();
    }
  }

  /**
   * Runs `fn` and undoes its writes; models it creates are kept. Returns how many changes
   * to the graph as it stood before were undone.
   */
  shadow(fn: () => Completion): number {
    const mark = this.journal.mark();
    const savedExit = this.maybeExit;
    fn();
    const changes = this.journal.graphChanges(mark);
    this.journal.rollback(mark);
    this.maybeExit = savedExit;
    return changes;
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
    /** Why the loop was read only in part; a possible early exit is information, a budget cut a warning. */
    let cut: { message: string; severity: 'info' | 'warning' } | undefined;
    let idle = false;
    const total = count ?? 1;
    for (let i = 0; i < total; i++) {
      const c = body(i);
      if (c === true || (typeof c === 'object' && c.type !== 'continue')) break;
      if (this.layersCreated - layersBefore >= this.limits.maxLoopLayers && i + 1 < total) {
        cut = { message: `This loop creates more than ${this.limits.maxLoopLayers} layers; only the first ${i + 1} iterations were read`, severity: 'warning' };
        break;
      }
      if (i + 1 >= this.limits.maxIterations && i + 1 < total) {
        cut = { message: `This loop runs more than ${this.limits.maxIterations} times; only the first ${i + 1} iterations were read`, severity: 'warning' };
        break;
      }
      if (i + 1 === this.limits.idleIterations && i + 1 < total && this.layersCreated === layersBefore && !this.journal.graphChanges(mark)) {
        // Only loops that build models need unrolling; what this one computes becomes unknown.
        this.forgetWrites(mark, at);
        idle = true;
        break;
      }
      if (this.maybeExit && known && i + 1 < total) {
        cut = { message: 'This loop may stop early on a condition not known statically; it was read up to its first such exit', severity: 'info' };
        break;
      }
    }
    if (cut) this.problem(cut.message, at, cut.severity);
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

  // ------------------------------------------------ the parts, each in its own module

  exec(node: Node, scope: Scope): Completion {
    return execute(this, node, scope);
  }

  /** Runs a block's statements after hoisting its function declarations and imports. */
  execBlockBody(body: readonly Node[], scope: Scope): Completion {
    return execBlockBody(this, body, scope);
  }

  eval(node: Node, scope: Scope, nameHint?: string): AV {
    return evaluate(this, node, scope, nameHint);
  }

  /** Reads a property or element of any abstract value. */
  member(object: AV, key: PrimV, at: Node): AV {
    return member(this, object, key, at);
  }

  /** `{...source}` and Object.assign: known properties are copied with where they are written. */
  spreadInto(target: ObjV, source: AV, at?: Node): void {
    spreadInto(this, target, source, at);
  }

  /** Declares the names of a pattern (`let`, `var`, a parameter). */
  bindPattern(pattern: Node, value: AV, scope: Scope, mode: 'let' | 'var' | 'param'): void {
    bindPattern(this, pattern, value, scope, mode);
  }

  /** Writes the names and members a pattern assigns to. */
  assignPattern(pattern: Node, value: AV, scope: Scope): void {
    assignPattern(this, pattern, value, scope);
  }

  propertyKey(p: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition, scope: Scope): string | undefined {
    return propertyKey(this, p, scope);
  }

  memberKey(node: TSESTree.MemberExpression, scope: Scope): string | number | undefined {
    return memberKey(this, node, scope);
  }

  makeFunction(node: FunctionNode, scope: Scope, name: string): FnV {
    return makeFunction(this, node, scope, name);
  }

  makeClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, scope: Scope): ClassV {
    return makeClass(this, node, scope);
  }

  evalCall(node: TSESTree.CallExpression, scope: Scope): AV {
    return evalCall(this, node, scope);
  }

  evalNew(node: TSESTree.NewExpression, scope: Scope): AV {
    return evalNew(this, node, scope);
  }

  /** Calls any callable abstract value. */
  callValue(fn: AV | undefined, args: AV[], thisValue: AV, node: TSESTree.CallExpression | TSESTree.NewExpression): AV {
    return callValue(this, fn, args, thisValue, node);
  }

  methodOf(instance: ObjV, key: string): AV | undefined {
    return methodOf(this, instance, key);
  }
}
