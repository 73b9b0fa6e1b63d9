// The interpreter's loops: for, for-of, for-in, while and do-while, unrolled by
// Interpreter.iterate while their bounds are known, read once when they are not.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Range } from '../graph';
import type { Interpreter } from './interpreter';
import { Scope } from './scope';
import type { Completion } from './statements';
import { AV, prim, truthy, unknown } from './values';

type Node = TSESTree.Node;

/** A completion that ends the loop it happens in (anything but `continue`). */
const leavesLoop = (c: Completion): boolean => c !== undefined && c.type !== 'continue';
/** What a loop passes on to its enclosing statement: all but a plain `break`. */
const escaping = (c: Completion): Completion => (c && (c.type !== 'break' || c.label) ? c : undefined);

/** Where loop problems are shown: the loop up to its body. */
function loopHead(node: TSESTree.Node & { body: Node }): Range {
  return { start: node.range[0], end: node.body.range[0] };
}

export function execFor(it: Interpreter, node: TSESTree.ForStatement, scope: Scope): Completion {
  const loopScope = new Scope(scope);
  if (node.init) {
    if (node.init.type === 'VariableDeclaration') it.exec(node.init, loopScope);
    else it.eval(node.init, loopScope);
  }
  let result: Completion;
  let count = 0;
  let test: boolean | undefined = true;
  const head = loopHead(node);
  const runBody = (): Completion | boolean => {
    const c = it.exec(node.body, new Scope(loopScope));
    if (leavesLoop(c)) {
      result = escaping(c);
      return true;
    }
    if (node.update) it.eval(node.update, loopScope);
    return false;
  };
  // Iterate while the test is known and true; an unknown test means an unknown count.
  it.iterate(Infinity, head, () => {
    test = node.test ? truthy(it.eval(node.test, loopScope)) : true;
    if (test !== true) return true;
    count++;
    return runBody();
  });
  if (test === undefined) {
    if (count === 0) forgetLoopVariables(node, loopScope);
    it.iterate(undefined, head, runBody, `The bound of this loop is not known statically (\`${it.snippet(node.test!)}\`)`);
  }
  return result;
}

/** With an unknown bound, the loop variables are unknown inside the single pass. */
function forgetLoopVariables(node: TSESTree.ForStatement, loopScope: Scope): void {
  if (node.init?.type !== 'VariableDeclaration') return;
  for (const d of node.init.declarations) {
    if (d.id.type === 'Identifier') {
      const b = loopScope.lookup(d.id.name);
      if (b) b.value = unknown(`\`${d.id.name}\` is the counter of a loop whose bound is not known statically`);
    }
  }
}

export function execForEach(it: Interpreter, node: TSESTree.ForOfStatement | TSESTree.ForInStatement, scope: Scope): Completion {
  const iterable = it.eval(node.right, scope);
  const head = loopHead(node);
  let items: AV[] | undefined;
  if (node.type === 'ForOfStatement') {
    if (iterable.k === 'arr') items = iterable.items.slice();
    else if (iterable.k === 'prim' && typeof iterable.v === 'string') items = [...iterable.v].map((c) => prim(c));
  } else if (iterable.k === 'obj' && !iterable.unknownSpread) items = [...iterable.props.keys()].map((k) => prim(k));
  else if (iterable.k === 'arr') items = iterable.items.map((_, i) => prim(String(i)));
  let result: Completion;
  const reason = unknown(`an element of \`${it.snippet(node.right)}\`, which is not known statically`);
  it.iterate(items?.length, head, (i) => {
    const s = new Scope(scope);
    const value = items ? items[i] : reason;
    if (node.left.type === 'VariableDeclaration') it.bindPattern(node.left.declarations[0].id, value, s, 'let');
    else it.assignPattern(node.left, value, s);
    const c = it.exec(node.body, s);
    if (leavesLoop(c)) result = escaping(c);
    return leavesLoop(c);
  }, it.whyNotKnown(node.right));
  return result;
}

export function execWhile(it: Interpreter, node: TSESTree.WhileStatement | TSESTree.DoWhileStatement, scope: Scope): Completion {
  let result: Completion;
  let test: boolean | undefined = true;
  let count = 0;
  const head = loopHead(node);
  const runBody = (): boolean => {
    const c = it.exec(node.body, scope);
    if (leavesLoop(c)) result = escaping(c);
    return leavesLoop(c);
  };
  it.iterate(Infinity, head, () => {
    if (node.type === 'WhileStatement' || count > 0) test = truthy(it.eval(node.test, scope));
    if (test !== true) return true;
    count++;
    return runBody();
  });
  if (test === undefined) {
    it.iterate(undefined, head, runBody, `The condition of this loop is not known statically (\`${it.snippet(node.test)}\`)`);
  }
  return result;
}
