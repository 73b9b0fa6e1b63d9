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
  const uses = wordPositions(it.text, item.name);
  const [ownStart, ownEnd] = item.node.range;
  for (const at of uses) {
    if (at >= ownStart && at < ownEnd) continue;
    for (let j = index + 1; j < it.pending.length; j++) {
      const other = it.pending[j];
      if (other === item || (other.k === 'fn' && it.evaluated.has(other.node))) continue;
      const [start, end] = other.node.range;
      if (start <= ownStart && ownEnd <= end) continue;
      if (at >= start && at < end) return true;
    }
  }
  return false;
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
