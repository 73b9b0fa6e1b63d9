// Layers created, bound to a name, and never used at all (`const shortcut = tf.layers.conv2d(...)`
// with nothing reading `shortcut`): never applied, added or passed anywhere, so tfjs never
// builds them into a model. Almost always a forgotten connection. Only a name nothing reads
// counts: a layer handed to code gradlint cannot follow may well be used there.
// Each is attributed to the model built in the same function (or at top level with it).

import { simpleTraverse, TSESTree } from '@typescript-eslint/typescript-estree';
import type { AppNode, LayerRec, ModelBuild } from './graphBuilder';

type Span = [number, number];

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** The call a declarator's initialiser is, through TypeScript's `as` and `!`. */
function callOf(node: TSESTree.Expression | null): TSESTree.Node | undefined {
  let n: TSESTree.Node | null = node;
  while (n && (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression')) n = n.expression;
  return n?.type === 'CallExpression' ? n : undefined;
}

/** Whether an identifier is a read of a variable (not a declared name, a property name or a key). */
function isRead(node: TSESTree.Identifier, parent: TSESTree.Node | undefined): boolean {
  if (!parent) return true;
  if (parent.type === 'VariableDeclarator' && parent.id === node) return false;
  if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return false;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.key === node && !parent.computed) {
    // `{shortcut}` reads the variable: the key is its value too.
    return parent.type === 'Property' && parent.shorthand;
  }
  return true;
}

/** The innermost function span holding `start`, or undefined at top level. */
function scopeOf(functions: Span[], start: number): Span | undefined {
  let best: Span | undefined;
  for (const f of functions) if (f[0] <= start && start < f[1] && (!best || f[0] >= best[0])) best = f;
  return best;
}

/**
 * For each model, the layers created in the file linted, bound to a name nothing reads, and in
 * no model: `created` are the layers the interpreter made from `tf.layers` calls of that file.
 */
export function neverAppliedLayers(
  program: TSESTree.Program,
  models: ModelBuild[],
  created: LayerRec[],
  applications: Iterable<AppNode>,
): Map<ModelBuild, LayerRec[]> {
  const out = new Map<ModelBuild, LayerRec[]>();
  if (!created.length || !models.length) return out;
  const functions: Span[] = [];
  const boundAt = new Map<number, string>();
  const reads = new Map<string, number>();
  simpleTraverse(program, {
    enter(node, parent) {
      if (FUNCTIONS.has(node.type)) functions.push(node.range);
      else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
        const call = callOf(node.init);
        if (call) boundAt.set(call.range[0], node.id.name);
      } else if (node.type === 'Identifier' && isRead(node, parent)) reads.set(node.name, (reads.get(node.name) ?? 0) + 1);
    },
  });
  const used = new Set<LayerRec>();
  const use = (rec: LayerRec | undefined): void => {
    if (!rec || used.has(rec)) return;
    used.add(rec);
    use(rec.wrapped);
    rec.cells?.forEach(use);
    rec.stack?.forEach(use);
  };
  for (const app of applications) use(app.layer);
  for (const m of models) m.layers.forEach(use);
  const sameScope = (a: Span | undefined, b: Span | undefined): boolean => a === b || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]);
  for (const rec of created) {
    const name = boundAt.get(rec.range.start);
    if (!name || used.has(rec) || (reads.get(name) ?? 0) > 0) continue;
    const scope = scopeOf(functions, rec.range.start);
    const model = models.find((m) => !m.outputsUnknown && sameScope(scopeOf(functions, m.range.start), scope));
    if (!model) continue;
    const list = out.get(model);
    if (list) list.push(rec);
    else out.set(model, [rec]);
  }
  return out;
}
