// Python string formatting as model code uses it to name submodules: f"layer{i}",
// "block%d" % i, "conv{}_{}".format(i, j). Values not known statically make the whole
// string unknown (undefined here), never a wrong name.

import type { PyValue } from './values';

/** Longest string followed (a name is short; `'%999999999d' % 1` or doubling by `'%s%s' % (s, s)` must not allocate). */
export const MAX_STRING_LENGTH = 1 << 16;
/** Most digits after the point that toFixed gives (more throws). */
const MAX_PRECISION = 100;

/** `value` formatted by a format spec (`02d`, `.2f`, `>4`, ``), or undefined when not known. */
export function formatField(value: PyValue, spec: string): string | undefined {
  const text = plain(value);
  if (text === undefined) return undefined;
  const m = /^(?:(.)?([<>^]))?(0)?(\d+)?(?:\.(\d+))?([dfs])?$/.exec(spec);
  if (!m) return undefined;
  const [, fill = ' ', align, zero, width, precision, kind] = m;
  if (Number(width ?? 0) > MAX_STRING_LENGTH || Number(precision ?? 0) > MAX_PRECISION) return undefined;
  let out = text;
  if (value.t === 'num' && (kind === 'f' || precision !== undefined)) out = value.v.toFixed(Number(precision ?? 6));
  const w = Number(width ?? 0);
  if (out.length >= w) return out;
  if (zero && !align) return out.startsWith('-') ? '-' + out.slice(1).padStart(w - 1, '0') : out.padStart(w, '0');
  const numeric = value.t === 'num';
  const side = align ?? (numeric ? '>' : '<');
  if (side === '<') return out.padEnd(w, fill);
  if (side === '>') return out.padStart(w, fill);
  const left = Math.floor((w - out.length) / 2);
  return out.padStart(out.length + left, fill).padEnd(w, fill);
}

/** `template % args` (printf style: %d %i %s %f with width and precision). */
export function percentFormat(template: string, args: PyValue): string | undefined {
  const values = args.t === 'list' && args.tuple ? args.items : [args];
  let next = 0;
  let failed = false;
  const out = template.replace(/%(0)?(\d+)?(?:\.(\d+))?([disf%])/g, (_all, zero: string | undefined, width: string | undefined, precision: string | undefined, kind: string) => {
    if (kind === '%') return '%';
    const v = values[next++];
    const spec = `${zero ?? ''}${width ?? ''}${precision !== undefined ? '.' + precision : ''}${kind === 'f' ? 'f' : ''}`;
    const text = v === undefined ? undefined : formatField(kind === 'd' || kind === 'i' ? truncated(v) : v, spec);
    if (text === undefined) failed = true;
    return text ?? '';
  });
  return failed || next !== values.length || out.length > MAX_STRING_LENGTH ? undefined : out;
}

/** `template.format(*positional, **keywords)`: `{}`, `{0}`, `{name}`, each with an optional spec. */
export function strFormat(template: string, positional: PyValue[], keywords: Map<string, PyValue>): string | undefined {
  let next = 0;
  let failed = false;
  const out = template.replace(/\{\{|\}\}|\{([A-Za-z_]\w*|\d*)(?::([^{}]*))?\}/g, (all, field: string | undefined, spec: string | undefined) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    const key = field ?? '';
    const v = key === '' ? positional[next++] : /^\d+$/.test(key) ? positional[Number(key)] : keywords.get(key);
    const text = v === undefined ? undefined : formatField(v, spec ?? '');
    if (text === undefined) failed = true;
    return text ?? '';
  });
  return failed || out.length > MAX_STRING_LENGTH ? undefined : out;
}

function plain(value: PyValue): string | undefined {
  if (value.t === 'str') return value.v;
  if (value.t === 'num') return String(value.v);
  if (value.t === 'bool') return value.v ? 'True' : 'False';
  if (value.t === 'none') return 'None';
  return undefined;
}

function truncated(value: PyValue): PyValue {
  return value.t === 'num' ? { t: 'num', v: Math.trunc(value.v) } : value;
}
