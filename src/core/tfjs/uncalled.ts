// End of file: the functions never called, and the classes never instantiated, run once
// with unknown arguments, so the models they would build are read too.

import { callFunction, runConstructor, superScope } from './calls';
import type { Interpreter } from './interpreter';
import { AV, ClassV, FnV, FunctionNode, UNDEFINED, obj, unknown } from './values';

const IDENTIFIER_CHAR = /^[\w$]$/;

/**
 * Runs every pending function and class not yet run. One still named in another pending
 * function waits for it, so a builder runs with the arguments its (also uncalled) caller
 * passes rather than twice.
 */
export function runPending(it: Interpreter): void {
  const deferred = new Set<FnV | ClassV>();
  for (let i = 0; i < it.pending.length; i++) {
    const item = it.pending[i];
    if (!deferred.has(item) && namedInPending(it, item, i)) {
      deferred.add(item);
      it.pending.push(item);
      continue;
    }
    runUncalled(it, item);
  }
}

function namedInPending(it: Interpreter, item: FnV | ClassV, index: number): boolean {
  // Nothing else waits: no need to read the text's words.
  if (index === it.pending.length - 1) return false;
  const [ownStart, ownEnd] = item.node.range;
  // The later pending functions that could call it (not itself, not run yet, not around it).
  const callers: [number, number][] = [];
  for (let j = index + 1; j < it.pending.length; j++) {
    const other = it.pending[j];
    if (other === item || (other.k === 'fn' && it.evaluated.has(other.node))) continue;
    const [start, end] = other.node.range;
    if (!(start <= ownStart && ownEnd <= end)) callers.push([start, end]);
  }
  if (callers.length === 0) return false;
  const within = rangeLookup(callers);
  return wordPositions(it.text, item.name).some((at) => !(at >= ownStart && at < ownEnd) && within(at));
}

/**
 * Whether a position lies in any of the ranges, in O(log n) a question: ranges by start, each
 * with the furthest end among those starting no later. Linear scans of every caller for every
 * use were cubic on 2,000 same-named functions (28 s).
 */
function rangeLookup(ranges: [number, number][]): (at: number) => boolean {
  ranges.sort((a, b) => a[0] - b[0]);
  const furthest: number[] = [];
  for (const [, end] of ranges) furthest.push(Math.max(end, furthest[furthest.length - 1] ?? -Infinity));
  return (at) => {
    let lo = 0;
    let hi = ranges.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][0] <= at) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return last >= 0 && furthest[last] > at;
  };
}

/** Where `name` occurs in the text as a whole word (not inside a longer identifier). */
function wordPositions(text: string, name: string): number[] {
  const positions: number[] = [];
  if (!name) return positions;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (!IDENTIFIER_CHAR.test(text.charAt(at - 1)) && !IDENTIFIER_CHAR.test(text.charAt(at + name.length))) positions.push(at);
  }
  return positions;
}

/** The name a parameter binds (`tf`, `tf: typeof tfjs`, `private tf`), if it is a plain name. */
function parameterName(p: FunctionNode['params'][number]): string | undefined {
  const inner = p.type === 'TSParameterProperty' ? p.parameter : p;
  const named = inner.type === 'AssignmentPattern' ? inner.left : inner;
  return named.type === 'Identifier' ? named.name : undefined;
}

/** Runs one function never called (or a class never instantiated, and its methods). */
function runUncalled(it: Interpreter, item: FnV | ClassV): void {
  const unknownArgs = (fnName: string, node: FunctionNode): AV[] =>
    node.params.map((p) => {
      const name = parameterName(p) ?? it.snippet(p, 30);
      // A builder handed the tfjs namespace by its caller (`function build(tf)`).
      if (name === 'tf') return { k: 'tf', path: '' };
      // No call site gives this one a value: its default is the value (`width = 64`).
      if (p.type === 'AssignmentPattern') return UNDEFINED;
      return unknown(`\`${name}\` is a parameter of \`${fnName}\`, never called with known arguments`);
    });
  if (item.k === 'fn') {
    if (!it.evaluated.has(item.node)) callFunction(it, item, unknownArgs(item.name, item.node), unknown('`this` is not known statically'));
    return;
  }
  if (item.isLayer) return;
  let instance = item.instance;
  if (!instance) {
    instance = obj();
    instance.cls = item;
    const ctor = item.methods.get('constructor');
    runConstructor(it, item, instance, ctor ? unknownArgs(item.name, ctor) : []);
  }
  for (const [name, node] of item.methods) {
    if (it.evaluated.has(node) || name === 'constructor') continue;
    const fn: FnV = { k: 'fn', node, scope: superScope(it, item), name, thisValue: instance, cls: item };
    callFunction(it, fn, unknownArgs(name, node), instance);
  }
}
