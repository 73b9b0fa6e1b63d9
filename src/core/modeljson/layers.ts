// One serialised layer (`{class_name, config}`) → a graph Layer with tfjs's defaults.

import type { Node } from 'jsonc-parser';
import type { Layer, ModelGraph, Problem, PropSource, Value } from '../graph';
import { applyLayerDefaults, kindFromClassName } from '../layerDefaults';
import type { LineIndex } from '../text';
import { camelCase, isObject, member, properties, rangeOf, stringMember, tfjsValue } from './json';

/** Class names of whole models, which may also appear as layers of another model. */
export const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** What building one model's layers shares. */
export interface BuildContext {
  index: LineIndex;
  problems: Problem[];
  /** Builds a nested model (a layer whose class is Sequential, Model or Functional). */
  buildModel(node: Node, name: string): ModelGraph | undefined;
}

/** Default names for unnamed layers, counted per kind as Keras does (`dense_1`, `dense_2`). */
export class LayerNamer {
  private readonly counts = new Map<string, number>();

  next(kind: string): string {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return `${kind}_${n}`;
  }
}

export function problemAt(ctx: BuildContext, node: Node, message: string, severity: Problem['severity'] = 'error'): void {
  ctx.problems.push({ message, range: rangeOf(node), severity });
}

/** The layer's name as written: top-level `name` (functional configs) or `config.name`. */
export function writtenName(node: Node): string | undefined {
  return stringMember(node, 'name') ?? stringMember(member(node, 'config'), 'name');
}

/** Keras 3 writes dtype as a policy object; tfjs wants the plain dtype string. */
function plainDtype(value: Value): Value {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const config = value.config;
  const name = config && typeof config === 'object' && !Array.isArray(config) ? config.name : undefined;
  return typeof name === 'string' ? name : value;
}

/** Config keys holding another serialised layer: wrappers' `layer`, rnn's `cell`. */
const INNER_LAYER_KEYS = ['layer', 'cell'];

/**
 * Reads one layer object. Returns undefined (with a problem) when it has no class name.
 * `id` is unique within the model; `namer` gives names to unnamed layers.
 */
export function readLayer(node: Node, id: string | undefined, namer: LayerNamer, ctx: BuildContext): Layer | undefined {
  if (!isObject(node)) {
    problemAt(ctx, node, 'A layer must be an object with class_name and config.');
    return undefined;
  }
  const className = stringMember(node, 'className');
  if (className === undefined) {
    problemAt(ctx, node, 'This layer has no class_name, so gradlint cannot tell what it is.');
    return undefined;
  }
  const configNode = member(node, 'config');
  const modelClass = MODEL_CLASSES.has(className);
  const known = modelClass ? 'model' : kindFromClassName(className);
  const kind = known ?? 'opaque';
  const name = writtenName(node) ?? namer.next(known ?? camelCase(className.toLowerCase()));
  const layer: Layer = {
    id: id ?? name,
    name,
    kind,
    config: {},
    unknown: {},
    line: ctx.index.lineOf(node.offset),
    range: rangeOf(node),
    props: {},
  };
  if (modelClass) {
    layer.model = ctx.buildModel(node, name);
    layer.config = { name };
    return layer;
  }
  if (!known) layer.note = `'${className}' is not a tfjs layer class (a custom or Keras-only layer): its shape and gradient behaviour are unknown`;

  const config: Record<string, Value> = {};
  const props: Record<string, PropSource> = {};
  for (const p of properties(configNode)) {
    const [keyNode, valueNode] = p.children!;
    const key = camelCase(String(keyNode.value));
    props[key] = { range: rangeOf(p), value: rangeOf(valueNode) };
    if (INNER_LAYER_KEYS.includes(key) && isObject(valueNode) && stringMember(valueNode, 'className') !== undefined) {
      layer.wrapped = readLayer(valueNode, `${layer.id}/${key}`, namer, ctx);
      continue;
    }
    const value = tfjsValue(valueNode, key);
    config[key] = key === 'dtype' ? plainDtype(value) : value;
  }
  layer.props = props;
  layer.config = known ? applyLayerDefaults(kind, config, { fromJson: true }) : config;
  return layer;
}
