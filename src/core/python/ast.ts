// A small typed syntax tree over @lezer/python's concrete tree: the statements and
// expressions model code uses, each with its character range. Anything else becomes
// `other`/`unknown` (kept with its range), so half-typed code still yields a tree.

import { parser } from '@lezer/python';
import { TreeBuffer, type SyntaxNode, type Tree, type TreeCursor } from '@lezer/common';
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

const rangeOf = (n: { from: number; to: number }): Range => ({ start: n.from, end: n.to });

/**
 * Whether a node carries meaning: its name starts with a letter (not punctuation) and it is not
 * a comment, which may sit anywhere, between a call's arguments too.
 */
function named(name: string): boolean {
  const c = name.charCodeAt(0) | 0x20;
  return c >= 0x61 && c <= 0x7a && name !== 'Comment';
}

/** Whether a child node carries meaning, an error node included. */
const isPart = (name: string): boolean => named(name) || name === '⚠';

/** An expression node's name (capitalised), not an operator's. */
const isOperand = (name: string): boolean => /^[A-Z]/.test(name) && !name.endsWith('Op');

/** Child nodes that carry meaning: no punctuation, no comments. */
function parts(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (isPart(c.name)) out.push(c);
  return out;
}

function allChildren(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const EXPRESSION_KEYWORDS = new Set(['if', 'else', 'for', 'in', 'not', 'is', 'and', 'or', 'lambda', 'await', 'async']);

/**
 * Converts lezer's tree walking it with one cursor: what model code is made of is read in
 * place, without a syntax-node object per child visited (those were half the conversion's
 * time and most of its garbage). Each method starts with the cursor on its node and leaves
 * it there. Rare constructs (for, import, dict, comprehension, conditional, f-string) index
 * their children, and so are read from a syntax node.
 */
class Converter {
  readonly errors: Range[] = [];
  private c: TreeCursor;
  /**
   * Where lists (statements, arguments, items) are gathered, each on top of those of the nodes
   * around it, and copied off at their exact length: an array grown by push from empty keeps
   * room for 17 items, and the tree lives as long as the lint.
   */
  private readonly stack: unknown[] = [];
  /**
   * One string per identifier: the tree keeps one copy of `self` instead of one per use, and
   * the interpreter's scope lookups find the very string they stored (no character compare).
   */
  private readonly identifiers = new Map<string, string>();

  constructor(
    private readonly text: string,
    top: SyntaxNode,
  ) {
    this.c = top.cursor();
  }

  private src(n: { from: number; to: number } = this.c): string {
    return this.text.slice(n.from, n.to);
  }

  private identifier(from: number, to: number): string {
    const text = this.text.slice(from, to);
    const known = this.identifiers.get(text);
    if (known !== undefined) return known;
    this.identifiers.set(text, text);
    return text;
  }

  /** Reads `n` with a cursor of its own: a child that a rare construct picked by index. */
  private exprOf(n: SyntaxNode): Expr {
    const outer = this.c;
    this.c = n.cursor();
    const e = this.expr();
    this.c = outer;
    return e;
  }

  module(): Module {
    return { body: this.statements(), errors: this.errors };
  }

  /** The items gathered on the stack since `mark`, taken off it. */
  private take<T>(mark: number): T[] {
    return this.stack.splice(mark) as T[];
  }

  private statements(): Stmt[] {
    const c = this.c;
    const mark = this.stack.length;
    if (!c.firstChild()) return [];
    do {
      if (c.type.isError) this.errors.push(rangeOf(c));
      // A Body's ':' and newlines (and comments) are no statements: skipped, not kept as 'other'.
      else if (named(c.name)) {
        const s = this.statement();
        if (s) this.stack.push(s);
      }
    } while (c.nextSibling());
    c.parent();
    return this.take(mark);
  }

  /** The statements of the node's Body: its last child, found without a search. */
  private body(): Stmt[] {
    const c = this.c;
    if (!c.lastChild()) return [];
    if (c.name !== 'Body') {
      c.parent();
      c.firstChild();
      while (c.name !== 'Body') {
        if (!c.nextSibling()) {
          c.parent();
          return [];
        }
      }
    }
    const out = this.statements();
    c.parent();
    return out;
  }

  /**
   * The node's parts (see `parts`) other than `skip`, read as expressions: undefined for none,
   * several as a tuple (`return x, y`) or, unless `several`, as undefined too.
   */
  private partsExcept(skip?: string, several = true): Expr | undefined {
    const c = this.c;
    const mark = this.stack.length;
    let from = 0;
    let to = 0;
    if (!c.firstChild()) return undefined;
    do {
      if (isPart(c.name) && c.name !== skip) {
        if (this.stack.length === mark) from = c.from;
        this.stack.push(this.expr());
        to = c.to;
      }
    } while (c.nextSibling());
    c.parent();
    return this.group(mark, from, to, several);
  }

  /** The expressions gathered since `mark`, spanning from..to: undefined for none, one, or several as a tuple. */
  private group(mark: number, from: number, to: number, several = true): Expr | undefined {
    const n = this.stack.length - mark;
    if (n === 1) return this.stack.pop() as Expr;
    if (n === 0 || !several) {
      this.stack.length = mark;
      return undefined;
    }
    return { type: 'tuple', items: this.take(mark), range: { start: from, end: to } };
  }

  private statement(): Stmt | undefined {
    const c = this.c;
    const range = rangeOf(c);
    switch (c.name) {
      case 'ClassDefinition':
        return this.classDef(range);
      case 'FunctionDefinition':
        return this.functionDef(range);
      case 'DecoratedStatement': {
        let inner: Stmt | undefined;
        c.firstChild();
        do {
          const kind: string = c.name;
          if (kind === 'FunctionDefinition' || kind === 'ClassDefinition') inner = this.statement();
        } while (!inner && c.nextSibling());
        c.parent();
        return inner ?? { type: 'other', range };
      }
      case 'AssignStatement':
        return this.assignment(range);
      case 'UpdateStatement':
        return this.update(range);
      case 'ExpressionStatement': {
        const e = this.partsExcept();
        return e ? { type: 'expr', value: e, range } : undefined;
      }
      case 'ReturnStatement':
        return { type: 'return', value: this.partsExcept('return'), range };
      case 'IfStatement':
        return this.ifChain(range);
      case 'ForStatement':
        return this.forStatement(c.node, range);
      case 'ImportStatement':
        return this.importStatement(c.node);
      case 'WithStatement':
      case 'TryStatement':
      case 'WhileStatement':
        return { type: 'block', body: this.body(), range };
      default:
        return { type: 'other', range };
    }
  }

  private classDef(range: Range): Stmt {
    const c = this.c;
    let name: Range | undefined;
    let bases: Expr[] | undefined;
    c.firstChild();
    do {
      if (c.name === 'VariableName') name ??= rangeOf(c);
      else if (c.name === 'ArgList') bases ??= this.args().map((a) => a.value);
    } while (c.nextSibling());
    c.parent();
    return { type: 'class', name: name ? this.identifier(name.start, name.end) : '', bases: bases ?? [], body: this.body(), range, nameRange: name ?? range };
  }

  private functionDef(range: Range): Stmt {
    const c = this.c;
    let name: Range | undefined;
    let params: Param[] | undefined;
    c.firstChild();
    do {
      if (c.name === 'VariableName') name ??= rangeOf(c);
      else if (c.name === 'ParamList') params ??= this.params();
    } while (c.nextSibling());
    c.parent();
    return { type: 'def', name: name ? this.identifier(name.start, name.end) : '', params: params ?? [], body: this.body(), range };
  }

  /** a = b = value; a, b = value: comma-separated targets form a tuple. */
  private assignment(range: Range): Stmt {
    const c = this.c;
    // The sides of the `=`s are gathered from `sides` on, the expressions of the side being read from `side` on.
    const sides = this.stack.length;
    let side = sides;
    let from = 0;
    let to = 0;
    c.firstChild();
    do {
      if (c.name === 'AssignOp') {
        this.endSide(side, from, to);
        side = this.stack.length;
      } else if (c.name !== ',' && c.name !== 'TypeDef' && c.name !== 'Comment') {
        if (this.stack.length === side) from = c.from;
        this.stack.push(this.expr());
        to = c.to;
      }
    } while (c.nextSibling());
    c.parent();
    this.endSide(side, from, to);
    if (this.stack.length - sides < 2) {
      this.stack.length = sides;
      return { type: 'other', range };
    }
    const value = this.stack.pop() as Expr;
    return { type: 'assign', targets: this.take(sides), value, range };
  }

  /** Replaces the expressions of one side of an assignment, gathered since `mark`, by the side (none if empty). */
  private endSide(mark: number, from: number, to: number): void {
    const e = this.group(mark, from, to);
    if (e) this.stack.push(e);
  }

  /** target op= value: the first two parts other than the operator. */
  private update(range: Range): Stmt {
    const c = this.c;
    const operands: Expr[] = [];
    let op: string | undefined;
    c.firstChild();
    do {
      if (c.name === 'UpdateOp') op ??= this.src();
      else if (isPart(c.name) && operands.length < 2) operands.push(this.expr());
    } while (c.nextSibling());
    c.parent();
    const [target, value] = operands;
    if (!target || !value || !op) return { type: 'other', range };
    return { type: 'augassign', target, op: op.slice(0, -1), value, range };
  }

  /** if / elif / else as nested ifs: lezer lists every clause flat under one node. */
  private ifChain(range: Range): Stmt {
    const c = this.c;
    const clauses: { test?: Expr; body: Stmt[] }[] = [];
    let test: Expr | undefined;
    let pending = false;
    c.firstChild();
    do {
      const name = c.name;
      if (name === 'if' || name === 'elif') pending = true;
      else if (name === 'else') {
        pending = false;
        test = undefined;
      } else if (name === 'Body') {
        clauses.push({ test, body: this.statements() });
        test = undefined;
      } else if (pending && named(name)) {
        test = this.expr();
        pending = false;
      }
    } while (c.nextSibling());
    c.parent();
    const build = (i: number): Stmt[] => {
      const clause = clauses[i];
      if (!clause) return [];
      if (!clause.test) return clause.body;
      return [{ type: 'if', test: clause.test, body: clause.body, orelse: build(i + 1), range }];
    };
    const built = build(0);
    return built.length === 1 && built[0].type === 'if' ? built[0] : { type: 'block', body: built, range };
  }

  private forStatement(n: SyntaxNode, range: Range): Stmt {
    const kids = allChildren(n);
    const inAt = kids.findIndex((c) => c.name === 'in');
    const targets = kids.slice(1, inAt).filter((c) => c.name !== ',' && c.name !== 'for' && c.name !== 'async');
    const iter = kids.slice(inAt + 1).find((c) => c.name !== 'Body' && named(c.name));
    if (!iter || !targets.length) return { type: 'other', range };
    return { type: 'for', target: targets.length === 1 ? this.exprOf(targets[0]) : this.tupleOf(targets), iter: this.exprOf(iter), body: this.body(), range };
  }

  private importStatement(n: SyntaxNode): Stmt {
    const kids = allChildren(n);
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

  private params(): Param[] {
    const c = this.c;
    const mark = this.stack.length;
    let star: '*' | '**' | undefined;
    let expectDefault = false;
    if (!c.firstChild()) return [];
    do {
      const name = c.name;
      if (name === '*' || name === '**') star = name;
      else if (name === 'VariableName' && !expectDefault) {
        this.stack.push({ name: this.identifier(c.from, c.to), star });
        star = undefined;
      } else if (name === 'AssignOp') expectDefault = true;
      else if (expectDefault && named(name)) {
        if (this.stack.length > mark) (this.stack[this.stack.length - 1] as Param).default = this.expr();
        expectDefault = false;
      }
    } while (c.nextSibling());
    c.parent();
    return this.take(mark);
  }

  private args(): Arg[] {
    const c = this.c;
    const mark = this.stack.length;
    // What precedes the argument being read: its keyword, its star, where they start.
    let keyword: string | undefined;
    let star: '*' | '**' | undefined;
    let start = -1;
    if (!c.firstChild()) return [];
    do {
      const name = c.name;
      const { from, to } = c;
      if (name === '*' || name === '**') {
        star = name;
        start = from;
      } else if (name === 'VariableName' && this.nextIs('AssignOp')) {
        keyword = this.identifier(from, to);
        star = undefined;
        start = from;
      } else if (named(name) && !EXPRESSION_KEYWORDS.has(name)) {
        const value = this.expr();
        // A bare argument spans its value: one range object for both (the tree lives as long as the lint).
        const range = start < 0 && value.range.start === from && value.range.end === to ? value.range : { start: start >= 0 ? start : from, end: to };
        this.stack.push({ name: keyword, star, value, range });
        keyword = undefined;
        star = undefined;
        start = -1;
      } else if (name === 'for') {
        // A generator argument: `nn.ModuleList(Block(c) for _ in range(n))` is one argument.
        c.parent();
        this.stack.length = mark;
        return [{ value: this.comprehension(allChildren(c.node), rangeOf(c), false), range: rangeOf(c) }];
      }
    } while (c.nextSibling());
    c.parent();
    return this.take(mark);
  }

  /** Whether the next sibling is a `name` node; if so the cursor moves onto it. */
  private nextIs(name: string): boolean {
    const c = this.c;
    if (!c.nextSibling()) return false;
    if (c.name === name) return true;
    c.prevSibling();
    return false;
  }

  private tupleOf(nodes: SyntaxNode[]): Expr {
    const items = nodes.map((c) => this.exprOf(c));
    return { type: 'tuple', items, range: { start: nodes[0].from, end: nodes[nodes.length - 1].to } };
  }

  private expr(): Expr {
    const c = this.c;
    const range = rangeOf(c);
    switch (c.name) {
      case 'VariableName':
        return { type: 'name', name: this.identifier(c.from, c.to), range };
      case 'Number': {
        const v = Number(this.src().replace(/_/g, ''));
        return Number.isFinite(v) ? { type: 'number', value: v, range } : { type: 'unknown', range };
      }
      case 'String':
        return this.string(range);
      case 'FormatString':
        return this.formatString(c.node);
      case 'Boolean':
        return { type: 'bool', value: this.src() === 'True', range };
      case 'None':
        return { type: 'none', range };
      case 'MemberExpression':
        return this.member(range);
      case 'CallExpression':
        return this.call(range);
      case 'ParenthesizedExpression':
        // One expression in brackets; anything else is none read here.
        return this.partsExcept(undefined, false) ?? { type: 'unknown', range };
      case 'TupleExpression':
      case 'ArrayExpression':
        return { type: c.name === 'ArrayExpression' ? 'list' : 'tuple', items: this.items(), range };
      case 'SetExpression':
        return { type: 'set', items: this.items(), range };
      case 'DictionaryExpression':
        return this.dict(c.node, range);
      case 'ArrayComprehensionExpression':
      case 'ComprehensionExpression':
        return this.comprehension(allChildren(c.node), range, c.name === 'ArrayComprehensionExpression');
      case 'BinaryExpression':
        return this.binary(range);
      case 'UnaryExpression':
        return this.unary(range);
      case 'ConditionalExpression': {
        const operands = parts(c.node).filter((k) => !EXPRESSION_KEYWORDS.has(k.name));
        if (operands.length !== 3) return { type: 'unknown', range };
        return { type: 'conditional', then: this.exprOf(operands[0]), test: this.exprOf(operands[1]), otherwise: this.exprOf(operands[2]), range };
      }
      default:
        return { type: 'unknown', range };
    }
  }

  /** `a.b` (an attribute) or `a[i]` (an index). */
  private member(range: Range): Expr {
    const c = this.c;
    let object: Expr | undefined;
    let prop: Range | undefined;
    let index: Expr | undefined;
    let at = 0;
    c.firstChild();
    do {
      if (!isPart(c.name)) continue;
      if (c.name === 'PropertyName') prop = rangeOf(c);
      if (at === 0) object = this.expr();
      else if (at === 1 && !prop) index = this.expr();
      at++;
    } while (!prop && c.nextSibling());
    c.parent();
    if (object && prop) return { type: 'attr', object, name: this.identifier(prop.start, prop.end), nameRange: prop, range };
    if (object && index) return { type: 'index', object, index, range };
    return { type: 'unknown', range };
  }

  private call(range: Range): Expr {
    const c = this.c;
    let callee: Expr | undefined;
    let args: Arg[] | undefined;
    let argsRange: Range | undefined;
    c.firstChild();
    do {
      if (!isPart(c.name)) continue;
      callee ??= this.expr();
      if (c.name === 'ArgList') {
        args = this.args();
        argsRange = rangeOf(c);
      }
    } while (!args && c.nextSibling());
    c.parent();
    if (!callee || !args || !argsRange) return { type: 'unknown', range };
    return { type: 'call', callee, args, argsRange, range };
  }

  /** Two operands around an operator (`not in`, `is not`: words joined). */
  private binary(range: Range): Expr {
    const c = this.c;
    const operands: Expr[] = [];
    const ops: string[] = [];
    let count = 0;
    c.firstChild();
    do {
      const name = c.name;
      if (isOperand(name)) {
        if (count++ < 2) operands.push(this.expr());
      } else if (name.endsWith('Op') || EXPRESSION_KEYWORDS.has(name)) ops.push(this.src());
    } while (c.nextSibling());
    c.parent();
    if (count !== 2) return { type: 'unknown', range };
    return { type: 'binary', op: ops.join(' '), left: operands[0], right: operands[1], range };
  }

  /** The operator first, the operand the last expression after it. */
  private unary(range: Range): Expr {
    const c = this.c;
    if (!c.firstChild()) return { type: 'unknown', range };
    const op = this.src();
    let operand: Expr | undefined;
    do {
      if (isOperand(c.name)) operand = this.expr();
    } while (c.nextSibling());
    c.parent();
    return operand ? { type: 'unary', op, operand, range } : { type: 'unknown', range };
  }

  private dict(n: SyntaxNode, range: Range): Expr {
    const entries: { key: Expr; value: Expr }[] = [];
    const kids = allChildren(n);
    for (let i = 0; i < kids.length; i++) {
      if (kids[i].name === ':' && kids[i - 1] && kids[i + 1]) entries.push({ key: this.exprOf(kids[i - 1]), value: this.exprOf(kids[i + 1]) });
    }
    return { type: 'dict', entries, range };
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
    const target = targets.length === 1 ? this.exprOf(targets[0]) : this.tupleOf(targets);
    return { type: 'comprehension', element: this.exprOf(element), target, iter: this.exprOf(iter), list: isList, range };
  }

  /** List or tuple elements, with `*xs` as starred items. */
  private items(): Expr[] {
    const c = this.c;
    const mark = this.stack.length;
    let starFrom = -1;
    if (!c.firstChild()) return [];
    do {
      const name = c.name;
      if (name === '*') starFrom = c.from;
      else if (named(name)) {
        const value = this.expr();
        this.stack.push(starFrom >= 0 ? { type: 'starred', value, double: false, range: { start: starFrom, end: c.to } } : value);
        starFrom = -1;
      }
    } while (c.nextSibling());
    c.parent();
    return this.take(mark);
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
      const value = allChildren(c).find((k) => named(k.name) && !k.name.startsWith('Format'));
      if (!value) return { type: 'unknown', range: rangeOf(n) };
      const spec = c.getChild('FormatSpec');
      parts.push({ value: this.exprOf(value), spec: spec ? this.src(spec).slice(1) : '' });
      at = c.to;
    }
    const end = n.to - open[1].length;
    if (end > at) parts.push(literal(at, end));
    return { type: 'fstring', parts, range: rangeOf(n) };
  }

  private string(range: Range): Expr {
    const m = /^([rRbBuU]*)('''|"""|'|")([\s\S]*)\2$/.exec(this.src());
    if (!m || /[fF]/.test(m[1])) return { type: 'unknown', range };
    return { type: 'string', value: m[3], range };
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

/**
 * Calls `found` with every error node of the tree at `from`, in document order. lezer keeps most
 * nodes in buffers of (type, start, end, end index) quads, parents first: reading those directly
 * costs a fraction of a cursor stepping onto each of the tree's nodes.
 */
function errorNodes(tree: Tree, from: number, found: (from: number, to: number) => void): void {
  if (tree.type.isError) found(from, from + tree.length);
  for (let i = 0; i < tree.children.length; i++) {
    const child = tree.children[i];
    const at = from + tree.positions[i];
    if (!(child instanceof TreeBuffer)) {
      errorNodes(child, at, found);
      continue;
    }
    const { buffer, set } = child;
    for (let j = 0; j < buffer.length; j += 4) if (set.types[buffer[j]].isError) found(at + buffer[j + 1], at + buffer[j + 2]);
  }
}

/** Parses Python source; never throws (lezer recovers from any input). Ranges start at `offset`. */
export function parsePython(text: string, offset = 0): Module {
  const tree = parser.parse(withoutTrailingPoints(text));
  const module = new Converter(text, tree.topNode).module();
  // Error nodes nested in statements count too: they mark code that did not parse.
  const errors = module.errors;
  errorNodes(tree, 0, (from, to) => {
    if (!errors.some((e) => e.start === from)) errors.push({ start: from, end: to });
  });
  if (offset) shiftRanges(module, offset);
  return module;
}
