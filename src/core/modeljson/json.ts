// A thin view over jsonc-parser's position-keeping tree: keys are matched whether a file
// spells them snake_case (Keras, tfjs's own model.save) or camelCase, and values are
// converted the way tfjs's model loader converts them (convertPythonicToTs).

import { getNodeValue, type Node } from 'jsonc-parser';
import type { Range, Value } from '../graph';

/** tfjs's toCamelCase: `fan_avg` → `fanAvg`, `Conv2D` unchanged. */
export function camelCase(identifier: string): string {
  return identifier.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

export const rangeOf = (node: Node): Range => ({ start: node.offset, end: node.offset + node.length });

export const isObject = (node: Node | undefined): node is Node => node?.type === 'object';
export const isArray = (node: Node | undefined): node is Node => node?.type === 'array';

/** The property nodes of an object node (`[key, value]` children each). */
export function properties(node: Node | undefined): Node[] {
  if (!isObject(node)) return [];
  return (node.children ?? []).filter((p) => p.children?.length === 2);
}

/** The property whose key, camel-cased, is `camelKey`. */
export function property(node: Node | undefined, camelKey: string): Node | undefined {
  return properties(node).find((p) => camelCase(String(p.children![0].value)) === camelKey);
}

/** The value node of that property. */
export function member(node: Node | undefined, camelKey: string): Node | undefined {
  return property(node, camelKey)?.children?.[1];
}

/** A string member's value, or undefined. */
export function stringMember(node: Node | undefined, camelKey: string): string | undefined {
  const value = member(node, camelKey);
  return value?.type === 'string' ? (value.value as string) : undefined;
}

export const elements = (node: Node | undefined): Node[] => (isArray(node) ? (node.children ?? []) : []);

/**
 * The value as tfjs's loader sees it: keys and strings camel-cased, except the values of
 * `name` keys (layer and model names stay as written).
 */
export function tfjsValue(node: Node, key?: string): Value {
  switch (node.type) {
    case 'string':
      return key === 'name' ? (node.value as string) : camelCase(node.value as string);
    case 'array':
      return elements(node).map((item) => tfjsValue(item, key));
    case 'object': {
      const result: Record<string, Value> = {};
      for (const p of properties(node)) {
        const camel = camelCase(String(p.children![0].value));
        result[camel] = tfjsValue(p.children![1], camel);
      }
      return result;
    }
    default:
      return getNodeValue(node) as Value;
  }
}
