// Inline suppression comments: `// gradlint-disable-next-line RULE[, RULE]` silences the next
// line, `// gradlint-disable RULE[, RULE]` the whole file (no rule list: every rule); `#` instead
// of `//` in YAML. Also the edits that write such comments, for the editor's
// "Disable RULE for this line / file" actions.

import type { Diagnostic, TextEdit } from './diagnostic';
import { fileKind } from './modelFiles';
import { LineIndex } from './text';

export interface Suppressions {
  /** Rules silenced in the whole file; '*' for all. */
  file: Set<string>;
  /** 0-based line → rules silenced on it; '*' for all. */
  lines: Map<number, Set<string>>;
}

const DIRECTIVE = /^\s*(?:\/\/|\/\*|#)\s*gradlint-(disable-next-line|disable)\b([^*\n]*)/;

/** The comment marker a file's language uses, or undefined where comments do not exist (JSON). */
function commentMarker(file: string): string | undefined {
  const kind = fileKind(file);
  if (kind === 'tfjs') return '//';
  if (kind === 'yaml' || kind === 'python') return '#';
  return undefined;
}

function ruleList(text: string): Set<string> {
  const rules = text
    .replace(/--.*$/, '') // ESLint-style description after `--`
    .split(/[\s,]+/)
    .filter(Boolean);
  return new Set(rules.length ? rules : ['*']);
}

/** Finds the directives in a file; comments must start their line. */
function parseSuppressions(file: string, text: string): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  const marker = commentMarker(file);
  if (!marker || !text.includes('gradlint-disable')) return result;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m || !line.trimStart().startsWith(marker === '#' ? '#' : '/')) return;
    const rules = ruleList(m[2]);
    if (m[1] === 'disable') rules.forEach((r) => result.file.add(r));
    else result.lines.set(i + 1, new Set([...(result.lines.get(i + 1) ?? []), ...rules]));
  });
  return result;
}

function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  const onLine = s.lines.get(line);
  return s.file.has('*') || s.file.has(ruleId) || !!onLine && (onLine.has('*') || onLine.has(ruleId));
}

/** Drops the diagnostics silenced by the file's comments (by the line the diagnostic starts on). */
export function applySuppressions(file: string, text: string, diagnostics: Diagnostic[]): Diagnostic[] {
  const s = parseSuppressions(file, text);
  if (!s.file.size && !s.lines.size) return diagnostics;
  const index = new LineIndex(text);
  return diagnostics.filter((d) => !isSuppressed(s, d.ruleId, index.positionAt(d.range.start).line));
}

/**
 * The edit that silences `ruleId` on the 0-based `line` (`scope: 'line'`) or in the whole
 * file: extends an existing directive in place, or adds a comment line. Undefined for
 * files without comments (JSON).
 */
export function disableCommentEdit(file: string, text: string, ruleId: string, scope: 'line' | 'file', line = 0): TextEdit | undefined {
  const marker = commentMarker(file);
  if (!marker) return undefined;
  const index = new LineIndex(text);
  const lineText = (n: number) => text.slice(index.lineStart(n), n + 1 < index.lineCount ? index.lineStart(n + 1) - 1 : text.length);
  const extend = (n: number, kind: string): TextEdit | undefined => {
    const m = DIRECTIVE.exec(lineText(n));
    if (!m || m[1] !== kind || m[2].includes('--') || !m[2].trim()) return undefined;
    const end = index.lineStart(n) + m.index + m[0].trimEnd().length;
    return { range: { start: end, end }, newText: `, ${ruleId}` };
  };
  if (scope === 'line') {
    const existing = line > 0 ? extend(line - 1, 'disable-next-line') : undefined;
    if (existing) return existing;
    const start = index.lineStart(line);
    const indent = /^[ \t]*/.exec(lineText(line))?.[0] ?? '';
    return { range: { start, end: start }, newText: `${indent}${marker} gradlint-disable-next-line ${ruleId}\n` };
  }
  // File scope: after a shebang, next to an existing file directive if there is one at the top.
  const first = text.startsWith('#!') && marker === '//' ? 1 : 0;
  const existing = first < index.lineCount ? extend(first, 'disable') : undefined;
  if (existing) return existing;
  const start = index.lineStart(first);
  return { range: { start, end: start }, newText: `${marker} gradlint-disable ${ruleId}\n` };
}
