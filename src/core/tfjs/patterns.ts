// The interpreter's names: declaring the names of a pattern (`let`, `var`, parameters,
// destructuring with defaults and rests), assigning to names and members, and the keys
// of properties and members.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Interpreter } from './interpreter';
import type { Scope } from './scope';
import { AV, arr, prim, unknown } from './values';

type Node = TSESTree.Node;

export function bindPattern(it: Interpreter, pattern: Node, value: AV, scope: Scope, mode: 'let' | 'var' | 'param'): void {
  switch (pattern.type) {
    case 'Identifier': {
      if (mode !== 'param') it.tf.nameModel(value, pattern.name);
      (mode === 'var' ? scope.functionScope() : scope).declare(pattern.name, value);
      return;
    }
    case 'AssignmentPattern':
      bindPattern(it, pattern.left, value.k === 'prim' && value.v === undefined ? it.eval(pattern.right, scope) : value, scope, mode);
      return;
    case 'ArrayPattern':
      pattern.elements.forEach((el, i) => {
        if (!el) return;
        if (el.type === 'RestElement') bindPattern(it, el.argument, restOf(value, i), scope, mode);
        else bindPattern(it, el, it.member(value, prim(i), el), scope, mode);
      });
      return;
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') {
          bindPattern(it, p.argument, unknown('the rest of a destructured object'), scope, mode);
          continue;
        }
        const key = propertyKey(it, p, scope);
        bindPattern(it, p.value, key === undefined ? unknown('a computed key') : it.member(value, prim(key), p), scope, mode);
      }
      return;
    case 'RestElement':
      bindPattern(it, pattern.argument, value, scope, mode);
      return;
    case 'TSParameterProperty':
      bindPattern(it, pattern.parameter, value, scope, mode);
      return;
    default:
      return;
  }
}

function restOf(value: AV, from: number): AV {
  if (value.k === 'arr') return arr(value.items.slice(from));
  return unknown('the rest of a destructured value');
}

export function assignPattern(it: Interpreter, pattern: Node, value: AV, scope: Scope): void {
  switch (pattern.type) {
    case 'Identifier': {
      it.tf.nameModel(value, pattern.name);
      const b = scope.lookup(pattern.name);
      if (b) it.journal.setBinding(b, value);
      else it.global.declare(pattern.name, value);
      return;
    }
    case 'MemberExpression':
      assignMember(it, pattern, value, scope);
      return;
    case 'ArrayPattern':
      pattern.elements.forEach((el, i) => {
        if (el && el.type !== 'RestElement') assignPattern(it, el, it.member(value, prim(i), el), scope);
      });
      return;
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') continue;
        const key = propertyKey(it, p, scope);
        assignPattern(it, p.value, key === undefined ? unknown('a computed key') : it.member(value, prim(key), p), scope);
      }
      return;
    case 'AssignmentPattern':
      assignPattern(it, pattern.left, value.k === 'prim' && value.v === undefined ? it.eval(pattern.right, scope) : value, scope);
      return;
    default:
      return;
  }
}

function assignMember(it: Interpreter, target: TSESTree.MemberExpression, value: AV, scope: Scope): void {
  const object = it.eval(target.object, scope);
  const key = memberKey(it, target, scope);
  if (key === undefined) return;
  if (object.k === 'obj') {
    it.tf.nameModel(value, String(key));
    it.journal.setProp(object, String(key), { value });
  } else if (object.k === 'arr' && typeof key === 'number' && Number.isInteger(key) && key >= 0) {
    it.journal.setItem(object, key, value);
  } else if (object.k === 'layer' || object.k === 'model') {
    it.tf.setMember(object, String(key), value);
  }
}

/** The name of an object literal's or a class's property; undefined for a computed key not known. */
export function propertyKey(
  it: Interpreter,
  p: TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition,
  scope: Scope,
): string | undefined {
  if (!p.computed) {
    if (p.key.type === 'Identifier') return p.key.name;
    if (p.key.type === 'Literal') return String(p.key.value);
    return undefined;
  }
  const k = it.eval(p.key, scope);
  return k.k === 'prim' && (typeof k.v === 'string' || typeof k.v === 'number') ? String(k.v) : undefined;
}

/** The key `a.b` or `a[k]` reads; undefined when `k` is not known. */
export function memberKey(it: Interpreter, node: TSESTree.MemberExpression, scope: Scope): string | number | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  const k = it.eval(node.property, scope);
  return k.k === 'prim' && (typeof k.v === 'string' || typeof k.v === 'number') ? k.v : undefined;
}
