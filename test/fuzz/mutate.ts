// Seeded mutations of a model file, each the kind of thing a hostile or careless user writes:
// truncation, byte flips, deleted and duplicated lines, absurd numbers, deep nesting, YAML
// aliases and tags, very long lines, unicode and control characters, loops that grow values.

/** A small deterministic generator (mulberry32), so a seed names a round exactly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
/** Mutants stay below this many characters (the fuzzer skips those over 512 KiB anyway). */
const MAX_LENGTH = 1 << 21;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const at = (r: Random, text: string): number => Math.floor(r() * (text.length + 1));

const ABSURD = ['0', '-1', '1e308', '1e17', '2147483649', '9007199254740993', 'NaN', 'Infinity', '-0', '0.5', '1e-320', '65537'];
const UNICODE = ['\u001b[31m', '\u0007', '\u0000', '\u202e', '\ud800', '😀', 'é', '\u2028', '\uFEFF', 'İ'];
const YAML_BITS = ['&a ', '*a', '!!str ', '!!python/tuple ', '<<: *a\n', '!!binary ', '? ', '- &b [*b]\n', '{', '[', '"\\u0000"'];
const CODE_BITS = [
  '\nfor (let i = 0; i < 1e9; i++) { s = s + s; }\n',
  '\nlet s = "x"; for (let i = 0; i < 200; i++) s += s;\n',
  '\nconst xs = [1]; for (let i = 0; i < 100; i++) xs.push(...xs);\n',
  '\nfunction f(n) { return f(n + 1); } f(0);\n',
  '\nwhile (true) {}\n',
  '\nfor (const k of Array.from({length: 1e9})) {}\n',
];

/** Python that grows values or loops: each line stands at the start of a line, at any indentation. */
const PYTHON_BITS = [
  'for i in range(10**9):\n    x = i',
  's = "x"\nfor i in range(200):\n    s = s + s',
  'xs = [1]\nfor i in range(100):\n    xs = xs + xs',
  'xs = [1] * 4096\nfor i in range(10):\n    xs = xs * 4096',
  'def f(n):\n    return f(n + 1)\nf(0)',
  'while True:\n    pass',
  'layers = [nn.Linear(8, 8) for _ in range(10**6)]',
  'rnn = nn.LSTM(8, 8, num_layers=10**9)',
  'pool = nn.AdaptiveAvgPool2d(1000000007)',
  'lin = nn.Linear(10**18, 10**18)',
];

export type Mutator = (text: string, r: Random) => string;

export const MUTATORS: Record<string, Mutator> = {
  truncate: (t, r) => t.slice(0, at(r, t)),
  flipBytes: (t, r) => {
    let s = t;
    for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
      const i = Math.floor(r() * s.length);
      s = s.slice(0, i) + String.fromCharCode(32 + Math.floor(r() * 95)) + s.slice(i + 1);
    }
    return s;
  },
  deleteLines: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 1 + Math.floor(r() * 3));
    return lines.join('\n');
  },
  duplicateLines: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    // Long lines are duplicated less, so that the mutant stays a string V8 can hold.
    const times = Math.min(pick(r, [1, 2, 10, 200, 2000]), Math.ceil(MAX_LENGTH / (lines[i].length + 1)));
    lines.splice(i, 0, ...Array.from({ length: times }, () => lines[i]));
    return lines.join('\n');
  },
  absurdNumber: (t, r) => {
    const numbers = [...t.matchAll(/\b\d+(\.\d+)?\b/g)];
    if (numbers.length === 0) return t;
    const m = pick(r, numbers);
    return t.slice(0, m.index) + pick(r, ABSURD) + t.slice(m.index! + m[0].length);
  },
  deepNesting: (t, r) => {
    const depth = pick(r, [100, 1000, 5000, 20000]);
    const i = at(r, t);
    const [open, close] = pick(r, [['[', ']'], ['{"a":', '}'], ['(', ')']]);
    return t.slice(0, i) + open.repeat(depth) + '1' + close.repeat(depth) + t.slice(i);
  },
  yamlSyntax: (t, r) => {
    const i = at(r, t);
    return t.slice(0, i) + pick(r, YAML_BITS) + t.slice(i);
  },
  longLine: (t, r) => {
    const i = at(r, t);
    return t.slice(0, i) + pick(r, ['x', 'dense_', '1,', ' ']).repeat(pick(r, [1000, 100_000, 1_000_000])) + t.slice(i);
  },
  unicode: (t, r) => {
    const i = at(r, t);
    return t.slice(0, i) + pick(r, UNICODE) + t.slice(i);
  },
  /** A line's indentation changed: Python's blocks end or start where they should not. */
  indentation: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines[i] = pick(r, ['', ' ', '\t', '        ', '            '.repeat(pick(r, [1, 50]))]) + lines[i].trimStart();
    return lines.join('\n');
  },
  pythonLoop: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    const indent = /^\s*/.exec(lines[i])![0];
    lines.splice(i, 0, ...pick(r, PYTHON_BITS).split('\n').map((l) => indent + l));
    return lines.join('\n');
  },
  /** Blocks nested deeper than any real code: `if x:` (or `def`, `with`, `class`) inside itself. */
  deepBlocks: (t, r) => {
    const depth = pick(r, [50, 500, 3000]);
    const head = pick(r, ['if x:', 'def f():', 'class C(nn.Module):', 'for i in range(2):']);
    const body = Array.from({ length: depth }, (_, d) => ' '.repeat(d) + head).join('\n') + '\n' + ' '.repeat(depth) + 'y = nn.Linear(4, 4)\n';
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 0, body);
    return lines.join('\n');
  },
  codeLoop: (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 0, pick(r, CODE_BITS));
    return lines.join('\n');
  },
};

/** Mutators that only make sense in Python, and those that only make sense elsewhere. */
const PYTHON_ONLY = new Set(['indentation', 'pythonLoop', 'deepBlocks']);
const NOT_PYTHON = new Set(['codeLoop', 'yamlSyntax']);

/** One to three seeded mutations of `text` (a file called `name`), and their names. */
export function mutate(text: string, r: Random, name = ''): { text: string; applied: string[] } {
  const python = /\.(py|ipynb)$/.test(name);
  const names = Object.keys(MUTATORS).filter((m) => !(python ? NOT_PYTHON : PYTHON_ONLY).has(m));
  // A notebook is JSON: half its mutants change the Python inside one code cell, the JSON kept valid.
  if (name.endsWith('.ipynb') && r() < 0.5) return mutateCell(text, r, names);
  const applied: string[] = [];
  let out = text;
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const mutator = pick(r, names);
    applied.push(mutator);
    const next = MUTATORS[mutator](out, r);
    if (next.length <= MAX_LENGTH) out = next;
  }
  return { text: out, applied };
}

function mutateCell(text: string, r: Random, names: string[]): { text: string; applied: string[] } {
  let notebook: { cells?: { cell_type?: string; source?: string | string[] }[] };
  try {
    notebook = JSON.parse(text);
  } catch {
    return { text, applied: [] };
  }
  const cells = (notebook.cells ?? []).filter((c) => c.cell_type === 'code');
  if (cells.length === 0) return { text, applied: [] };
  const cell = pick(r, cells);
  const source = Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
  const mutator = pick(r, names);
  const next = MUTATORS[mutator](source, r);
  cell.source = next.split(/(?<=\n)/);
  return { text: JSON.stringify(notebook, null, 1), applied: [`${mutator} (in a cell)`] };
}
