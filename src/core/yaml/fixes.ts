// Fixes on Ultralytics model YAML, computed as text edits on the ranges the YAML parser
// reports (never by searching the text): everything else in the file stays byte for byte.

import type { TextEdit } from '../diagnostic';
import { readModelDocument, type ModelDocument, type RawRow } from './document';
import { LineIndex } from '../text';

/**
 * Where each module's shortcut argument sits in the YAML args (as written, before
 * parse_model inserts c1 and n) and the defaults of the positions before it.
 */
interface ShortcutArgument {
  at: number;
  /** Python literal defaults of optional positions before `at`; positions absent here are required. */
  defaults: Record<number, string>;
}

export const SHORTCUT_ARGUMENTS: Record<string, ShortcutArgument> = {
  Bottleneck: { at: 1, defaults: {} },
  C2: { at: 1, defaults: {} },
  C3: { at: 1, defaults: {} },
  C2f: { at: 1, defaults: {} },
  C2fCIB: { at: 1, defaults: {} },
  // C3k2(c2, c3k=False, e=0.5, attn=False, g=1, shortcut=True)
  C3k2: { at: 5, defaults: { 1: 'False', 2: '0.5', 3: 'False', 4: '1' } },
  // SPPF(c2, k=5, n=3, shortcut=False)
  SPPF: { at: 3, defaults: { 1: '5', 2: '3' } },
  // HGBlock(cm, c2, k=3, lightconv=False, shortcut=False)
  HGBlock: { at: 4, defaults: { 2: '3', 3: 'False' } },
};

/**
 * The last text read and its document: a rule asks about every row of one file in turn, and
 * parsing the file once per row made linting quadratic in its rows (500 rows: 35 s).
 */
let lastRead: { text: string; doc: ModelDocument | undefined } | undefined;

function load(text: string): ModelDocument | undefined {
  if (lastRead?.text !== text) lastRead = { text, doc: readModelDocument(text).document };
  return lastRead.doc;
}

function rowAt(doc: ModelDocument | undefined, row: number): RawRow | undefined {
  return doc?.rows.find((r) => r.index === row);
}

/** Replaces the `activation:` expression, or adds the setting on the line before `backbone:`. */
export function setActivationSetting(text: string, expression: string): TextEdit[] | undefined {
  const doc = load(text);
  if (!doc) return undefined;
  const written = doc.settings.activation;
  if (written) return [{ range: written.range, newText: expression }];
  const lines = new LineIndex(text);
  const lineStart = lines.lineStart(lines.positionAt(doc.backboneKey.start).line);
  return [{ range: { start: lineStart, end: lineStart }, newText: `activation: ${expression}\n` }];
}

/**
 * Turns a row's shortcut argument on: replaces it where written, else appends it after
 * the last argument with the defaults of the positions in between (an explicit True even
 * where it is the default, so the file says what the model does).
 */
export function enableShortcut(text: string, row: number): TextEdit[] | undefined {
  const raw = rowAt(load(text), row);
  const module = typeof raw?.module?.value === 'string' ? raw.module.value : undefined;
  const shortcut = module !== undefined && Object.prototype.hasOwnProperty.call(SHORTCUT_ARGUMENTS, module) ? SHORTCUT_ARGUMENTS[module] : undefined;
  if (!raw || !shortcut) return undefined;
  const written = raw.args[shortcut.at];
  if (written) return written.value === true ? undefined : [{ range: written.range, newText: 'True' }];
  if (!raw.argsFlow || raw.args.length === 0) return undefined;
  const missing: string[] = [];
  for (let i = raw.args.length; i < shortcut.at; i++) {
    const fallback = shortcut.defaults[i];
    if (fallback === undefined) return undefined;
    missing.push(fallback);
  }
  const end = raw.args[raw.args.length - 1].range.end;
  return [{ range: { start: end, end }, newText: `, ${[...missing, 'True'].join(', ')}` }];
}

/** Replaces a row's module name. */
export function replaceModule(text: string, row: number, module: string): TextEdit[] | undefined {
  const raw = rowAt(load(text), row);
  return raw?.module ? [{ range: raw.module.range, newText: module }] : undefined;
}

/**
 * A bare `nn.Conv2d` row as an Ultralytics `Conv` (convolution, batch norm, SiLU): the module
 * name replaced and the input-channel argument removed, since `Conv` takes it from `from`.
 * nn.Conv2d(c1, c2, k, s, p) and Conv(c1, c2, k, s, p) agree up to the padding; beyond it
 * (dilation before groups, bias) they differ, so longer rows are left alone.
 */
export function torchConvAsConv(text: string, row: number): TextEdit[] | undefined {
  const raw = rowAt(load(text), row);
  const module = raw?.module?.value;
  if (!raw?.module || (module !== 'nn.Conv2d' && module !== 'torch.nn.Conv2d')) return undefined;
  if (raw.args.length < 2 || raw.args.length > 5) return undefined;
  return [
    { range: raw.module.range, newText: 'Conv' },
    { range: { start: raw.args[0].range.start, end: raw.args[1].range.start }, newText: '' },
  ];
}
