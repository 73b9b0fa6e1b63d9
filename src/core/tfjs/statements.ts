// The interpreter's statements: declarations, blocks, branches, switch, try, and what
// ends a block (return, break, continue, throw). Loops are in loops.ts.

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Interpreter } from './interpreter';
import { execFor, execForEach, execWhile } from './loops';
import { Scope } from './scope';
import { AV, UNDEFINED, sameValue, truthy, unknown } from './values';

type Node = TSESTree.Node;

/** How a statement ended when it did not simply run to its end. */
export type Completion =
  | undefined
  | { type: 'return'; value: AV }
  | { type: 'break' | 'continue'; label?: string }
  | { type: 'throw' };

/** Function declarations and imports are known before the block's first statement runs. */
function hoist(it: Interpreter, body: readonly Node[], scope: Scope): void {
  for (const stmt of body) {
    const decl =
      stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : stmt;
    if (decl?.type === 'FunctionDeclaration' && decl.id) {
      scope.declare(decl.id.name, it.makeFunction(decl, scope, decl.id.name));
    } else if (stmt.type === 'ImportDeclaration') {
      it.tf.declareImport(stmt, scope);
    }
  }
}

export function execBlockBody(it: Interpreter, body: readonly Node[], scope: Scope): Completion {
  hoist(it, body, scope);
  for (const stmt of body) {
    const c = it.exec(stmt, scope);
    if (c) return c;
  }
  return undefined;
}

export function execute(it: Interpreter, node: Node, scope: Scope): Completion {
  it.step(node);
  switch (node.type) {
    case 'ExpressionStatement':
      it.eval(node.expression, scope);
      return undefined;
    case 'VariableDeclaration':
      for (const d of node.declarations) {
        const value = d.init ? it.eval(d.init, scope, d.id.type === 'Identifier' ? d.id.name : undefined) : UNDEFINED;
        it.bindPattern(d.id, value, scope, node.kind === 'var' ? 'var' : 'let');
      }
      return undefined;
    case 'ReturnStatement':
      return { type: 'return', value: node.argument ? it.eval(node.argument, scope) : UNDEFINED };
    case 'BlockStatement':
      return execBlockBody(it, node.body, new Scope(scope));
    case 'IfStatement':
      return execIf(it, node, scope);
    case 'ForStatement':
      return execFor(it, node, scope);
    case 'ForOfStatement':
    case 'ForInStatement':
      return execForEach(it, node, scope);
    case 'WhileStatement':
    case 'DoWhileStatement':
      return execWhile(it, node, scope);
    case 'SwitchStatement':
      return execSwitch(it, node, scope);
    case 'BreakStatement':
      return { type: 'break', label: node.label?.name };
    case 'ContinueStatement':
      return { type: 'continue', label: node.label?.name };
    case 'ThrowStatement':
      it.eval(node.argument, scope);
      return { type: 'throw' };
    case 'LabeledStatement': {
      const c = execute(it, node.body, scope);
      return c && c.type === 'break' && c.label === node.label.name ? undefined : c;
    }
    case 'TryStatement':
      return execTry(it, node, scope);
    case 'ClassDeclaration':
      if (node.id) scope.declare(node.id.name, it.makeClass(node, scope));
      return undefined;
    case 'ExportNamedDeclaration':
      return node.declaration ? execute(it, node.declaration, scope) : undefined;
    case 'ExportDefaultDeclaration': {
      const d = node.declaration;
      if (d.type === 'ClassDeclaration' || d.type === 'FunctionDeclaration' || d.type.startsWith('TS')) return execute(it, d, scope);
      it.defaultExports.set(node, it.eval(d, scope, 'default'));
      return undefined;
    }
    case 'TSImportEqualsDeclaration':
      it.tf.declareImportEquals(node, scope);
      return undefined;
    default:
      // Function declarations are hoisted; imports, type declarations and empty
      // statements have no run-time effect on models.
      return undefined;
  }
}

/** The try block runs; the handler runs and is undone (models it creates are kept). */
function execTry(it: Interpreter, node: TSESTree.TryStatement, scope: Scope): Completion {
  const c = execute(it, node.block, scope);
  if (node.handler) {
    const handler = node.handler;
    it.shadow(() => {
      const s = new Scope(scope);
      if (handler.param) it.bindPattern(handler.param, unknown('the caught error'), s, 'let');
      return execute(it, handler.body, s);
    });
  }
  const f = node.finalizer ? execute(it, node.finalizer, scope) : undefined;
  return f ?? c;
}

function execIf(it: Interpreter, node: TSESTree.IfStatement, scope: Scope): Completion {
  const cond = truthy(it.eval(node.test, scope));
  if (cond === true) return execute(it, node.consequent, scope);
  if (cond === false) return node.alternate ? execute(it, node.alternate, scope) : undefined;
  // Unknown: a branch that leaves (return, throw, break) is a guard; assume the other one.
  const mark = it.journal.mark();
  const c = execute(it, node.consequent, scope);
  if (c && returnsNewLayers(it, c, mark.seq)) {
    // Not a guard: the branch returns what it built (`if (x.shape[3] === filters) return
    // add([x, y])`). Dropping it would silently remove a residual; it is assumed, and said.
    it.journal.commit(mark);
    if (node.alternate) it.shadow(() => execute(it, node.alternate!, scope));
    it.problem(`${it.whyNotKnown(node.test)}: assumed true; what runs when it is false is not in the graph`, node.test, 'info');
    return c;
  }
  if (c) {
    it.journal.rollback(mark);
    // A `break` skipped on an unknown condition means the loop may end earlier.
    if (c.type === 'break') it.maybeExit = true;
    return node.alternate ? execute(it, node.alternate, scope) : undefined;
  }
  const thenEdits = it.journal.graphChanges(mark);
  it.journal.commit(mark);
  const elseSeq = it.seq;
  const elseEdits = node.alternate ? it.shadow(() => execute(it, node.alternate!, scope)) : 0;
  nameBranchModels(it, node, mark.seq, elseSeq);
  if (thenEdits || elseEdits) {
    const other = elseEdits ? '; the layers of the else branch are not in the graph' : '';
    it.problem(`${it.whyNotKnown(node.test)}: assumed true${other}`, node.test, 'info');
  }
  return undefined;
}

/**
 * A `return` of symbolic tensors made since `seq` (a returned model is a choice among
 * models, each read on its own, not part of a graph being built).
 */
function returnsNewLayers(it: Interpreter, c: Completion, seq: number): boolean {
  if (c?.type !== 'return' || it.seq === seq) return false;
  const graphValue = (v: AV): boolean => v.k === 'tensor' || (v.k === 'arr' && v.items.some(graphValue));
  return graphValue(c.value);
}

/**
 * Both branches of an unknown `if` build models (a classifier or a regressor): each is
 * named after its branch, with the name the first branch's model gets.
 */
function nameBranchModels(it: Interpreter, node: TSESTree.IfStatement, thenSeq: number, elseSeq: number): void {
  const thenModels = it.models.filter((m) => m.seq >= thenSeq && m.seq < elseSeq && !m.branch);
  // An `else if` chain has named its own branches already; they take this one's name too.
  const elseModels = it.models.filter((m) => m.seq >= elseSeq);
  if (!thenModels.length || !elseModels.length) return;
  for (const m of thenModels) m.branch = { label: it.snippet(node.test, 40) };
  elseModels.forEach((m, i) => {
    const nameFrom = thenModels[Math.min(i, thenModels.length - 1)];
    if (!m.branch) m.branch = { label: 'else', nameFrom };
    else m.branch.nameFrom ??= nameFrom;
  });
}

function execSwitch(it: Interpreter, node: TSESTree.SwitchStatement, scope: Scope): Completion {
  const d = it.eval(node.discriminant, scope);
  const inner = new Scope(scope);
  const runFrom = (start: number): Completion => {
    for (let i = start; i < node.cases.length; i++) {
      for (const stmt of node.cases[i].consequent) {
        const c = execute(it, stmt, inner);
        if (c) return c.type === 'break' && !c.label ? undefined : c;
      }
    }
    return undefined;
  };
  let unknownCase = d.k === 'unknown';
  let match = -1;
  for (let i = 0; i < node.cases.length && !unknownCase; i++) {
    const t = node.cases[i].test;
    if (!t) continue;
    const same = sameValue(d, it.eval(t, inner));
    if (same === undefined) unknownCase = true;
    else if (same) match = i;
    if (match >= 0) break;
  }
  if (!unknownCase) {
    if (match < 0) match = node.cases.findIndex((c) => !c.test);
    return match < 0 ? undefined : runFrom(match);
  }
  // Unknown discriminant: the first case that completes normally is assumed, the
  // others are run and undone (models they create are kept).
  let chosen = -1;
  let skippedEdits = false;
  for (let i = 0; i < node.cases.length; i++) {
    const mark = it.journal.mark();
    const c = runFrom(i);
    if (chosen < 0 && !c) {
      chosen = i;
      it.journal.commit(mark);
    } else {
      if (it.journal.graphChanges(mark) && chosen >= 0) skippedEdits = true;
      it.journal.rollback(mark);
    }
  }
  if (skippedEdits) {
    const label = node.cases[chosen].test ? `case ${it.snippet(node.cases[chosen].test!)}` : 'the default case';
    it.problem(
      `${it.whyNotKnown(node.discriminant)}: assumed ${label}; the layers of the other cases are not in the graph`,
      node.discriminant,
      'info',
    );
  }
  return undefined;
}
