// The abstract values the tfjs interpreter computes: known JSON-like values, arrays and
// objects (mutable, shared by reference as in JS), functions, classes, the tfjs namespace,
// layers, symbolic tensors, models, and `unknown` with the reason a person can read.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { PropSource, Range, Value } from '../graph';
import type { AppNode, LayerRec, ModelBuild } from './graphBuilder';
import type { Scope } from './scope';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export interface PrimV {
  k: 'prim';
  v: number | string | boolean | null | undefined;
}
export interface ArrV {
  k: 'arr';
  items: AV[];
}
export interface Slot {
  value: AV;
  /** Where the property is written, when it comes from an object literal. */
  source?: PropSource;
}
export interface ObjV {
  k: 'obj';
  props: Map<string, Slot>;
  /** The object literal this object was written as. */
  range?: Range;
  /** Set when a spread of an unknown value may have added more properties. */
  unknownSpread?: string;
  /** Instances of a user class find their methods here. */
  cls?: ClassV;
}
export interface UnknownV {
  k: 'unknown';
  reason: string;
}
export interface FnV {
  k: 'fn';
  node: FunctionNode;
  scope: Scope;
  name: string;
  thisValue?: AV;
  /** Class methods: their class, so `super` and never-called methods can be handled. */
  cls?: ClassV;
}
export interface NativeV {
  k: 'native';
  name: string;
  call: (args: AV[], callNode: TSESTree.CallExpression | TSESTree.NewExpression) => AV;
  /** Static members (`Array.from`). */
  members?: Map<string, AV>;
}
export interface ClassV {
  k: 'class';
  name: string;
  node: TSESTree.ClassDeclaration | TSESTree.ClassExpression;
  scope: Scope;
  superClass?: AV;
  /** Extends a tfjs layer class (directly or through other classes). */
  isLayer: boolean;
  methods: Map<string, FunctionNode>;
  statics: Map<string, FunctionNode>;
  /** The last instance constructed, used as `this` for methods never called. */
  instance?: ObjV;
}
/** A member of the tfjs namespace: '' is `tf` itself, 'layers.dense' is `tf.layers.dense`. */
export interface TfV {
  k: 'tf';
  path: string;
}
export interface LayerV {
  k: 'layer';
  layer: LayerRec;
}
/** A symbolic tensor: output `index` (when indexed) of one layer application. */
export interface TensorV {
  k: 'tensor';
  node: AppNode;
  index?: number;
}
export interface ModelV {
  k: 'model';
  model: ModelBuild;
}

export type AV = PrimV | ArrV | ObjV | UnknownV | FnV | NativeV | ClassV | TfV | LayerV | TensorV | ModelV;

export const UNDEFINED: PrimV = { k: 'prim', v: undefined };
export const prim = (v: PrimV['v']): PrimV => (v === undefined ? UNDEFINED : { k: 'prim', v });
export const unknown = (reason: string): UnknownV => ({ k: 'unknown', reason });
export const arr = (items: AV[]): ArrV => ({ k: 'arr', items });

/**
 * Strings and arrays the interpreter builds are followed up to these lengths (a model file
 * names layers, it does not build megabytes); a value doubled in a loop becomes unknown
 * there instead of exhausting memory ("Invalid string length").
 */
export const MAX_STRING_LENGTH = 1 << 20;
export const MAX_ARRAY_LENGTH = 1 << 17;

export const TOO_LONG_STRING = unknown(`a string of over ${MAX_STRING_LENGTH} characters is not followed`);
export const TOO_LONG_ARRAY = unknown(`an array of over ${MAX_ARRAY_LENGTH} items is not followed`);

export function obj(entries: Record<string, AV> = {}, range?: Range): ObjV {
  const props = new Map<string, Slot>();
  for (const [key, value] of Object.entries(entries)) props.set(key, { value });
  return { k: 'obj', props, range };
}

/** A JS truthiness test on a value; undefined when it cannot be known. */
export function truthy(v: AV): boolean | undefined {
  switch (v.k) {
    case 'prim':
      return Boolean(v.v);
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}

export type Converted = { ok: true; value: Value | undefined } | { ok: false; reason: string };

/**
 * The JSON value an abstract value stands for (`undefined` stays undefined: an absent key),
 * or why it has none.
 */
export function toValue(v: AV, within?: AV[]): Converted {
  // `a.self = a`: a value that contains itself has no plain form (and would recurse forever).
  // `within` holds the arrays and objects being converted around v (made on the first one).
  if (within?.includes(v)) return { ok: false, reason: 'a value that contains itself' };
  switch (v.k) {
    case 'prim':
      return { ok: true, value: v.v };
    case 'unknown':
      return { ok: false, reason: v.reason };
    case 'arr': {
      const path = within ?? [];
      path.push(v);
      const items: Value[] = [];
      for (const item of v.items) {
        const c = toValue(item, path);
        if (!c.ok) return c;
        items.push(c.value === undefined ? null : c.value);
      }
      path.pop();
      return { ok: true, value: items };
    }
    case 'obj': {
      if (v.unknownSpread) return { ok: false, reason: v.unknownSpread };
      const path = within ?? [];
      path.push(v);
      const out: Record<string, Value> = {};
      for (const [key, slot] of v.props) {
        const c = toValue(slot.value, path);
        if (!c.ok) return c;
        if (c.value !== undefined) out[key] = c.value;
      }
      path.pop();
      return { ok: true, value: out };
    }
    default:
      return { ok: false, reason: `a ${describeKind(v)} is not a plain value` };
  }
}

export function describeKind(v: AV): string {
  switch (v.k) {
    case 'fn':
    case 'native':
      return 'function';
    case 'tf':
      return 'tfjs namespace member';
    case 'tensor':
      return 'symbolic tensor';
    case 'arr':
      return 'array';
    case 'obj':
      return 'object';
    case 'prim':
      return 'value';
    default:
      return v.k;
  }
}

/** Strict equality as far as it can be known statically. */
export function sameValue(a: AV, b: AV): boolean | undefined {
  if (a === b) return true;
  if (a.k === 'prim' && b.k === 'prim') return a.v === b.v;
  if (a.k === 'unknown' || b.k === 'unknown') return undefined;
  if (a.k === 'prim' || b.k === 'prim') return false;
  return a.k === 'tensor' && b.k === 'tensor' ? a.node === b.node && a.index === b.index : false;
}
