// Parsing an edited file again where it changed: the top-level statements the edit touches
// are parsed on their own and put in place of the old ones, and the statements after them
// move by the edit's length. The result is the program a full parse of the new text gives
// (a unit test compares them node for node); wherever that cannot be sure (a statement that
// the next one could continue, a directive, a syntax error), there is no result and the
// caller parses the whole text. A 2,000-line file parses in about 60 ms; one function, 1 ms.
import { parse, TSESTree } from '@typescript-eslint/typescript-estree';
import { changedSpan } from '../text';
import { parseOptions } from './parse';

/** A text and its program (the statements after an edit are moved in place: a Parsed is used once). */
export interface Parsed {
  text: string;
  program: TSESTree.Program;
}

type Node = TSESTree.Node;

/** Statements after which no text can continue them: the next statement starts afresh whatever it is. */
const CLOSED_BY_BRACE = new Set([
  'FunctionDeclaration',
  'ClassDeclaration',
  'TSInterfaceDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'BlockStatement',
  'EmptyStatement',
]);

const MODULE_STATEMENTS = new Set([
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportDefaultDeclaration',
  'ExportAllDeclaration',
  'TSExportAssignment',
  'TSNamespaceExportDeclaration',
]);

function closed(stmt: TSESTree.ProgramStatement, text: string): boolean {
  if (text[stmt.range[1] - 1] === ';') return true;
  if (CLOSED_BY_BRACE.has(stmt.type)) return true;
  const declaration = (stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration') && stmt.declaration;
  return !!declaration && CLOSED_BY_BRACE.has(declaration.type);
}

/** A string statement: a directive in a program's prologue, an expression anywhere else. */
const stringStatement = (stmt: TSESTree.ProgramStatement | undefined): boolean =>
  stmt?.type === 'ExpressionStatement' && stmt.expression.type === 'Literal' && typeof stmt.expression.value === 'string';

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Whether `await` (an expression, a name, `for await`) occurs in `nodes` outside any function. */
function awaitsAtTopLevel(nodes: readonly Node[]): boolean {
  const found = (value: unknown): boolean => {
    if (!value || typeof value !== 'object') return false;
    if (Array.isArray(value)) return value.some(found);
    const node = value as Node;
    if (FUNCTIONS.has(node.type)) return false;
    if (node.type === 'AwaitExpression' || (node.type === 'Identifier' && node.name === 'await') || (node.type === 'ForOfStatement' && node.await)) return true;
    return Object.entries(node).some(([key, child]) => key !== 'range' && key !== 'loc' && key !== 'parent' && found(child));
  };
  return found(nodes);
}

/** Line breaks as TypeScript counts them (CR LF, CR, LF, LS, PS), and the column after the last. */
function linesAndColumn(text: string, from: number, to: number): { breaks: number; column: number } {
  let breaks = 0;
  let lineStart = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < to) i++;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      breaks++;
      lineStart = i + 1;
    }
  }
  return { breaks, column: to - lineStart };
}

/**
 * Moves every node under `roots` by `offset` characters and `lines` lines; a position on line
 * `onLine` (before the move) also moves by `columns`. Each node gets a new range and location:
 * the parser shares some between nodes (an export specifier's names), which must not move twice.
 */
function move(roots: readonly Node[], offset: number, lines: number, onLine: number, columns: number): void {
  const moved = (p: TSESTree.Position): TSESTree.Position => ({ line: p.line + lines, column: p.line === onLine ? p.column + columns : p.column });
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const node = value as Record<string, unknown>;
    for (const key in node) if (key !== 'range' && key !== 'loc' && key !== 'parent') visit(node[key]);
    const n = node as Partial<Node>;
    if (n.range) n.range = [n.range[0] + offset, n.range[1] + offset];
    if (n.loc) n.loc = { start: moved(n.loc.start), end: moved(n.loc.end) };
  };
  visit(roots);
}

/**
 * The program of `text`, parsed again only in the top-level statements the change from
 * `before.text` touches; undefined when only a full parse can be sure (then `before` is left
 * as it was). Throws what the parser throws on a syntax error in the part parsed again.
 */
export function reparse(file: string, before: Parsed, text: string): TSESTree.Program | undefined {
  const old = before.program;
  if (before.text === text) return old;
  const { start, endBefore, endAfter } = changedSpan(before.text, text);
  const delta = endAfter - endBefore;
  // Statements touched by the change, including those it merely borders (it may extend them).
  const body = old.body;
  let first = 0;
  while (first < body.length && body[first].range[1] < start) first++;
  let next = first;
  while (next < body.length && body[next].range[0] <= endBefore) next++;
  const previous = first > 0 ? body[first - 1] : undefined;
  const following = next < body.length ? body[next] : undefined;
  if (previous && !closed(previous, before.text)) return undefined;
  if (stringStatement(following)) return undefined;

  const regionStart = previous ? previous.range[1] : 0;
  const regionEnd = following ? following.range[0] + delta : text.length;
  const slice = text.slice(regionStart, regionEnd);
  // A hashbang is a hashbang only at the very start of a file.
  if (regionStart > 0 && slice.startsWith('#!')) return undefined;
  const parsed = parse(slice, parseOptions(file));
  const added = parsed.body;
  // The last statement parsed must not be one the following statement could continue.
  if (following && added.length && !closed(added[added.length - 1], slice)) return undefined;
  if (added.some(stringStatement) && previous) return undefined;
  const kept = [...body.slice(0, first), ...body.slice(next)];
  const isModule = parsed.sourceType === 'module' || kept.some((s) => MODULE_STATEMENTS.has(s.type));
  // A module made so by something outside the statements seen (import.meta) is left to a full parse.
  if (old.sourceType === 'module' && !isModule) return undefined;
  // Top-level await reads differently in a script and a module (inside a function it does not).
  if (isModule && parsed.sourceType !== 'module' && /\bawait\b/.test(slice) && awaitsAtTopLevel(added)) return undefined;

  const head = linesAndColumn(text, 0, regionStart);
  move(added, regionStart, head.breaks, 1, head.column);
  const oldTail = linesAndColumn(before.text, 0, following ? following.range[0] : before.text.length);
  const newTail = linesAndColumn(text, 0, regionEnd);
  const [lines, columns] = [newTail.breaks - oldTail.breaks, newTail.column - oldTail.column];
  if (following && (delta || lines || columns)) move(body.slice(next), delta, lines, oldTail.breaks + 1, columns);

  const statements = [...body.slice(0, first), ...added, ...body.slice(next)];
  // A program starts at its first token (after leading comments) and ends with the text.
  const programStart = previous ? old.range[0] : parsed.range[0] + regionStart;
  const at = linesAndColumn(text, 0, programStart);
  const end = linesAndColumn(text, 0, text.length);
  return {
    ...old,
    body: statements,
    sourceType: isModule ? 'module' : 'script',
    range: [programStart, text.length],
    loc: { start: { line: at.breaks + 1, column: at.column }, end: { line: end.breaks + 1, column: end.column } },
  };
}
