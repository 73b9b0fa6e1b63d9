// Text edits that change a layer, computed on the syntax tree around its construction
// (`Layer.range`, `Layer.props`, `Layer.configRange`). Each returns undefined when the
// source is not written in a shape the edit understands; callers then offer no fix.

import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { TextEdit } from '../diagnostic';
import type { Layer } from '../graph';
import type { FixSource } from './source';
import { fileKind } from '../modelFiles';
import { pythonInsertBatchNormAfter, pythonRenameLayerFactory, pythonSetLayerConfig } from '../python/fixes';

const isPython = (src: FixSource): boolean => fileKind(src.file) === 'python';

/**
 * Sets configuration properties of a layer: replaces the written value, or adds the
 * property to the configuration object (one edit for all added properties).
 * Values are source code (`'relu'`, `true`).
 */
export function setLayerConfig(src: FixSource, layer: Layer, values: Record<string, string>): TextEdit[] | undefined {
  if (isPython(src)) return pythonSetLayerConfig(src.text, layer, values);
  if (!src.editable) return undefined;
  const edits: TextEdit[] = [];
  const added: string[] = [];
  for (const [key, code] of Object.entries(values)) {
    const written = layer.props[key];
    if (written) edits.push({ range: written.value, newText: code });
    else added.push(`${key}: ${code}`);
  }
  if (!added.length) return edits;
  const range = layer.configRange;
  if (!range) return undefined;
  if (range.start === range.end) {
    // `tf.layers.flatten()`: no object yet.
    return [...edits, { range, newText: `{${added.join(', ')}}` }];
  }
  const object = src.nodeAt(range, AST_NODE_TYPES.ObjectExpression);
  if (!object) return undefined;
  const properties = object.properties;
  if (!properties.length) {
    return [...edits, { range: { start: object.range[0] + 1, end: object.range[0] + 1 }, newText: added.join(', ') }];
  }
  const last = properties[properties.length - 1];
  const multiline = src.text.slice(object.range[0], last.range[0]).includes('\n');
  const separator = multiline ? `,\n${src.indentAt(last.range[0])}` : ', ';
  const at = { start: last.range[1], end: last.range[1] };
  return [...edits, { range: at, newText: separator + added.join(separator) }];
}

/** The `tf.layers.dense(...)` call that constructs a layer. */
function constructionCall(src: FixSource, layer: Layer): TSESTree.CallExpression | undefined {
  return src.editable ? src.nodeAt(layer.range, AST_NODE_TYPES.CallExpression) : undefined;
}

/** `tf.layers` in `tf.layers.dense(...)`, as written; undefined for bare named imports. */
function factoryNamespace(src: FixSource, call: TSESTree.CallExpression): string | undefined {
  return call.callee.type === 'MemberExpression' ? src.slice(call.callee.object) : undefined;
}

/** Skips TypeScript casts and parentheses-free wrappers between a node and its real parent. */
function parentOf(node: TSESTree.Node): TSESTree.Node | undefined {
  let parent = node.parent;
  while (parent && (parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'TSTypeAssertion')) {
    parent = parent.parent;
  }
  return parent;
}

/** `<object>.apply(...)` calls whose object is `node`. */
function applyCallOn(node: TSESTree.Node): TSESTree.CallExpression | undefined {
  const member = parentOf(node);
  if (member?.type !== 'MemberExpression' || member.object !== node) return undefined;
  if (member.property.type !== 'Identifier' || member.property.name !== 'apply') return undefined;
  const call = member.parent;
  return call?.type === 'CallExpression' && call.callee === member ? call : undefined;
}

/** The single `.apply(...)` of a layer held in a variable (`const d = tf.layers.dense(); d.apply(x)`). */
function applyOfVariable(src: FixSource, call: TSESTree.CallExpression): TSESTree.CallExpression | undefined {
  const declarator = parentOf(call);
  if (declarator?.type !== 'VariableDeclarator' || declarator.id.type !== 'Identifier') return undefined;
  const name = declarator.id.name;
  const applies = src
    .nodesOfType(AST_NODE_TYPES.Identifier)
    .filter((id) => id.name === name && id !== declarator.id)
    .map((id) => applyCallOn(id));
  return applies.length === 1 ? applies[0] : undefined;
}

/**
 * Inserts `tf.layers.batchNormalization()` right after a layer: as the next element of a
 * layers array, as the next `model.add(...)` statement, or around the layer's `.apply(x)`
 * in a functional chain.
 */
export function insertBatchNormAfter(src: FixSource, layer: Layer): TextEdit[] | undefined {
  if (isPython(src)) return pythonInsertBatchNormAfter(src.text, layer);
  const call = constructionCall(src, layer);
  if (!call) return undefined;
  const namespace = factoryNamespace(src, call);
  if (!namespace) return undefined;
  const batchNorm = `${namespace}.batchNormalization()`;
  const parent = parentOf(call);
  if (parent?.type === 'ArrayExpression') {
    const index = parent.elements.indexOf(call as TSESTree.Expression);
    const before = index > 0 ? parent.elements[index - 1] : null;
    const multiline = src.text.slice(before ? before.range[1] : parent.range[0], call.range[0]).includes('\n');
    const text = multiline ? `,\n${src.indentAt(call.range[0])}${batchNorm}` : `, ${batchNorm}`;
    return [{ range: { start: call.range[1], end: call.range[1] }, newText: text }];
  }
  if (
    parent?.type === 'CallExpression' &&
    parent.arguments.length === 1 &&
    parent.callee.type === 'MemberExpression' &&
    parent.callee.property.type === 'Identifier' &&
    parent.callee.property.name === 'add' &&
    parent.parent?.type === 'ExpressionStatement'
  ) {
    const statement = parent.parent;
    const model = src.slice(parent.callee.object);
    const text = `\n${src.indentAt(statement.range[0])}${model}.add(${batchNorm});`;
    return [{ range: { start: statement.range[1], end: statement.range[1] }, newText: text }];
  }
  const apply = applyCallOn(call) ?? applyOfVariable(src, call);
  if (apply) {
    return [
      { range: { start: apply.range[0], end: apply.range[0] }, newText: `${batchNorm}.apply(` },
      { range: { start: apply.range[1], end: apply.range[1] }, newText: ')' },
    ];
  }
  return undefined;
}

/** Changes the factory of a layer's construction: `tf.layers.simpleRNN(` → `tf.layers.lstm(`. */
export function renameLayerFactory(src: FixSource, layer: Layer, factory: string): TextEdit[] | undefined {
  if (isPython(src)) return pythonRenameLayerFactory(src.text, layer, factory);
  const call = constructionCall(src, layer);
  if (call?.callee.type !== 'MemberExpression' || call.callee.property.type !== 'Identifier') return undefined;
  const property = call.callee.property;
  return [{ range: { start: property.range[0], end: property.range[1] }, newText: factory }];
}
