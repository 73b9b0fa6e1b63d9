// parse_model (ultralytics/nn/tasks.py) re-done statically: scales, argument rewriting,
// channel bookkeeping and the expansion of every row into inner layers. Bad rows become
// problems at the row and identity layers, so row numbering stays as Ultralytics counts.

import type { GraphNode, Layer, Problem, Range, RowInfo, Value } from '../graph';
import * as path from 'path';
import { CONVENTIONAL_FILES, LEVELS_UP, type ModuleSearch, type ProjectModules } from './customModules';
import { projectModuleInfo } from './customExpand';
import { LineIndex } from '../text';
import { parseActivation, type ActivationSpec } from './activation';
import { GraphBuilder, SILU, type Tensor } from './builder';
import type { Located, ModelDocument, RawRow } from './document';
import { DIALECT_MODULES } from './dialects/tables';
import { anchorsPerLevel } from './dialects/anchorHeads';
import type { Dialect } from './dialect';
import { MAX_REPEATS, moduleInfo, num, type BuildContext } from './modules';
import { makeDivisible, pythonRound, type ScaleChoice } from './scale';

/** Channel counts above this are treated as typos: reported and capped, never built. */
const MAX_CHANNELS = 65536;
/**
 * Inner layers built per model at most; absurd repeat counts stop there instead of allocating.
 * The deepest upstream file (yolov9-c-dseg.yaml) has about 1,100; 20,000 took 1.3 s to lint,
 * graph and estimate, over 10 s on a loaded 2-core machine.
 */
const MAX_LAYERS = 10000;
/** Total stride above which the input size (twice the stride) stops growing: real models stop at 64. */
const MAX_STRIDE = 1024;

export interface Expansion {
  layers: Layer[];
  nodes: GraphNode[];
  outputs: string[];
  rows: RowInfo[];
  params: number;
  inputShape: number[];
  problems: Problem[];
  notes: string[];
  /** Rows whose module is unknown (built as identity) and their distinct module names. */
  unknownRows: { rows: number[]; modules: string[] };
}

/** Output channels as parse_model records them (a list for CBLinear's tuple). */
type Channels = number | number[];
type RowOutput = Tensor | Tensor[];

const PYTHON_LITERALS: Record<string, Value> = { None: null, True: true, False: false };
const HEADS_WITH_LEGACY = new Set(['Detect', 'Segment', 'Pose', 'OBB', 'YOLOEDetect', 'YOLOESegment', 'Segment26', 'YOLOESegment26', 'Pose26', 'OBB26']);
const SEGMENT_HEADS = new Set(['Segment', 'YOLOESegment', 'Segment26', 'YOLOESegment26']);

const settingNumber = (doc: ModelDocument, key: string, fallback: number): number => {
  const v = doc.settings[key]?.value;
  return typeof v === 'number' ? v : fallback;
};

const sumChannels = (c: Channels): number => (Array.isArray(c) ? c.reduce((s, v) => s + v, 0) : c);
const first = (out: RowOutput): Tensor => (Array.isArray(out) ? out[0] : out);

export function expandModel(doc: ModelDocument, text: string, scale: ScaleChoice, dialect: Dialect = 'ultralytics', project?: ProjectModules): Expansion {
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const notes: string[] = [];
  const reported = new Set<string>();
  const report = (message: string, range: Range, severity: Problem['severity'] = 'error'): void => {
    const key = `${range.start}:${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ message, range, severity });
  };

  const activation = readActivation(doc, report);
  const classification = doc.rows.some((r) => r.module?.value === 'Classify');
  const b = new GraphBuilder({ defaultAct: activation.spec, defaultActSource: activation.source, classification });

  const ncSetting = doc.settings.nc?.value;
  const locals: Record<string, Value> = {
    // Without `nc:` parse_model would pass None and fail; gradlint reports it and reads 80 classes.
    nc: typeof ncSetting === 'number' ? Math.min(ncSetting, MAX_CHANNELS) : 80,
    kpt_shape: doc.settings.kpt_shape?.value ?? null,
    reg_max: settingNumber(doc, 'reg_max', 16),
    end2end: doc.settings.end2end?.value === true,
    depth: scale.depth,
    width: scale.width,
    max_channels: scale.maxChannels,
    scale: scale.letter ?? null,
    anchors: doc.settings.anchors?.value ?? null,
  };
  // The repositories scale every base module's channels but the head's input width:
  // Ultralytics skips c2 == nc, YOLOv5/v7/v9 skip c2 == no = anchors·(nc + 5).
  const unscaledChannels = dialect === 'ultralytics' ? (locals.nc as number) : anchorsPerLevel(locals.anchors) * ((locals.nc as number) + 5);
  const channelMultiple = dialect === 'ultralytics' ? 8 : settingNumber(doc, 'channel_multiple', 8);
  const table = DIALECT_MODULES[dialect];
  const regMax = locals.reg_max as number;
  const end2end = locals.end2end as boolean;
  const inputChannels = Math.max(1, Math.floor(settingNumber(doc, 'channels', 3)));

  const input: Tensor = { node: 'input', channels: inputChannels, stride: 1 };
  const ch: Channels[] = [];
  const outs: RowOutput[] = [];
  const rows: RowInfo[] = [];
  const unknownRows: number[] = [];
  const unknownModules = new Set<string>();
  let firstUnknown: Range | undefined;
  let legacy = true;
  let c2: Channels = inputChannels;
  let total = 0;

  for (const raw of doc.rows) {
    const i = raw.index;
    const line = lines.lineOf(raw.range.start);
    b.startRow({ row: i, line, range: raw.range });
    const moduleName = typeof raw.module?.value === 'string' ? raw.module.value : '';
    const info: RowInfo = {
      index: i,
      module: moduleName,
      from: [],
      repeats: 1,
      args: [],
      channels: 0,
      params: 0,
      line,
      range: raw.range,
      argRanges: raw.args.map((a) => a.range),
      moduleRange: raw.module?.range ?? raw.range,
    };
    const previous: Tensor = i === 0 ? input : first(outs[i - 1]);
    const prevChannels = i === 0 ? inputChannels : ch[i - 1];
    const keepPrevious = (why: string): void => {
      report(why, raw.range);
      outs.push(previous);
      ch.push(prevChannels);
      info.from = [i - 1];
      info.channels = sumChannels(prevChannels);
      rows.push(info);
    };

    const shapeError = rowShapeError(raw);
    if (shapeError) {
      keepPrevious(`Row ${i}: ${shapeError}`);
      continue;
    }

    // from: relative (negative), absolute, or a list; only earlier rows can be read.
    const fromValues = Array.isArray(raw.from!.value) ? raw.from!.value : [raw.from!.value];
    const from: number[] = [];
    for (const f of fromValues) {
      const target = typeof f === 'number' && f < 0 ? i + f : (f as number);
      if (f === -1 && i === 0) from.push(-1);
      else if (target < 0) report(`Row ${i}: \`from\` ${f} points before the first row.`, raw.from!.range);
      else if (target >= i) report(`Row ${i}: \`from\` ${f} points at row ${target}, which is not built yet (rows can only read earlier rows).`, raw.from!.range);
      else from.push(target);
    }
    if (from.length === 0) {
      keepPrevious(`Row ${i}: no usable \`from\`; the row is read as identity.`);
      continue;
    }
    info.from = from;
    const chOf = (f: number): Channels => (f === -1 ? inputChannels : ch[f]);
    const outOf = (f: number): RowOutput => (f === -1 ? input : outs[f]);

    // Arguments: variable names (nc, kpt_shape...) and Python literals, as parse_model resolves strings.
    for (const a of raw.args) {
      if (a.value === 'nc' && typeof ncSetting !== 'number') report(`Row ${i}: \`nc\` is used but the file sets no \`nc:\`; analysed with 80 classes.`, a.range, 'warning');
    }
    let args: Value[] = raw.args.map((a, j) => capArgument(resolveString(a.value, locals), raw.args[j], i, report));

    let n = typeof raw.repeats!.value === 'number' ? raw.repeats!.value : 1;
    n = n > 1 ? Math.max(pythonRound(n * scale.depth), 1) : n;
    if (n > MAX_REPEATS) {
      report(`Row ${i}: ${n} repeats is not a plausible model; analysed with ${MAX_REPEATS}.`, raw.repeats!.range, 'warning');
      n = MAX_REPEATS;
    }
    n = Math.max(1, Math.floor(n));
    info.repeats = n;

    // A name no dialect knows may be a class of the project's own Python.
    const custom = moduleInfo(moduleName, args, table) ? undefined : project && projectModuleInfo(project, moduleName);
    const module = moduleInfo(moduleName, args, table) ?? custom;
    const f0 = from[0];
    const c1 = sumChannels(chOf(f0));
    const ctx: BuildContext = {
      nc: typeof args[0] === 'number' ? (args[0] as number) : (locals.nc as number),
      regMax,
      end2end,
      legacy,
      cap: (value, limit, what) => {
        if (value <= limit) return value;
        report(`Row ${i}: ${what} ${value} is not plausible; analysed with ${limit}.`, raw.range, 'warning');
        return limit;
      },
    };

    if (!module) {
      unknownRows.push(i);
      unknownModules.add(moduleName);
      firstUnknown ??= info.moduleRange;
      c2 = chOf(f0);
      const y = b.opaque(String(i), from.map((f) => first(outOf(f))), moduleName, undefined, `Unknown module ${moduleName}; treated as identity.`, sumChannels(c2));
      outs.push(y);
      ch.push(c2);
      info.channels = sumChannels(c2);
      info.args = args;
      rows.push(info);
      continue;
    }

    if (module.modern) legacy = false;
    if (moduleName === 'CBLinear' && !(Array.isArray(args[0]) && args[0].some((v) => typeof v === 'number' && v > 0))) {
      // parse_model sums this list (sum(c2s)): a single number fails there too.
      keepPrevious(`Row ${i}: CBLinear needs a list of output channels as its first argument (e.g. [64, 128]).`);
      continue;
    }
    switch (module.category) {
      case 'base': {
        if (typeof args[0] !== 'number') {
          keepPrevious(`Row ${i}: ${moduleName} needs the output channels as its first argument.`);
          continue;
        }
        let out = args[0] as number;
        if (out !== unscaledChannels) out = ctx.cap(makeDivisible(Math.min(out, scale.maxChannels) * scale.width, channelMultiple), MAX_CHANNELS, 'scaled channel count');
        if (moduleName === 'C2fAttn') {
          args[1] = makeDivisible(Math.min(num(args, 1, 128), Math.floor(scale.maxChannels / 2)) * scale.width, 8);
          const heads = num(args, 2, 1);
          args[2] = heads > 1 ? Math.trunc(Math.max(pythonRound(Math.min(heads, Math.floor(Math.floor(scale.maxChannels / 2) / 32))) * scale.width, 1)) : heads;
        }
        c2 = out;
        args = [c1, out, ...args.slice(1)];
        if (module.repeat) {
          args.splice(2, 0, n);
          n = 1;
        }
        if (moduleName === 'C3k2' && scale.letter && 'mlx'.includes(scale.letter)) args[3] = true;
        if (moduleName === 'A2C2f' && scale.letter && 'lx'.includes(scale.letter)) args.push(true, 1.2);
        break;
      }
      case 'concat':
        c2 = from.reduce((s, f) => s + sumChannels(chOf(f)), 0);
        break;
      case 'head':
        args.push(regMax, end2end, from.map((f) => sumChannels(chOf(f))));
        if (SEGMENT_HEADS.has(moduleName)) args[2] = makeDivisible(Math.min(num(args, 2, 256), scale.maxChannels) * scale.width, 8);
        if (HEADS_WITH_LEGACY.has(moduleName)) ctx.legacy = legacy;
        break;
      case 'listHead': {
        args.push(from.map((f) => sumChannels(chOf(f))));
        if (module.anchorsArg && typeof args[1] === 'number') args[1] = from.map(() => Array.from({ length: Math.min(args[1] as number, MAX_REPEATS) * 2 }, (_, k) => k));
        const scaled = module.widthScaledArg;
        if (scaled !== undefined) args[scaled] = ctx.cap(makeDivisible(num(args, scaled, 256) * scale.width, channelMultiple), MAX_CHANNELS, 'scaled channel count');
        break;
      }
      case 'passthrough':
        c2 = module.outChannels ? module.outChannels(c1, args) : chOf(f0);
        break;
      case 'special':
        ({ args, c2, n } = specialArguments(moduleName, args, c1, chOf, from, n, c2));
        break;
    }

    info.args = args;
    info.channels = sumChannels(c2);
    let y = buildRow(b, module.build, String(i), moduleName, from, outOf, chOf, args, ctx, n, raw, report);
    if (!Array.isArray(y)) y = { ...y, channels: sumChannels(c2) };
    if (custom) {
      info.definedAt = { file: custom.location.file, line: custom.location.line };
      if (custom.unread()) {
        unknownRows.push(i);
        unknownModules.add(moduleName);
        firstUnknown ??= info.moduleRange;
      }
    }
    outs.push(y);
    ch.push(c2);
    info.params = b.rowParams;
    total += b.rowParams;
    rows.push(info);
  }

  // Unknown modules are said once per file, with their count and where they were looked for, at the first of them.
  const search = firstUnknown && project ? project.search([...unknownModules]) : undefined;
  if (firstUnknown) {
    const names = [...unknownModules].join(', ');
    const where = search ? ` ${describeSearch(search, [...unknownModules])}` : '';
    report(`${unknownRows.length} of ${rows.length} rows unknown (${names}): the estimate treats them as identity.${where}`, firstUnknown, 'info');
  }

  const strides = [input, ...outs.flatMap((o) => (Array.isArray(o) ? o : [o]))].map((t) => t.stride);
  const maxStride = Math.max(...strides.filter((s) => Number.isFinite(s)));
  if (maxStride > MAX_STRIDE) {
    const at = rows.find((r) => outs[r.index] && [outs[r.index]].flat().some((t) => t.stride > MAX_STRIDE));
    report(`The total stride reaches ${maxStride}, far beyond any real model (64); analysed with a ${2 * MAX_STRIDE}-pixel input.`, at?.range ?? doc.backboneKey, 'warning');
  }
  const size = Math.max(64, 2 * Math.min(maxStride, MAX_STRIDE));
  const inputLayer: Layer = {
    id: 'input',
    name: 'input',
    kind: 'input',
    config: { batchInputShape: [null, size, size, inputChannels], dtype: 'float32' },
    unknown: {},
    line: 1,
    range: { start: 0, end: 0 },
    props: {},
  };
  const last = outs[outs.length - 1];
  const outputs = last === undefined ? ['input'] : (Array.isArray(last) ? last : [last]).map((t) => t.node);
  if (activation.note) notes.push(activation.note);
  return {
    layers: [inputLayer, ...b.layers],
    nodes: [{ id: 'input', layer: 'input', inputs: [] }, ...b.nodes],
    outputs,
    rows,
    params: total,
    inputShape: [size, size, inputChannels],
    problems,
    notes,
    unknownRows: { rows: unknownRows, modules: [...unknownModules], ...(search ? { found: search.found, searched: search.searched } : {}) },
  };
}

/** Where the unknown modules were looked for in the project's Python, and what was found, for the info message. */
function describeSearch(search: ModuleSearch, modules: string[]): string {
  const shown = (file: string): string => path.relative(search.from, file).split(path.sep).join('/');
  const MAX_SHOWN = 4;
  const files = search.searched.slice(0, MAX_SHOWN).map(shown).join(', ') + (search.searched.length > MAX_SHOWN ? `, and ${search.searched.length - MAX_SHOWN} more` : '');
  const found = search.found.map((f) => `${f.module} is a class of the project (${shown(f.file)}:${f.line}) that gradlint could not read into layers.`);
  const missing = modules.filter((m) => !search.found.some((f) => f.module === m));
  if (missing.length === 0) return found.join(' ');
  const places =
    search.searched.length > 0
      ? `the project's module files (${files})`
      : `the project: none of its conventional module files (${CONVENTIONAL_FILES.slice(0, 3).join(', ')}, …) is in this folder or the ${LEVELS_UP} above it`;
  return [...found, `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not defined in ${places}.`].join(' ');
}

function readActivation(doc: ModelDocument, report: (m: string, r: Range, s?: Problem['severity']) => void): { spec: ActivationSpec; source?: { range: Range; value: Range }; note?: string } {
  const setting = doc.settings.activation;
  if (!setting || setting.value === null || setting.value === false || setting.value === '') return { spec: SILU };
  if (typeof setting.value !== 'string') {
    report('`activation:` must be a Python expression such as nn.SiLU().', setting.range);
    return { spec: SILU };
  }
  const parsed = parseActivation(setting.value);
  if (!parsed.ok) {
    report(parsed.message, setting.range, 'warning');
    return { spec: SILU, note: parsed.message };
  }
  return { spec: parsed.spec, source: { range: setting.range, value: setting.range } };
}

function rowShapeError(raw: RawRow): string | undefined {
  if (raw.itemCount !== 4 || !raw.from || !raw.repeats || !raw.module) return 'a row must be a list [from, repeats, module, args]; it is read as identity.';
  const f = raw.from.value;
  const isInt = (v: Value): boolean => typeof v === 'number' && Number.isInteger(v);
  if (!(isInt(f) || (Array.isArray(f) && f.length > 0 && f.every(isInt)))) return '`from` must be an integer or a list of integers; the row is read as identity.';
  const r = raw.repeats.value;
  if (!isInt(r) || (r as number) < 1) return '`repeats` must be a positive integer; the row is read as identity.';
  if (typeof raw.module.value !== 'string' || raw.module.value === '') return 'the module must be a name such as Conv; the row is read as identity.';
  return undefined;
}

/** parse_model's string handling: locals by name, else ast.literal_eval, else the string itself. */
function resolveString(value: Value, locals: Record<string, Value>): Value {
  if (typeof value !== 'string') return value;
  if (Object.prototype.hasOwnProperty.call(locals, value)) return locals[value];
  if (Object.prototype.hasOwnProperty.call(PYTHON_LITERALS, value)) return PYTHON_LITERALS[value];
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? number : value;
}

function capArgument(value: Value, where: Located<Value>, row: number, report: (m: string, r: Range, s?: Problem['severity']) => void): Value {
  if (typeof value !== 'number' || value <= MAX_CHANNELS) return value;
  report(`Row ${row}: ${value} is not a plausible size; analysed with ${MAX_CHANNELS}.`, where.range, 'warning');
  return MAX_CHANNELS;
}

/** Argument and channel rewriting of parse_model's named branches. */
function specialArguments(name: string, args: Value[], c1: number, chOf: (f: number) => Channels, from: number[], n: number, previous: Channels): { args: Value[]; c2: Channels; n: number } {
  switch (name) {
    case 'HGStem':
    case 'HGBlock': {
      const rewritten: Value[] = [c1, ...args];
      if (name === 'HGBlock') rewritten.splice(4, 0, n);
      return { args: rewritten, c2: num(args, 1, c1), n: name === 'HGBlock' ? 1 : n };
    }
    case 'ResNetLayer':
      return { args, c2: args[3] ? num(args, 1, c1) : num(args, 1, c1) * 4, n };
    case 'CBLinear': {
      const sizes = Array.isArray(args[0]) ? (args[0] as Value[]).filter((v): v is number => typeof v === 'number') : [];
      return { args: [c1, sizes, ...args.slice(1)], c2: sizes, n };
    }
    case 'CBFuse':
      return { args, c2: chOf(from[from.length - 1]), n };
    case 'TorchVision':
      return { args: args.slice(1), c2: num(args, 0, c1), n };
    case 'AIFI':
      return { args: [c1, ...args], c2: previous, n };
    case 'nn.BatchNorm2d':
      return { args: [c1], c2: previous, n };
    case 'v10Detect':
    case 'Depth':
    case 'SemanticSegment':
      return { args: [...args, from.map((f) => sumChannels(chOf(f)))], c2: previous, n };
    case 'ImagePoolingAttn':
    case 'RTDETRDecoder': {
      const rewritten = [...args];
      rewritten.splice(1, 0, from.map((f) => sumChannels(chOf(f))));
      return { args: rewritten, c2: previous, n };
    }
    default:
      return { args, c2: previous, n };
  }
}

/** Builds one row: the module once, or n stacked copies (nn.Sequential) for non-repeat modules. */
function buildRow(
  b: GraphBuilder,
  build: (b: GraphBuilder, name: string, xs: Tensor[], args: Value[], ctx: BuildContext) => RowOutput,
  name: string,
  moduleName: string,
  from: number[],
  outOf: (f: number) => RowOutput,
  chOf: (f: number) => Channels,
  args: Value[],
  ctx: BuildContext,
  n: number,
  raw: RawRow,
  report: (m: string, r: Range, s?: Problem['severity']) => void,
): RowOutput {
  // Inputs carry parse_model's channel bookkeeping (c1 = ch[f]); CBFuse picks tuple items by index.
  const xs: Tensor[] = from.map((f, k) => {
    const out = outOf(f);
    const c = chOf(f);
    if (Array.isArray(out)) {
      const asked = moduleName === 'CBFuse' && Array.isArray(args[0]) ? num(args[0] as Value[], k, 0) : 0;
      // Python's indexing: an integer, negative from the end; anything else reads the last output.
      const idx = Number.isInteger(asked) && asked < out.length && asked >= -out.length ? (asked + out.length) % out.length : out.length - 1;
      if (idx !== asked && idx - out.length !== asked) report(`Row ${raw.index}: index ${asked} is not one of the ${out.length} outputs of row ${f}.`, raw.range);
      const t = out[idx];
      return Array.isArray(c) ? { ...t, channels: c[Math.min(idx, c.length - 1)] ?? t.channels } : t;
    }
    return { ...out, channels: sumChannels(c) };
  });
  // Past MAX_LAYERS no more copies or rows are built (said once, at the row where it happens).
  const copies = Math.max(1, n);
  let x = xs;
  let y: RowOutput = xs[0];
  for (let k = 0; k < copies; k++) {
    if (b.layers.length > MAX_LAYERS) {
      if (!b.truncated) {
        const what = k === 0 ? 'this row and the rows after it are' : `copies after the first ${k} of this row, and the rows after it, are`;
        report(`Row ${raw.index}: the model has more than ${MAX_LAYERS} inner layers, far beyond any real model; ${what} not analysed.`, raw.range, 'warning');
      }
      b.truncated = true;
      break;
    }
    y = build(b, copies > 1 ? `${name}.${k}` : name, x, args, ctx);
    x = [first(y)];
  }
  return y;
}
