// The interpreter's operators: assignment (plain and compound), ++/--, unary, binary,
// logical and conditional. Known primitives are computed by JavaScript itself; an unknown
// condition runs the arm not taken and undoes it (models it creates are kept).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Interpreter } from './interpreter';
import type { Scope } from './scope';
import { AV, MAX_STRING_LENGTH, TOO_LONG_STRING, UNDEFINED, prim, sameValue, truthy, unknown } from './values';

/** Whether `a ?? b` keeps `a`; undefined when `a` is not known. */
const notNullish = (a: AV): boolean | undefined => (a.k === 'unknown' ? undefined : !(a.k === 'prim' && a.v == null));

export function evalAssignment(it: Interpreter, node: TSESTree.AssignmentExpression, scope: Scope): AV {
  const nameHint = node.left.type === 'Identifier' ? node.left.name : undefined;
  let value: AV;
  if (node.operator === '=') value = it.eval(node.right, scope, nameHint);
  else {
    const old = it.eval(node.left, scope);
    const op = node.operator.slice(0, -1);
    if (op === '||' || op === '&&' || op === '??') {
      const t = op === '??' ? notNullish(old) : truthy(old);
      if (t === undefined) value = it.notKnown(node);
      else value = (op === '&&') === t ? it.eval(node.right, scope) : old;
      if (value === old) return old;
    } else value = binary(it, op, old, it.eval(node.right, scope), node);
  }
  it.assignPattern(node.left, value, scope);
  return value;
}

export function evalUpdate(it: Interpreter, node: TSESTree.UpdateExpression, scope: Scope): AV {
  const old = it.eval(node.argument, scope);
  const next = old.k === 'prim' && typeof old.v === 'number' ? prim(node.operator === '++' ? old.v + 1 : old.v - 1) : it.notKnown(node);
  it.assignPattern(node.argument, next, scope);
  return node.prefix ? next : old;
}

export function evalUnary(it: Interpreter, node: TSESTree.UnaryExpression, scope: Scope): AV {
  const v = it.eval(node.argument, scope);
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
  if (v.k !== 'prim') return v.k === 'unknown' ? v : it.notKnown(node);
  const x = v.v as number;
  switch (node.operator) {
    case '-':
      return prim(-x);
    case '+':
      return prim(+x);
    case '~':
      return prim(~x);
    default:
      return it.notKnown(node);
  }
}

export function binary(it: Interpreter, op: string, a: AV, b: AV, node: TSESTree.Node): AV {
  if (op === '===' || op === '!==') {
    const same = sameValue(a, b);
    if (same !== undefined) return prim(op === '===' ? same : !same);
  }
  if (a.k !== 'prim' || b.k !== 'prim') {
    const u = a.k === 'unknown' ? a : b.k === 'unknown' ? b : undefined;
    return u ? unknown(u.reason) : it.notKnown(node);
  }
  // Both operands are known primitives: JavaScript computes the result.
  const x = a.v as never;
  const y = b.v as never;
  switch (op) {
    case '+':
      // Strings are measured before they are joined: a string doubled in a loop stops here.
      if (typeof x === 'string' || typeof y === 'string') {
        const [sx, sy] = [String(x), String(y)];
        return sx.length + sy.length > MAX_STRING_LENGTH ? TOO_LONG_STRING : prim(sx + sy);
      }
      return prim((x as number) + (y as number));
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
    default: return it.notKnown(node);
  }
}

export function evalLogical(it: Interpreter, node: TSESTree.LogicalExpression, scope: Scope): AV {
  const left = it.eval(node.left, scope);
  const t = node.operator === '??' ? notNullish(left) : truthy(left);
  if (t === undefined) {
    it.shadow(() => void it.eval(node.right, scope));
    return it.notKnown(node.left);
  }
  const takeLeft = node.operator === '&&' ? !t : t;
  return takeLeft ? left : it.eval(node.right, scope);
}

export function evalConditional(it: Interpreter, node: TSESTree.ConditionalExpression, scope: Scope): AV {
  const test = it.eval(node.test, scope);
  const t = truthy(test);
  if (t !== undefined) return it.eval(t ? node.consequent : node.alternate, scope);
  const mark = it.journal.mark();
  const a = it.eval(node.consequent, scope);
  const thenEdits = it.journal.graphChanges(mark);
  it.journal.commit(mark);
  let b: AV = UNDEFINED;
  const elseEdits = it.shadow(() => {
    b = it.eval(node.alternate, scope);
    return undefined;
  });
  if (sameValue(a, b) === true) return a;
  // A graph value (`useBn ? bn.apply(x) : x`) is assumed from the first arm; a config value is unknown.
  if (a.k === 'tensor' || a.k === 'layer' || a.k === 'model') {
    if (thenEdits || elseEdits) {
      it.problem(`${it.whyNotKnown(node.test)}: assumed true`, node.test, 'info');
    }
    return a;
  }
  return test.k === 'unknown' ? test : it.notKnown(node.test);
}
