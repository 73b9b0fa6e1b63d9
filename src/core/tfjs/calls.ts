// The interpreter's functions and classes: making them, calling them (with a recursion
// cap), `new`, constructors and `super`, and methods looked up through the class chain.

import { charge, ITEM_UNITS } from '../budget';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Interpreter } from './interpreter';
import { Scope } from './scope';
import { AV, ClassV, FnV, FunctionNode, MAX_ARRAY_LENGTH, ObjV, TOO_LONG_ARRAY, UNDEFINED, arr, obj, prim, unknown } from './values';

type CallNode = TSESTree.CallExpression | TSESTree.NewExpression;

const ARRAY_CALLBACK_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'filter', 'some', 'every']);

export function makeFunction(it: Interpreter, node: FunctionNode, scope: Scope, name: string): FnV {
  const fn: FnV = { k: 'fn', node, scope, name };
  // Another file's functions never called from this one are that file's business.
  if (it.current === it.main) it.pending.push(fn);
  return fn;
}

export function makeClass(it: Interpreter, node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, scope: Scope): ClassV {
  const superClass = node.superClass ? it.eval(node.superClass, scope) : undefined;
  const cls: ClassV = {
    k: 'class',
    name: node.id?.name ?? 'anonymous class',
    node,
    scope,
    superClass,
    isLayer: superClass ? it.tf.isLayerClass(superClass) : false,
    methods: new Map(),
    statics: new Map(),
  };
  for (const m of node.body.body) {
    if (m.type !== 'MethodDefinition' || m.value.type !== 'FunctionExpression') continue;
    const key = it.propertyKey(m, scope);
    if (key !== undefined) (m.static ? cls.statics : cls.methods).set(key, m.value);
  }
  if (it.current === it.main) it.pending.push(cls);
  return cls;
}

function evalArgs(it: Interpreter, nodes: readonly TSESTree.CallExpressionArgument[], scope: Scope): AV[] {
  const args: AV[] = [];
  for (const a of nodes) {
    if (a.type === 'SpreadElement') {
      const v = it.eval(a.argument, scope);
      // Spread item by item (a spread call overflows the stack past ~100,000 items) and only up to the array bound.
      if (v.k === 'arr' && args.length + v.items.length <= MAX_ARRAY_LENGTH) {
        charge(ITEM_UNITS * v.items.length);
        for (const item of v.items) args.push(item);
      } else args.push(v.k === 'arr' ? TOO_LONG_ARRAY : it.notKnown(a));
    } else args.push(it.eval(a, scope));
  }
  return args;
}

export function evalCall(it: Interpreter, node: TSESTree.CallExpression, scope: Scope): AV {
  return atSite(it, node, () => evalCallHere(it, node, scope));
}

/** A call in the file linted is where what code of other files builds for it is shown. */
function atSite(it: Interpreter, node: CallNode, fn: () => AV): AV {
  if (it.current !== it.main) return fn();
  const saved = it.site;
  it.site = { start: node.range[0], end: node.range[1] };
  try {
    return fn();
  } finally {
    it.site = saved;
  }
}

function evalCallHere(it: Interpreter, node: TSESTree.CallExpression, scope: Scope): AV {
  let thisValue: AV = UNDEFINED;
  let callee: AV;
  if (node.callee.type === 'MemberExpression') {
    thisValue = it.eval(node.callee.object, scope);
    if (node.optional && thisValue.k === 'prim' && thisValue.v == null) return UNDEFINED;
    const key = it.memberKey(node.callee, scope);
    callee = key === undefined ? it.notKnown(node.callee) : it.member(thisValue, prim(key), node.callee);
  } else callee = it.eval(node.callee, scope);
  if (callee.k === 'prim' && callee.v == null && node.optional) return UNDEFINED;
  const args = evalArgs(it, node.arguments, scope);
  if (callee.k === 'unknown') {
    callbackOfUnknownArray(it, node, args);
    // Other callbacks handed to unknown code run at the end with unknown arguments.
    return it.notKnown(node);
  }
  return callValue(it, callee, args, thisValue, node);
}

export function evalNew(it: Interpreter, node: TSESTree.NewExpression, scope: Scope): AV {
  return atSite(it, node, () => evalNewHere(it, node, scope));
}

function evalNewHere(it: Interpreter, node: TSESTree.NewExpression, scope: Scope): AV {
  const callee = it.eval(node.callee, scope);
  const args = evalArgs(it, node.arguments, scope);
  if (callee.k === 'class') return construct(it, callee, args, node);
  if (callee.k === 'native') return callee.call(args, node);
  if (callee.k === 'tf') return it.tf.call(callee.path, args, node);
  return it.notKnown(node);
}

/** `sizes.forEach(cb)` on an array not known statically: the callback runs once, in place. */
function callbackOfUnknownArray(it: Interpreter, node: TSESTree.CallExpression, args: AV[]): void {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
  if (!ARRAY_CALLBACK_METHODS.has(callee.property.name)) return;
  const fn = args[0];
  if (fn?.k !== 'fn') return;
  const element = unknown(`an element of \`${it.snippet(callee.object)}\`, which is not known statically`);
  const index = unknown('an index not known statically');
  it.iterate(undefined, callee.property, () => void callValue(it, fn, [element, index], UNDEFINED, node), it.whyNotKnown(callee.object));
}

/** Calls any callable abstract value. */
export function callValue(it: Interpreter, fn: AV | undefined, args: AV[], thisValue: AV, node: CallNode): AV {
  switch (fn?.k) {
    case 'fn':
      return callFunction(it, fn, args, fn.thisValue ?? thisValue);
    case 'native':
      return fn.call(args, node);
    case 'tf':
      return it.tf.call(fn.path, args, node);
    case 'unknown':
      return unknown(fn.reason);
    default:
      return unknown(`\`${it.snippet(node.callee)}\` is not a function known statically`);
  }
}

export function callFunction(it: Interpreter, fn: FnV, args: AV[], thisValue: AV): AV {
  const module = it.modules.moduleOf(fn.scope) ?? it.main;
  if (module !== it.current) return it.runIn(module, it.site, false, () => callFunctionHere(it, fn, args, thisValue));
  return callFunctionHere(it, fn, args, thisValue);
}

function callFunctionHere(it: Interpreter, fn: FnV, args: AV[], thisValue: AV): AV {
  const depth = it.active.get(fn.node) ?? 0;
  if (depth >= it.limits.maxRecursion) {
    it.problem(
      `Recursion in \`${fn.name}\` is deeper than ${it.limits.maxRecursion} calls; deeper calls were not read`,
      { start: fn.node.range[0], end: fn.node.body.range[0] },
      'warning',
    );
    return unknown(`\`${fn.name}\` recurses too deeply to follow`);
  }
  it.evaluated.add(fn.node);
  it.active.set(fn.node, depth + 1);
  const seqBefore = it.seq;
  try {
    const scope = new Scope(fn.scope, true);
    if (fn.node.type !== 'ArrowFunctionExpression') scope.declare('this', thisValue);
    fn.node.params.forEach((p, i) => {
      if (p.type === 'RestElement') it.bindPattern(p.argument, arr(args.slice(i)), scope, 'param');
      else it.bindPattern(p, args[i] ?? UNDEFINED, scope, 'param');
    });
    let result: AV = UNDEFINED;
    if (fn.node.body.type === 'BlockStatement') {
      const c = it.execBlockBody(fn.node.body.body, scope);
      if (c?.type === 'return') result = c.value;
    } else result = it.eval(fn.node.body, scope);
    it.tf.nameModelByFunction(result, fn.name, seqBefore);
    return result;
  } finally {
    it.active.set(fn.node, depth);
  }
}

/** `new C(...)`: tfjs layer subclasses become opaque layers; other classes run their constructor. */
function construct(it: Interpreter, cls: ClassV, args: AV[], node: TSESTree.NewExpression): AV {
  if (cls.isLayer) return it.tf.opaqueLayer(cls.name, { start: node.range[0], end: node.range[1] });
  const instance = obj();
  instance.cls = cls;
  runConstructor(it, cls, instance, args);
  cls.instance = instance;
  return instance;
}

/** Runs the class's constructor, or the nearest parent's, on `instance`. */
export function runConstructor(it: Interpreter, cls: ClassV, instance: ObjV, args: AV[]): void {
  const ctor = cls.methods.get('constructor');
  // Without its own constructor a class initialises its fields after its parent's.
  if (!ctor && cls.superClass?.k === 'class') runConstructor(it, cls.superClass, instance, args);
  else if (!ctor || !callsSuper(cls)) initFields(it, cls, instance);
  if (!ctor) return;
  const fn: FnV = { k: 'fn', node: ctor, scope: superScope(it, cls, instance), name: cls.name, cls };
  callFunction(it, fn, args, instance);
  storeParameterProperties(it, ctor, args, instance);
}

const callsSuper = (cls: ClassV): boolean => cls.superClass !== undefined;

/** Class fields (`tf = tfImport;`, `units = 64;`) set on the instance, in order. */
function initFields(it: Interpreter, cls: ClassV, instance: ObjV): void {
  const scope = new Scope(cls.scope, true);
  scope.declare('this', instance);
  for (const m of cls.node.body.body) {
    if (m.type !== 'PropertyDefinition' || m.static) continue;
    const key = it.propertyKey(m, scope);
    if (key === undefined) continue;
    const value = m.value ? it.eval(m.value, scope, key) : UNDEFINED;
    it.tf.nameModel(value, key);
    it.journal.setProp(instance, key, { value });
  }
}

/** `constructor(private tf: typeof tfjs)`: TypeScript stores such parameters on `this`. */
function storeParameterProperties(it: Interpreter, ctor: FunctionNode, args: AV[], instance: ObjV): void {
  ctor.params.forEach((p, i) => {
    if (p.type !== 'TSParameterProperty') return;
    const param = p.parameter.type === 'AssignmentPattern' ? p.parameter.left : p.parameter;
    if (param.type !== 'Identifier' || instance.props.has(param.name)) return;
    it.journal.setProp(instance, param.name, { value: args[i] ?? UNDEFINED });
  });
}

/**
 * The scope class members run in, where `super(...)` reaches the parent constructor; in a
 * constructor (`instance` given) the class's own fields are set right after it.
 */
export function superScope(it: Interpreter, cls: ClassV, instance?: ObjV): Scope {
  const s = new Scope(cls.scope);
  const parent = cls.superClass;
  s.declare('super', {
    k: 'native',
    name: 'super',
    call: (args, node) => {
      if (instance && parent?.k === 'class') runConstructor(it, parent, instance, args);
      else if (instance && parent?.k === 'tf') instance.base = it.tf.modelOfSubclass(parent.path, args, node, cls.name);
      if (instance) initFields(it, cls, instance);
      return UNDEFINED;
    },
  });
  return s;
}

/** A method of a class instance, bound to it, from its class or the nearest parent having it. */
export function methodOf(it: Interpreter, instance: ObjV, key: string): AV | undefined {
  for (let c: AV | undefined = instance.cls; c?.k === 'class'; c = c.superClass) {
    const m = c.methods.get(key);
    if (m) return { k: 'fn', node: m, scope: superScope(it, c), name: key, thisValue: instance, cls: c };
  }
  return undefined;
}
