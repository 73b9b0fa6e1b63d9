// The module sets of a project's own parse_model (models/yolo.py of YOLOv5/v7/v9 forks,
// ultralytics/nn/tasks.py of Ultralytics forks), read from its syntax tree: forks add their
// modules to these sets, and the sets decide how a row's arguments reach the constructor.
// `if m in {...}:` whose branch sets `c1, c2 = ch[f], args[0]` is the base set (c2 scaled,
// args = [c1, c2, *args[1:]]); an `if m in {...}:` inside it that calls `args.insert(2, n)` is
// the repeat set; a branch `args = [ch[f], *args]` (or `[ch[f]]`) hands its modules their input
// channels. Sets are literals or names bound to literals (`frozenset({...})` too).

import { parsePython, type Expr, type Stmt } from '../python/ast';

export type InputRule = 'prepend' | 'only' | 'count';

export interface ParseModelSets {
  base: Set<string>;
  repeat: Set<string>;
  /**
   * Modules a branch of their own gives their input: the channels, `args = [ch[f], *args]`
   * (prepend) or `args = [ch[f]]` (only); or how many inputs the row has, `args = [len(f)]` (count).
   */
  input: Map<string, InputRule>;
}

/** Names in a set, list or tuple literal, or in frozenset(...)/set(...) of one. */
function literalNames(e: Expr, bound: Map<string, string[]>): string[] | undefined {
  if (e.type === 'set' || e.type === 'list' || e.type === 'tuple') {
    return e.items.flatMap((item) => (item.type === 'name' ? [item.name] : item.type === 'attr' ? [item.name] : []));
  }
  if (e.type === 'call' && e.callee.type === 'name' && ['frozenset', 'set', 'tuple', 'list'].includes(e.callee.name) && e.args.length === 1) {
    return literalNames(e.args[0].value, bound);
  }
  if (e.type === 'name') return bound.get(e.name);
  return undefined;
}

/** The names of `m in <set>` (or of `m is Name`), or undefined when the test is something else. */
function membership(test: Expr, bound: Map<string, string[]>): string[] | undefined {
  if (test.type !== 'binary' || test.left.type !== 'name' || test.left.name !== 'm') return undefined;
  if (test.op === 'is') return test.right.type === 'name' || test.right.type === 'attr' ? [test.right.name] : undefined;
  return test.op === 'in' ? literalNames(test.right, bound) : undefined;
}

const isName = (e: Expr, name: string): boolean => e.type === 'name' && e.name === name;

/** `c1, c2 = ch[f], args[0]`: the base branch's channel rule. */
function setsChannels(s: Stmt): boolean {
  if (s.type !== 'assign' || s.targets.length !== 1) return false;
  const [target, value] = [s.targets[0], s.value];
  if (target.type !== 'tuple' || value.type !== 'tuple' || target.items.length !== 2 || value.items.length !== 2) return false;
  const [ch, first] = value.items;
  return isName(target.items[0], 'c1') && isName(target.items[1], 'c2') && ch.type === 'index' && isName(ch.object, 'ch') && first.type === 'index' && isName(first.object, 'args');
}

/** `args.insert(2, n)`: the repeats count becomes an argument. */
function insertsRepeats(s: Stmt): boolean {
  if (s.type !== 'expr' || s.value.type !== 'call') return false;
  const callee = s.value.callee;
  return callee.type === 'attr' && callee.name === 'insert' && isName(callee.object, 'args');
}

/** `len(...)`, or a name the branch bound to one (`length = len([ch[x] for x in f])`). */
function isLength(e: Expr, lengths: Set<string>): boolean {
  if (e.type === 'name') return lengths.has(e.name);
  return e.type === 'call' && isName(e.callee, 'len') && e.args.length === 1;
}

/** `args = [ch[f], *args]`, `args = [ch[f]]` or `args = [len(f)]`: a branch that hands the module its input channels or count. */
function passesInput(s: Stmt, lengths: Set<string>): InputRule | undefined {
  if (s.type !== 'assign' || s.targets.length !== 1 || !isName(s.targets[0], 'args') || s.value.type !== 'list') return undefined;
  const [first, ...rest] = s.value.items;
  if (first && rest.length === 0 && isLength(first, lengths)) return 'count';
  if (!first || first.type !== 'index' || !isName(first.object, 'ch')) return undefined;
  if (rest.length === 0) return 'only';
  return rest.length === 1 && rest[0].type === 'starred' && isName(rest[0].value, 'args') ? 'prepend' : undefined;
}

/** A branch's input rule: its `args = ...` statement, reading names it bound to lengths before. */
function branchInput(body: Stmt[]): InputRule | undefined {
  const lengths = new Set<string>();
  for (const s of body) {
    if (s.type === 'assign' && s.targets.length === 1 && s.targets[0].type === 'name' && isLength(s.value, lengths)) lengths.add(s.targets[0].name);
    const rule = passesInput(s, lengths);
    if (rule) return rule;
  }
  return undefined;
}

/** Every statement of a body, nested ones included (for, if, blocks), in order. */
function* walk(body: Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.type === 'for' || s.type === 'block' || s.type === 'def') yield* walk(s.body);
    if (s.type === 'if') {
      yield* walk(s.body);
      yield* walk(s.orelse);
    }
  }
}

/** The base and repeat module sets of the file's parse_model, or undefined when it has none. */
export function readParseModelSets(text: string): ParseModelSets | undefined {
  const parseModel = parsePython(text).body.find((s) => s.type === 'def' && s.name === 'parse_model');
  if (!parseModel || parseModel.type !== 'def') return undefined;
  const bound = new Map<string, string[]>();
  const sets: ParseModelSets = { base: new Set(), repeat: new Set(), input: new Map() };
  for (const s of walk(parseModel.body)) {
    if (s.type === 'assign' && s.targets.length === 1 && s.targets[0].type === 'name') {
      const names = literalNames(s.value, bound);
      if (names) bound.set(s.targets[0].name, names);
    }
    if (s.type !== 'if') continue;
    const names = membership(s.test, bound);
    const input = names && branchInput(s.body);
    if (input) names.forEach((n) => sets.input.set(n, input));
    if (!names || !s.body.some(setsChannels)) continue;
    names.forEach((n) => sets.base.add(n));
    for (const inner of walk(s.body)) {
      const repeat = inner.type === 'if' && inner.body.some(insertsRepeats) ? membership(inner.test, bound) : undefined;
      repeat?.forEach((n) => sets.repeat.add(n));
    }
  }
  return sets;
}
