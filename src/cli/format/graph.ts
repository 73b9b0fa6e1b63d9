// What `gradlint graph` prints: every model of a file with its layers in topological
// order, as JSON in the probe contract's shape (`{file, models: [{name, line, layers}]}`,
// layer entries carrying the resolved configuration) or as a compact aligned table.
// YOLO YAML models are listed per row (`0 Conv`), their inner layers with `detail`.

import type { ExtractResult, Layer, ModelGraph, RowInfo, Value } from '../../core/graph';
import { alignColumns, printable } from '../../core/text';

export interface GraphLayerJson {
  [key: string]: Value | GraphLayerJson | GraphLayerJson[] | GraphModelJson | undefined;
  name: string;
  kind: string;
  line: number;
  row: number | null;
}

export interface GraphModelJson {
  name: string;
  line: number;
  source: ModelGraph['source'];
  inputShape?: (number | null)[];
  params?: number;
  notes?: string[];
  layers: GraphLayerJson[];
}

export interface GraphFileJson {
  file: string;
  models: GraphModelJson[];
}

/** One listed layer: its first application, what feeds it there and how often it is applied. */
interface Listed {
  layer: Layer;
  inputs: string[];
  calls: number;
}

/**
 * Layers in topological order (by first application), with what feeds each: layer names,
 * `name (call 2)` for a later call of a shared layer, `name[1]` for a second output.
 */
function listLayers(model: ModelGraph): Listed[] {
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const listed = new Map<string, Listed>();
  const shownAs = new Map<string, string>();
  for (const node of model.nodes) {
    const layer = layers.get(node.layer);
    if (!layer) continue;
    const entry = listed.get(node.layer);
    // Output-index nodes of one call are not calls of their own.
    if (entry && node.outputIndex === undefined) entry.calls += 1;
    const calls = entry?.calls ?? 1;
    const call = calls > 1 ? `${layer.name} (call ${calls})` : layer.name;
    shownAs.set(node.id, node.outputIndex === undefined ? call : `${call}[${node.outputIndex}]`);
    if (!entry) listed.set(node.layer, { layer, inputs: node.inputs.map((id) => shownAs.get(id) ?? id), calls: 1 });
  }
  return [...listed.values()];
}

function layerJson(listed: Listed | Layer, detail: boolean): GraphLayerJson {
  const layer = 'layer' in listed ? listed.layer : listed;
  const { name: _name, ...config } = layer.config;
  const entry: GraphLayerJson = { name: layer.name, kind: layer.kind, line: layer.line, row: layer.row ?? null, ...config, unknown: layer.unknown };
  if ('layer' in listed) {
    entry.inputs = listed.inputs;
    if (listed.calls > 1) entry.calls = listed.calls;
  }
  if (layer.note) entry.note = layer.note;
  if (layer.wrapped) entry.wrapped = layerJson(layer.wrapped, detail);
  if (layer.model) entry.model = modelJson(layer.model, detail);
  return entry;
}

/** A YOLO model's listed layers by row, grouped once (per row, a 1,500-row file rescanned 15,000 layers). */
function layersByRow(model: ModelGraph): Map<number | undefined, Listed[]> {
  const byRow = new Map<number | undefined, Listed[]>();
  for (const l of listLayers(model)) {
    const row = byRow.get(l.layer.row);
    if (row) row.push(l);
    else byRow.set(l.layer.row, [l]);
  }
  return byRow;
}

function rowJson(row: RowInfo, inner: Listed[], detail: boolean): GraphLayerJson {
  const entry: GraphLayerJson = {
    name: `${row.index} ${row.module}`,
    kind: row.module,
    line: row.line,
    row: row.index,
    params: row.params,
    from: row.from,
    repeats: row.repeats,
    args: row.args,
    channels: row.channels,
  };
  if (detail) entry.layers = inner.map((l) => layerJson(l, detail));
  return entry;
}

export function modelJson(model: ModelGraph, detail: boolean): GraphModelJson {
  const json: GraphModelJson = { name: model.name, line: model.line, source: model.source, layers: [] };
  if (model.inputShape) json.inputShape = model.inputShape;
  if (model.params !== undefined) json.params = model.params;
  if (model.notes?.length) json.notes = model.notes;
  if (model.rows) {
    const byRow = layersByRow(model);
    json.layers = model.rows.map((r) => rowJson(r, byRow.get(r.index) ?? [], detail));
  } else json.layers = listLayers(model).map((l) => layerJson(l, detail));
  return json;
}

export function graphJson(result: ExtractResult, displayName: string, detail: boolean): GraphFileJson {
  return { file: displayName, models: result.models.map((m) => modelJson(m, detail)) };
}

// ---- text ----

/** Four significant digits are plenty to read a configuration (JSON keeps every digit). */
const short = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);
const show = (v: Value | undefined): string =>
  v === undefined ? '' : typeof v === 'string' ? v : (JSON.stringify(v, short) ?? '').replace(/,/g, ', ');

/** `glorotNormal`, or with its arguments: `varianceScaling(scale 2, mode fanIn)`. */
function initializerText(v: Value): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof v.name !== 'string') return show(v);
  const args = Object.entries(v).filter(([k]) => k !== 'name');
  return args.length ? `${v.name}(${args.map(([k, a]) => `${k} ${show(a)}`).join(', ')})` : v.name;
}

/** Initialisers of weights that are not biases or normalisation statistics are always shown. */
const SECONDARY_INITIALIZERS: Record<string, string> = {
  biasInitializer: 'zeros',
  betaInitializer: 'zeros',
  gammaInitializer: 'ones',
  movingMeanInitializer: 'zeros',
  movingVarianceInitializer: 'ones',
};

function initializersText(config: Record<string, Value>): string {
  return Object.entries(config)
    .filter(([key, v]) => key.endsWith('Initializer') && !(key in SECONDARY_INITIALIZERS && initializerText(v) === SECONDARY_INITIALIZERS[key]))
    .map(([key, v]) => `${key.replace(/Initializer$/, '')} ${initializerText(v)}`)
    .join(', ');
}

function activationText(config: Record<string, Value>): string {
  const recurrent = config.recurrentActivation === undefined ? '' : `, recurrent ${show(config.recurrentActivation)}`;
  return config.activation === undefined ? recurrent.slice(2) : `${show(config.activation)}${recurrent}`;
}

function sizeText(layer: Layer): string {
  for (const key of ['units', 'filters', 'outputDim']) {
    if (layer.config[key] !== undefined) return show(layer.config[key]);
    if (layer.unknown[key] !== undefined) return '?';
  }
  return '';
}

function notesText(listed: Listed, previous: string | undefined): string {
  const { layer } = listed;
  const notes: string[] = [];
  if (layer.kind === 'input') {
    const shape = layer.config.batchInputShape ?? layer.config.batchShape ?? layer.config.shape ?? layer.config.inputShape;
    if (shape !== undefined) notes.push(`shape ${show(shape)}`);
  }
  const chained = listed.inputs.length === 1 && listed.inputs[0] === previous;
  if (listed.inputs.length > 0 && !chained) notes.push(`from ${listed.inputs.join(', ')}`);
  if (listed.calls > 1) notes.push(`shared, applied ${listed.calls} times`);
  if (layer.wrapped) {
    const inner = layer.wrapped;
    notes.push(`wraps ${inner.kind}(${[sizeText(inner), activationText(inner.config), initializersText(inner.config)].filter(Boolean).join('; ')})`);
  }
  if (layer.model) notes.push(`nested model ${layer.model.name}, listed below`);
  for (const [key, why] of Object.entries(layer.unknown)) notes.push(`unknown ${key}: ${why}`);
  if (layer.note) notes.push(layer.note);
  return notes.join('; ');
}

/** Aligned columns; the columns listed in `right` are right-aligned (numbers). */
function table(rows: string[][], right: Set<number>, indent: string): string[] {
  return alignColumns(rows, (c) => right.has(c)).map((line) => indent + line);
}

const LAYER_HEAD = ['line', 'layer', 'kind', 'size', 'activation', 'initializers', 'notes'];

/** Table rows for layers; `withLine` false for a YAML row's inner layers (the row gives the line). */
function layerRows(listed: Listed[], withLine = true): string[][] {
  return listed.map((l, i) => [
    ...(withLine ? [String(l.layer.line)] : []),
    l.layer.name,
    l.layer.kind,
    sizeText(l.layer),
    activationText(l.layer.config),
    initializersText(l.layer.config),
    notesText(l, i > 0 ? listed[i - 1].layer.name : undefined),
  ]);
}

function modelHeading(model: ModelGraph, count: string): string {
  const facts = [count];
  if (model.inputShape) facts.push(`input ${show(model.inputShape)}`);
  if (model.params !== undefined) facts.push(`${model.params.toLocaleString('en-US')} params`);
  return `${model.name} (line ${model.line}): ${facts.join(', ')}`;
}

function modelText(model: ModelGraph, detail: boolean, indent: string): string[] {
  const lines: string[] = [];
  if (model.rows) {
    lines.push(indent + modelHeading(model, `${model.rows.length} rows`));
    const byRow = layersByRow(model);
    const head = ['row', 'from', 'n', 'module', 'args', 'params', 'line'];
    const rows = model.rows.map((r) => [String(r.index), show(r.from), String(r.repeats), r.module, show(r.args), r.params.toLocaleString('en-US'), String(r.line)]);
    const formatted = table([head, ...rows], new Set([0, 2, 5, 6]), indent + '  ');
    lines.push(formatted[0]);
    model.rows.forEach((r, i) => {
      lines.push(formatted[i + 1]);
      const inner = byRow.get(r.index) ?? [];
      if (detail && inner.length) lines.push(...table(layerRows(inner, false), new Set([2]), indent + '        '));
    });
  } else {
    const listed = listLayers(model);
    lines.push(indent + modelHeading(model, `${listed.length} layers`));
    lines.push(...table([LAYER_HEAD, ...layerRows(listed)], new Set([0, 3]), indent + '  '));
    for (const l of listed) if (l.layer.model) lines.push(...modelText(l.layer.model, detail, indent + '    '));
  }
  if (model.notes?.length) lines.push(...model.notes.map((n) => `${indent}  note: ${n}`));
  return lines;
}

export function graphText(result: ExtractResult, displayName: string, detail: boolean): string {
  if (result.models.length === 0) return `${displayName}: no models found\n`;
  return printable([displayName, ...result.models.flatMap((m) => modelText(m, detail, '  '))].join('\n') + '\n');
}
