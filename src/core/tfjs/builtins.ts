// The few JavaScript built-ins model code leans on (Math, Array helpers, Object.assign,
// array methods with callbacks), evaluated on abstract values.

import { charge, ITEM_UNITS } from '../budget';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Interpreter } from './interpreter';
import { AV, ArrV, MAX_ARRAY_LENGTH, MAX_STRING_LENGTH, NativeV, TOO_LONG_ARRAY, TOO_LONG_STRING, UNDEFINED, arr, obj, prim, sameValue, truthy, unknown } from './values';

type CallNode = TSESTree.CallExpression | TSESTree.NewExpression;

const native = (name: string, call: NativeV['call']): NativeV => ({ k: 'native', name, call });

const numbers = (args: AV[]): number[] | undefined => {
  const out: number[] = [];
  for (const a of args) {
    if (a.k !== 'prim' || typeof a.v !== 'number') return undefined;
    out.push(a.v);
  }
  return out;
};

const MATH_FUNCTIONS: Record<string, (...xs: number[]) => number> = {
  max: Math.max, min: Math.min, floor: Math.floor, ceil: Math.ceil, round: Math.round,
  pow: Math.pow, sqrt: Math.sqrt, abs: Math.abs, log: Math.log, log2: Math.log2, log10: Math.log10,
  exp: Math.exp, sign: Math.sign, trunc: Math.trunc,
};
const MATH_CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E, SQRT2: Math.SQRT2, LN2: Math.LN2 };

/** Array(n) / new Array(n): n empty slots. */
function makeArray(args: AV[], it: Interpreter, node: CallNode): AV {
  if (args.length === 1 && args[0].k === 'prim' && typeof args[0].v === 'number') {
    const n = args[0].v;
    if (!Number.isInteger(n) || n < 0 || n > it.limits.maxIterations) return unknown(`\`${it.snippet(node)}\` is too large to unroll`);
    return arr(new Array<AV>(n).fill(UNDEFINED));
  }
  if (args.some((a) => a.k === 'unknown')) return unknown(`\`${it.snippet(node)}\` has an unknown length`);
  return arr(args);
}

/** Global names model code uses; anything else undeclared is unknown. */
export function globalValue(name: string, it: Interpreter): AV | undefined {
  switch (name) {
    case 'undefined':
      return UNDEFINED;
    case 'NaN':
      return prim(NaN);
    case 'Infinity':
      return prim(Infinity);
    case 'Math': {
      const m = obj();
      for (const [k, f] of Object.entries(MATH_FUNCTIONS)) {
        m.props.set(k, {
          value: native(`Math.${k}`, (args, node) => {
            const xs = numbers(args);
            return xs ? prim(f(...xs)) : unknown(`\`${it.snippet(node)}\` depends on unknown values`);
          }),
        });
      }
      for (const [k, v] of Object.entries(MATH_CONSTANTS)) m.props.set(k, { value: prim(v) });
      m.props.set('random', { value: native('Math.random', () => unknown('`Math.random()` is random')) });
      return m;
    }
    case 'Number':
    case 'parseInt':
    case 'parseFloat':
      return native(name, (args, node) => {
        const a = args[0] ?? UNDEFINED;
        if (a.k !== 'prim') return it.notKnown(node);
        return prim(name === 'parseInt' ? parseInt(String(a.v), 10) : name === 'parseFloat' ? parseFloat(String(a.v)) : Number(a.v));
      });
    case 'String':
      return native(name, (args, node) =>
        args[0]?.k === 'prim' ? prim(String(args[0].v)) : it.notKnown(node),
      );
    case 'Array': {
      const a = native('Array', (args, node) => makeArray(args, it, node));
      a.members = new Map<string, AV>([
        ['from', native('Array.from', (args, node) => arrayFrom(args, it, node))],
        ['isArray', native('Array.isArray', (args) => (args[0]?.k === 'unknown' ? args[0] : prim(args[0]?.k === 'arr')))],
      ]);
      return a;
    }
    case 'Object': {
      const o = obj();
      o.props.set('assign', {
        value: native('Object.assign', (args) => {
          const [target, ...sources] = args;
          if (target?.k !== 'obj') return unknown('`Object.assign` on an unknown target');
          for (const s of sources) it.spreadInto(target, s);
          return target;
        }),
      });
      o.props.set('keys', {
        value: native('Object.keys', (args, node) =>
          args[0]?.k === 'obj' && !args[0].unknownSpread
            ? arr([...args[0].props.keys()].map((k) => prim(k)))
            : it.notKnown(node),
        ),
      });
      return o;
    }
    default:
      return undefined;
  }
}

function arrayFrom(args: AV[], it: Interpreter, node: CallNode): AV {
  const [source, mapFn] = args;
  let items: AV[] | undefined;
  if (source?.k === 'arr') items = source.items.slice();
  else if (source?.k === 'obj') {
    const length = source.props.get('length')?.value;
    if (length?.k === 'prim' && typeof length.v === 'number' && length.v >= 0 && length.v <= it.limits.maxIterations) {
      items = new Array<AV>(length.v).fill(UNDEFINED);
    }
  }
  if (!items) return unknown(`\`${it.snippet(node)}\` has an unknown length`);
  if (!mapFn) return arr(items);
  return arrayMethod(arr(items), 'map', it)?.call([mapFn], node as TSESTree.CallExpression) ?? UNDEFINED;
}

/** Methods of arrays; callbacks run once per known element (or once, unknown, see iterate). */
export function arrayMethod(target: ArrV, name: string, it: Interpreter): NativeV | undefined {
  const each = (fn: AV, node: CallNode, visit: (result: AV, index: number) => boolean | void) =>
    it.iterate(target.items.length, node, (i) => visit(it.callValue(fn, [target.items[i], prim(i), target], UNDEFINED, node), i));
  switch (name) {
    case 'push':
      return native(name, (args) => {
        // An array pushed onto itself in a loop doubles: past the bound its last item says so.
        const room = Math.max(MAX_ARRAY_LENGTH - target.items.length, 0);
        charge(ITEM_UNITS * Math.min(args.length, room));
        for (const a of args.length > room ? [...args.slice(0, room), TOO_LONG_ARRAY] : args) it.journal.setItem(target, target.items.length, a);
        return prim(target.items.length);
      });
    case 'forEach':
      return native(name, (args, node) => {
        each(args[0], node, () => undefined);
        return UNDEFINED;
      });
    case 'map':
      return native(name, (args, node) => {
        const out: AV[] = [];
        const complete = each(args[0], node, (r) => void out.push(r));
        return complete ? arr(out) : unknown(`\`${it.snippet(node)}\` was not fully unrolled`);
      });
    case 'filter':
      return native(name, (args, node) => {
        const out: AV[] = [];
        let known = true;
        each(args[0], node, (r, i) => {
          const keep = truthy(r);
          if (keep === undefined) known = false;
          else if (keep) out.push(target.items[i]);
        });
        return known ? arr(out) : unknown(`\`${it.snippet(node)}\` depends on unknown values`);
      });
    case 'reduce':
      return native(name, (args, node) => {
        let acc: AV = args.length > 1 ? args[1] : (target.items[0] ?? UNDEFINED);
        const start = args.length > 1 ? 0 : 1;
        it.iterate(target.items.length - start, node, (i) => {
          acc = it.callValue(args[0], [acc, target.items[i + start], prim(i + start), target], UNDEFINED, node);
        });
        return acc;
      });
    case 'concat':
      return native(name, (args) => {
        // Measured before it is built: an array doubled in a loop stops here.
        const parts = args.map((a) => (a.k === 'arr' ? a.items : [a]));
        const length = parts.reduce((n, p) => n + p.length, target.items.length);
        if (length > MAX_ARRAY_LENGTH) return TOO_LONG_ARRAY;
        charge(ITEM_UNITS * length);
        return arr(target.items.concat(...parts));
      });
    case 'slice':
      return native(name, (args, node) => {
        const xs = numbers(args);
        return xs ? arr(target.items.slice(...xs)) : unknown(`\`${it.snippet(node)}\` has unknown bounds`);
      });
    case 'fill':
      return native(name, (args) => {
        target.items = target.items.map(() => args[0] ?? UNDEFINED);
        return target;
      });
    case 'keys':
      return native(name, () => arr(target.items.map((_, i) => prim(i))));
    case 'entries':
      return native(name, () => arr(target.items.map((v, i) => arr([prim(i), v]))));
    case 'reverse':
      return native(name, () => {
        target.items = target.items.slice().reverse();
        return target;
      });
    case 'includes':
    case 'indexOf':
      return native(name, (args) => {
        let found = -1;
        for (let i = 0; i < target.items.length; i++) {
          const same = sameValue(target.items[i], args[0] ?? UNDEFINED);
          if (same === undefined) return unknown(`\`${name}\` on values not known statically`);
          if (same) {
            found = i;
            break;
          }
        }
        return prim(name === 'includes' ? found >= 0 : found);
      });
    case 'join':
      return native(name, (args, node) => {
        const parts = target.items.map((v) => (v.k === 'prim' ? String(v.v ?? '') : undefined));
        const sep = args[0]?.k === 'prim' ? String(args[0].v) : ',';
        if (!parts.every((p) => p !== undefined)) return it.notKnown(node);
        const length = parts.reduce((n, p) => n + (p as string).length + sep.length, 0);
        return length > MAX_STRING_LENGTH ? TOO_LONG_STRING : prim(parts.join(sep));
      });
    default:
      return undefined;
  }
}
