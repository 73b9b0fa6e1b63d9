// A small typed syntax tree over @lezer/python's concrete tree: the statements and
// expressions model code uses, each with its character range. Anything else becomes
// `other`/`unknown` (kept with its range), so half-typed code still yields a tree.

import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import type { Range } from '../graph';

export type Expr =
  | { type: 'name'; name: string; range: Range }
  | { type: 'number'; value: number; range: Range }
  | { type: 'string'; value: string; range: Range }
  /** f"layer{i}": literal text and replacement fields (with their format spec) in order. */
  | { type: 'fstring'; parts: (string | { value: Expr; spec: string })[]; range: Range }
  | { type: 'bool'; value: boolean; range: Range }
  | { type: 'none'; range: Range }
  | { type: 'attr'; object: Expr; name: string; nameRange: Range; range: Range }
  | { type: 'index'; object: Expr; index: Expr; range: Range }
  | { type: 'call'; callee: Expr; args: Arg[]; argsRange: Range; range: Range }
  | { type: 'list' | 'tuple'; items: Expr[]; range: Range }
  /** A set literal `{a, b}`: read by static scans (parse_model's module sets); the interpreter treats it as unknown. */
  | { type: 'set'; items: Expr[]; range: Range }
  | { type: 'dict'; entries: { key: Expr; value: Expr }[]; range: Range }
  | { type: 'comprehension'; element: Expr; target: Expr; iter: Expr; list: boolean; range: Range }
  | { type: 'binary'; op: string; left: Expr; right: Expr; range: Range }
  | { type: 'unary'; op: string; operand: Expr; range: Range }
  | { type: 'conditional'; test: Expr; then: Expr; otherwise: Expr; range: Range }
  | { type: 'starred'; value: Expr; double: boolean; range: Range }
  | { type: 'unknown'; range: Range };

export interface Arg {
  name?: string;
  /** `*xs` or `**kw`. */
  star?: '*' | '**';
  value: Expr;
  range: Range;
}

export interface Param {
  name: string;
  default?: Expr;
  star?: '*' | '**';
}

export interface FunctionDef {
  type: 'def';
  name: string;
  params: Param[];
  body: Stmt[];
  range: Range;
}

export interface ClassDef {
  type: 'class';
  name: string;
  bases: Expr[];
  body: Stmt[];
  range: Range;
  nameRange: Range;
}

export type Stmt =
  | FunctionDef
  | ClassDef
  | { type: 'assign'; targets: Expr[]; value: Expr; range: Range }
  | { type: 'augassign'; target: Expr; op: string; value: Expr; range: Range }
  | { type: 'expr'; value: Expr; range: Range }
  | { type: 'return'; value?: Expr; range: Range }
  | { type: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; range: Range }
  | { type: 'for'; target: Expr; iter: Expr; body: Stmt[]; range: Range }
  | { type: 'import'; module: string; names: { name: string; alias: string }[]; from: boolean; range: Range }
  | { type: 'block'; body: Stmt[]; range: Range }
  | { type: 'other'; range: Range };

export interface Module {
  body: Stmt[];
  /** Ranges of the parser's error nodes: where the code does not parse. */
  errors: Range[];
}

const rangeOf = (n: SyntaxNode): Range => ({ start: n.from, end: n.to });

/** Whether a node name starts with a letter (a named node, not punctuation). */
function named(name: string): boolean {
  const c = name.charCodeAt(0) | 0x20;
  return c >= 0x61 && c <= 0x7a;
}

/** Child nodes that carry meaning: no punctuation, no comments. */
function parts(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    const name = c.name;
    if (name === 'Comment' || !(named(name) || name === '⚠')) continue;
    out.push(c);
  }
  return out;
}

const EXPRESSION_KEYWORDS = new Set(['if', 'else', 'for', 'in', 'not', 'is', 'and', 'or', 'lambda', 'await', 'async']);

class Converter {
  readonly errors: Range[] = [];
  constructor(private readonly text: string) {}

  private src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  module(top: SyntaxNode): Module {
    const body = this.statements(top);
    return { body, errors: this.errors };
  }

  private statements(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.type.isError) {
        this.errors.push(rangeOf(c));
        continue;
      }
      const s = this.statement(c);
      if (s) out.push(s);
    }
    return out;
  }

  private body(n: SyntaxNode): Stmt[] {
    // The body closes a definition or a compound statement: its last child, found without a search.
    const last = n.lastChild;
    const b = last?.name === 'Body' ? last : n.getChild('Body');
    return b ? this.statements(b) : [];
  }

  private statement(n: SyntaxNode): Stmt | undefined {
    const range = rangeOf(n);
    switch (n.name) {
      case 'ClassDefinition': {
        const name = n.getChild('VariableName');
        const args = n.getChild('ArgList');
        return {
          type: 'class',
          name: name ? this.src(name) : '',
          bases: args ? this.args(args).map((a) => a.value) : [],
          body: this.body(n),
          range,
          nameRange: name ? rangeOf(name) : range,
        };
      }
      case 'FunctionDefinition': {
        const name = n.getChild('VariableName');
        const params = n.getChild('ParamList');
        return { type: 'def', name: name ? this.src(name) : '', params: params ? this.params(params) : [], body: this.body(n), range };
      }
      case 'DecoratedStatement': {
        const inner = parts(n).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        return inner ? this.statement(inner) : { type: 'other', range };
      }
      case 'AssignStatement': {
        // a = b = value; a, b = value: comma-separated targets form a tuple.
        const groups: SyntaxNode[][] = [[]];
        for (let c = n.firstChild; c; c = c.nextSibling) {
          if (c.name === 'AssignOp') groups.push([]);
          else if (c.name !== ',' && c.name !== 'TypeDef' && c.name !== 'Comment') groups[groups.length - 1].push(c);
        }
        const exprs = groups.filter((g) => g.length).map((g) => (g.length === 1 ? this.expr(g[0]) : this.tupleOf(g)));
        if (exprs.length < 2) return { type: 'other', range };
        return { type: 'assign', targets: exprs.slice(0, -1), value: exprs[exprs.length - 1], range };
      }
      case 'UpdateStatement': {
        const [target, value] = parts(n).filter((c) => c.name !== 'UpdateOp');
        const op = n.getChild('UpdateOp');
        if (!target || !value || !op) return { type: 'other', range };
        return { type: 'augassign', target: this.expr(target), op: this.src(op).slice(0, -1), value: this.expr(value), range };
      }
      case 'ExpressionStatement': {
        const e = parts(n);
        return e.length ? { type: 'expr', value: e.length === 1 ? this.expr(e[0]) : this.tupleOf(e), range } : undefined;
      }
      case 'ReturnStatement': {
        const e = parts(n).filter((c) => c.name !== 'return');
        return { type: 'return', value: e.length === 0 ? undefined : e.length === 1 ? this.expr(e[0]) : this.tupleOf(e), range };
      }
      case 'IfStatement':
        return this.ifChain(n);
      case 'ForStatement': {
        const inAt = this.childIndex(n, 'in');
        const kids = this.allChildren(n);
        const targets = kids.slice(1, inAt).filter((c) => c.name !== ',' && c.name !== 'for' && c.name !== 'async');
        const iter = kids.slice(inAt + 1).find((c) => c.name !== 'Body' && named(c.name));
        if (!iter || !targets.length) return { type: 'other', range };
        return { type: 'for', target: targets.length === 1 ? this.expr(targets[0]) : this.tupleOf(targets), iter: this.expr(iter), body: this.body(n), range };
      }
      case 'ImportStatement':
        return this.importStatement(n);
      case 'WithStatement':
      case 'TryStatement':
      case 'WhileStatement':
        return { type: 'block', body: this.body(n), range };
      default:
        return { type: 'other', range };
    }
  }

  private allChildren(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  private childIndex(n: SyntaxNode, name: string): number {
    return this.allChildren(n).findIndex((c) => c.name === name);
  }

  /** if / elif / else as nested ifs: lezer lists every clause flat under one node. */
  private ifChain(n: SyntaxNode): Stmt {
    const kids = this.allChildren(n);
    const clauses: { test?: Expr; body: Stmt[] }[] = [];
    let test: Expr | undefined;
    let pending = false;
    for (const c of kids) {
      if (c.name === 'if' || c.name === 'elif') pending = true;
      else if (c.name === 'else') {
        pending = false;
        test = undefined;
      } else if (c.name === 'Body') {
        clauses.push({ test, body: this.statements(c) });
        test = undefined;
      } else if (pending && named(c.name)) {
        test = this.expr(c);
        pending = false;
      }
    }
    const build = (i: number): Stmt[] => {
      const clause = clauses[i];
      if (!clause) return [];
      if (!clause.test) return clause.body;
      return [{ type: 'if', test: clause.test, body: clause.body, orelse: build(i + 1), range: rangeOf(n) }];
    };
    const built = build(0);
    return built.length === 1 && built[0].type === 'if' ? built[0] : { type: 'block', body: built, range: rangeOf(n) };
  }

  private importStatement(n: SyntaxNode): Stmt {
    const kids = this.allChildren(n);
    const from = kids[0]?.name === 'from';
    const importAt = kids.findIndex((c) => c.name === 'import');
    const dotted = (list: SyntaxNode[]) => list.map((c) => (c.name === '.' ? '.' : this.src(c))).join('');
    const names: { name: string; alias: string }[] = [];
    let module = '';
    const after = kids.slice(importAt + 1);
    if (from) module = dotted(kids.slice(1, importAt).filter((c) => c.name === 'VariableName' || c.name === '.'));
    // Clauses separated by commas: `a.b as c, d`.
    let current: SyntaxNode[] = [];
    const flush = () => {
      const asAt = current.findIndex((c) => c.name === 'as');
      const nameParts = (asAt < 0 ? current : current.slice(0, asAt)).filter((c) => c.name === 'VariableName' || c.name === '.' || c.name === '*');
      const name = dotted(nameParts);
      if (name) {
        const alias = asAt < 0 ? (from ? name : name.split('.')[0]) : this.src(current[asAt + 1] ?? current[asAt]);
        names.push({ name, alias });
      }
      current = [];
    };
    for (const c of after) {
      if (c.name === ',') flush();
      else if (c.name !== '(' && c.name !== ')') current.push(c);
    }
    flush();
    return { type: 'import', module, names, from, range: rangeOf(n) };
  }

  private params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    let star: '*' | '**' | undefined;
    let expectDefault = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === '*' || c.name === '**') star = c.name;
      else if (c.name === 'VariableName' && !expectDefault) {
        out.push({ name: this.src(c), star });
        star = undefined;
      } else if (c.name === 'AssignOp') expectDefault = true;
      else if (expectDefault && named(c.name)) {
        if (out.length) out[out.length - 1].default = this.expr(c);
        expectDefault = false;
      }
    }
    return out;
  }

  args(n: SyntaxNode): Arg[] {
    const out: Arg[] = [];
    let pending: { name?: string; star?: '*' | '**'; from: number } = { from: -1 };
    const kids = this.allChildren(n);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c.name === '*' || c.name === '**') pending = { ...pending, star: c.name, from: c.from };
      else if (c.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp') {
        pending = { name: this.src(c), from: c.from };
        i++;
      } else if (named(c.name) && !EXPRESSION_KEYWORDS.has(c.name)) {
        const from = pending.from >= 0 ? pending.from : c.from;
        out.push({ name: pending.name, star: pending.star, value: this.expr(c), range: { start: from, end: c.to } });
        pending = { from: -1 };
      } else if (c.name === 'for') {
        // A generator argument: `nn.ModuleList(Block(c) for _ in range(n))` is one argument.
        return [{ value: this.comprehension(kids, rangeOf(n), false), range: rangeOf(n) }];
      }
    }
    return out;
  }

  /** `element for target in iter` from the nodes of a comprehension or a generator argument. */
  private comprehension(kids: SyntaxNode[], range: Range, isList: boolean): Expr {
    const forAt = kids.findIndex((c) => c.name === 'for');
    const inAt = kids.findIndex((c) => c.name === 'in');
    const element = kids.slice(0, forAt).find((c) => named(c.name));
    const targets = kids.slice(forAt + 1, inAt).filter((c) => named(c.name));
    const iter = kids.slice(inAt + 1).find((c) => named(c.name) && !EXPRESSION_KEYWORDS.has(c.name));
    // A second `for` or an `if` filter makes the element count unknowable here.
    const extra = kids.slice(inAt + 1).some((c) => c.name === 'for' || c.name === 'if');
    if (forAt < 0 || inAt < 0 || !element || !targets.length || !iter || extra) return { type: 'unknown', range };
    const target = targets.length === 1 ? this.expr(targets[0]) : this.tupleOf(targets);
    return { type: 'comprehension', element: this.expr(element), target, iter: this.expr(iter), list: isList, range };
  }

  private tupleOf(nodes: SyntaxNode[]): Expr {
    const items = nodes.map((c) => this.expr(c));
    return { type: 'tuple', items, range: { start: nodes[0].from, end: nodes[nodes.length - 1].to } };
  }

  expr(n: SyntaxNode): Expr {
    const range = rangeOf(n);
    switch (n.name) {
      case 'VariableName':
        return { type: 'name', name: this.src(n), range };
      case 'Number': {
        const v = Number(this.src(n).replace(/_/g, ''));
        return Number.isFinite(v) ? { type: 'number', value: v, range } : { type: 'unknown', range };
      }
      case 'String':
        return this.string(n);
      case 'FormatString':
        return this.formatString(n);
      case 'Boolean':
        return { type: 'bool', value: this.src(n) === 'True', range };
      case 'None':
        return { type: 'none', range };
      case 'MemberExpression': {
        const k = parts(n);
        const object = k[0];
        const prop = k.find((c) => c.name === 'PropertyName');
        if (object && prop) return { type: 'attr', object: this.expr(object), name: this.src(prop), nameRange: rangeOf(prop), range };
        if (object && k[1]) return { type: 'index', object: this.expr(object), index: this.expr(k[1]), range };
        return { type: 'unknown', range };
      }
      case 'CallExpression': {
        const k = parts(n);
        const args = k.find((c) => c.name === 'ArgList');
        if (!k[0] || !args) return { type: 'unknown', range };
        return { type: 'call', callee: this.expr(k[0]), args: this.args(args), argsRange: rangeOf(args), range };
      }
      case 'ParenthesizedExpression': {
        const k = parts(n);
        return k.length === 1 ? this.expr(k[0]) : { type: 'unknown', range };
      }
      case 'TupleExpression':
      case 'ArrayExpression':
        return { type: n.name === 'ArrayExpression' ? 'list' : 'tuple', items: this.items(n), range };
      case 'SetExpression':
        return { type: 'set', items: this.items(n), range };
      case 'DictionaryExpression': {
        const entries: { key: Expr; value: Expr }[] = [];
        const kids = this.allChildren(n);
        for (let i = 0; i < kids.length; i++) {
          if (kids[i].name === ':' && kids[i - 1] && kids[i + 1]) entries.push({ key: this.expr(kids[i - 1]), value: this.expr(kids[i + 1]) });
        }
        return { type: 'dict', entries, range };
      }
      case 'ArrayComprehensionExpression':
      case 'ComprehensionExpression':
        return this.comprehension(this.allChildren(n), range, n.name === 'ArrayComprehensionExpression');
      case 'BinaryExpression': {
        const kids = this.allChildren(n);
        const operands = kids.filter((c) => /^[A-Z]/.test(c.name) && !/Op$/.test(c.name));
        const opNodes = kids.filter((c) => /Op$/.test(c.name) || EXPRESSION_KEYWORDS.has(c.name));
        if (operands.length !== 2) return { type: 'unknown', range };
        const op = opNodes.map((o) => this.src(o)).join(' ');
        return { type: 'binary', op, left: this.expr(operands[0]), right: this.expr(operands[1]), range };
      }
      case 'UnaryExpression': {
        const kids = this.allChildren(n);
        const operand = kids.filter((c) => /^[A-Z]/.test(c.name) && !/Op$/.test(c.name)).pop();
        if (!operand) return { type: 'unknown', range };
        return { type: 'unary', op: this.src(kids[0]), operand: this.expr(operand), range };
      }
      case 'ConditionalExpression': {
        const operands = parts(n).filter((c) => !EXPRESSION_KEYWORDS.has(c.name));
        if (operands.length !== 3) return { type: 'unknown', range };
        return { type: 'conditional', then: this.expr(operands[0]), test: this.expr(operands[1]), otherwise: this.expr(operands[2]), range };
      }
      default:
        return { type: 'unknown', range };
    }
  }

  /** List or tuple elements, with `*xs` as starred items. */
  private items(n: SyntaxNode): Expr[] {
    const out: Expr[] = [];
    let starFrom = -1;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === '*') starFrom = c.from;
      else if (named(c.name) && c.name !== 'Comment') {
        const value = this.expr(c);
        out.push(starFrom >= 0 ? { type: 'starred', value, double: false, range: { start: starFrom, end: c.to } } : value);
        starFrom = -1;
      }
    }
    return out;
  }

  /** An f-string: the text between replacement fields is literal (`{{` and `}}` are braces). */
  private formatString(n: SyntaxNode): Expr {
    const raw = this.src(n);
    const open = /^[rRbBuUfF]*('''|"""|'|")/.exec(raw);
    if (!open) return { type: 'unknown', range: rangeOf(n) };
    const literal = (from: number, to: number) => this.text.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    const parts: (string | { value: Expr; spec: string })[] = [];
    let at = n.from + open[0].length;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > at) parts.push(literal(at, c.from));
      const value = this.allChildren(c).find((k) => named(k.name) && !k.name.startsWith('Format'));
      if (!value) return { type: 'unknown', range: rangeOf(n) };
      const spec = c.getChild('FormatSpec');
      parts.push({ value: this.expr(value), spec: spec ? this.src(spec).slice(1) : '' });
      at = c.to;
    }
    const end = n.to - open[1].length;
    if (end > at) parts.push(literal(at, end));
    return { type: 'fstring', parts, range: rangeOf(n) };
  }

  private string(n: SyntaxNode): Expr {
    const raw = this.src(n);
    const m = /^([rRbBuU]*)('''|"""|'|")([\s\S]*)\2$/.exec(raw);
    if (!m || /[fF]/.test(m[1])) return { type: 'unknown', range: rangeOf(n) };
    return { type: 'string', value: m[3], range: rangeOf(n) };
  }
}

/** Moves every range of a tree by `offset` (another file's code, kept apart from the host's offsets). */
function shiftRanges(node: unknown, offset: number, seen = new Set<object>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const o = node as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number' && Object.keys(o).length === 2) {
    o.start += offset;
    o.end = (o.end as number) + offset;
    return;
  }
  for (const v of Object.values(o)) shiftRanges(v, offset, seen);
}

/**
 * @lezer/python reads a number ending in a point (`1.`, `drop=0.`) as an attribute of an int
 * with its name missing, and then misreads what follows. The point becomes a space (the same
 * length, so every range holds; numbers here are not told apart as int or float).
 */
export const withoutTrailingPoints = (text: string): string => text.replace(/(?<![\w.])(\d+)\.(?![\w.])/g, '$1 ');

/** Parses Python source; never throws (lezer recovers from any input). Ranges start at `offset`. */
export function parsePython(text: string, offset = 0): Module {
  const tree = parser.parse(withoutTrailingPoints(text));
  const converter = new Converter(text);
  const module = converter.module(tree.topNode);
  // Error nodes nested in statements count too: they mark code that did not parse.
  tree.iterate({
    enter: (n) => {
      if (n.type.isError && !module.errors.some((e) => e.start === n.from)) module.errors.push({ start: n.from, end: n.to });
    },
  });
  if (offset) shiftRanges(module, offset);
  return module;
}
