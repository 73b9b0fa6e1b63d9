// The interpreter's expressions: literals, names, arrays and objects, member reads of
// every kind of abstract value, and the dispatch to operators (operators.ts) and calls
// (calls.ts).

import { charge, ITEM_UNITS } from '../budget';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { arrayMethod, globalValue } from './builtins';
import type { Interpreter } from './interpreter';
import { binary, evalAssignment, evalConditional, evalLogical, evalUnary, evalUpdate } from './operators';
import type { Scope } from './scope';
import { AV, MAX_ARRAY_LENGTH, MAX_STRING_LENGTH, ObjV, PrimV, TOO_LONG_ARRAY, TOO_LONG_STRING, UNDEFINED, arr, describeKind, obj, prim, unknown } from './values';

type Node = TSESTree.Node;

export function evaluate(it: Interpreter, node: Node, scope: Scope, nameHint?: string): AV {
  it.step(node);
  switch (node.type) {
    case 'Literal':
      if ('regex' in node && node.regex) return unknown('a regular expression');
      return typeof node.value === 'bigint' ? unknown('a bigint') : prim(node.value as PrimV['v']);
    case 'TemplateLiteral': {
      let s = node.quasis[0].value.cooked ?? '';
      for (let i = 0; i < node.expressions.length; i++) {
        const v = evaluate(it, node.expressions[i], scope);
        if (v.k !== 'prim') return it.notKnown(node);
        s += String(v.v) + (node.quasis[i + 1].value.cooked ?? '');
        if (s.length > MAX_STRING_LENGTH) return TOO_LONG_STRING;
      }
      return prim(s);
    }
    case 'Identifier':
      return lookup(it, node.name, scope);
    case 'ThisExpression':
      return scope.lookup('this')?.value ?? unknown('`this` is not known statically');
    case 'Super':
      return scope.lookup('super')?.value ?? unknown('`super`');
    case 'ArrayExpression': {
      const items: AV[] = [];
      for (const el of node.elements) {
        if (!el) items.push(UNDEFINED);
        else if (el.type === 'SpreadElement') {
          const v = evaluate(it, el.argument, scope);
          if (v.k !== 'arr') return it.notKnown(el);
          if (items.length + v.items.length > MAX_ARRAY_LENGTH) return TOO_LONG_ARRAY;
          charge(ITEM_UNITS * v.items.length);
          for (const item of v.items) items.push(item);
        } else items.push(evaluate(it, el, scope));
      }
      return arr(items);
    }
    case 'ObjectExpression':
      return evalObject(it, node, scope);
    case 'MemberExpression': {
      const object = evaluate(it, node.object, scope);
      if (node.optional && object.k === 'prim' && object.v == null) return UNDEFINED;
      const key = it.memberKey(node, scope);
      if (key === undefined) return it.notKnown(node);
      return member(it, object, prim(key), node);
    }
    case 'ChainExpression':
      return evaluate(it, node.expression, scope);
    case 'CallExpression':
      return it.evalCall(node, scope);
    case 'NewExpression':
      return it.evalNew(node, scope);
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return it.makeFunction(node, scope, node.id?.name ?? nameHint ?? 'anonymous function');
    case 'ClassExpression':
      return it.makeClass(node, scope);
    case 'AssignmentExpression':
      return evalAssignment(it, node, scope);
    case 'UpdateExpression':
      return evalUpdate(it, node, scope);
    case 'UnaryExpression':
      return evalUnary(it, node, scope);
    case 'BinaryExpression':
      return binary(it, node.operator, evaluate(it, node.left, scope), evaluate(it, node.right, scope), node);
    case 'LogicalExpression':
      return evalLogical(it, node, scope);
    case 'ConditionalExpression':
      return evalConditional(it, node, scope);
    case 'SequenceExpression': {
      let last: AV = UNDEFINED;
      for (const e of node.expressions) last = evaluate(it, e, scope);
      return last;
    }
    case 'AwaitExpression':
      return evaluate(it, node.argument, scope);
    case 'ImportExpression':
      return it.tf.dynamicImport(evaluate(it, node.source, scope), node);
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
    case 'TSInstantiationExpression':
      return evaluate(it, node.expression, scope, nameHint);
    default:
      return it.notKnown(node);
  }
}

/** A name: from the scope, else a JavaScript or tfjs global, else unknown. */
function lookup(it: Interpreter, name: string, scope: Scope): AV {
  const b = scope.lookup(name);
  if (b) return b.value;
  const g = globalValue(name, it) ?? it.tf.globalValue(name);
  if (g) {
    it.global.declare(name, g);
    return g;
  }
  return unknown(`\`${name}\` is not defined in this file`);
}

function evalObject(it: Interpreter, node: TSESTree.ObjectExpression, scope: Scope): ObjV {
  const o = obj({}, { start: node.range[0], end: node.range[1] });
  for (const p of node.properties) {
    if (p.type === 'SpreadElement') {
      spreadInto(it, o, evaluate(it, p.argument, scope), p);
      continue;
    }
    const key = it.propertyKey(p, scope);
    if (key === undefined) {
      o.unknownSpread = `\`${it.snippet(p.key)}\` is a computed key not known statically`;
      continue;
    }
    if (p.kind !== 'init') continue; // getters and setters
    const value = evaluate(it, p.value, scope, key);
    it.tf.nameModel(value, key);
    o.props.set(key, {
      value,
      source: { range: { start: p.range[0], end: p.range[1] }, value: { start: p.value.range[0], end: p.value.range[1] } },
    });
  }
  return o;
}

export function spreadInto(it: Interpreter, target: ObjV, source: AV, at?: Node): void {
  if (source.k === 'obj') {
    for (const [k, slot] of source.props) target.props.set(k, slot);
    if (source.unknownSpread) target.unknownSpread = source.unknownSpread;
  } else if (source.k === 'arr') {
    source.items.forEach((v, i) => target.props.set(String(i), { value: v }));
  } else if (source.k === 'unknown') {
    target.unknownSpread = at ? `\`${it.snippet(at)}\` spreads a value not known statically` : source.reason;
  }
}

export function member(it: Interpreter, object: AV, key: PrimV, at: Node): AV {
  const k = key.v;
  switch (object.k) {
    case 'arr':
      if (typeof k === 'number') return object.items[k] ?? UNDEFINED;
      if (k === 'length') return prim(object.items.length);
      if (typeof k === 'string' && /^\d+$/.test(k)) return object.items[Number(k)] ?? UNDEFINED;
      return arrayMethod(object, String(k), it) ?? it.notKnown(at);
    case 'obj': {
      const slot = object.props.get(String(k));
      if (slot) return slot.value;
      const method = it.methodOf(object, String(k));
      if (method) return method;
      if (object.base) return it.tf.member(object.base, k, at);
      return object.unknownSpread ? unknown(object.unknownSpread) : UNDEFINED;
    }
    case 'prim':
      if (typeof object.v === 'string') {
        if (k === 'length') return prim(object.v.length);
        if (typeof k === 'number') return prim(object.v[k]);
      }
      if (object.v == null) return unknown(`\`${it.snippet(at)}\` reads a property of ${object.v}`);
      return it.notKnown(at);
    case 'unknown':
      return object;
    case 'native':
      return object.members?.get(String(k)) ?? it.notKnown(at);
    case 'class': {
      const m = object.statics.get(String(k));
      return m ? { k: 'fn', node: m, scope: object.scope, name: String(k), cls: object } : it.notKnown(at);
    }
    case 'tf':
    case 'layer':
    case 'model':
    case 'tensor':
      return it.tf.member(object, k, at);
    default:
      return unknown(`a ${describeKind(object)} has no known \`${String(k)}\``);
  }
}
