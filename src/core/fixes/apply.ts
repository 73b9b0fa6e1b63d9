import type { Fix, TextEdit } from '../diagnostic';

const overlaps = (a: TextEdit, b: TextEdit): boolean =>
  (a.range.start < b.range.end && b.range.start < a.range.end) ||
  // Two insertions at one point from different fixes: their order would be a guess.
  (a.range.start === b.range.start && (a.range.start === a.range.end || b.range.start === b.range.end));

const sameEdit = (a: TextEdit, b: TextEdit): boolean =>
  a.range.start === b.range.start && a.range.end === b.range.end && a.newText === b.newText;

/**
 * Applies fixes to a text. A fix is applied whole or not at all: one that overlaps an
 * earlier fix is skipped (run again to apply it). Identical edits within a fix (a layer
 * built in a loop appears several times) count once.
 */
export function applyFixes(text: string, fixes: Fix[]): string {
  const accepted: TextEdit[] = [];
  for (const fix of fixes) {
    const edits = fix.edits.filter((e, i) => fix.edits.findIndex((o) => sameEdit(o, e)) === i);
    if (edits.some((e) => accepted.some((a) => overlaps(a, e)))) continue;
    accepted.push(...edits);
  }
  // Back to front, so earlier offsets stay valid; insertions at one point keep their order.
  const ordered = accepted.map((edit, index) => ({ edit, index }));
  ordered.sort((a, b) => b.edit.range.start - a.edit.range.start || b.index - a.index);
  let out = text;
  for (const { edit } of ordered) out = out.slice(0, edit.range.start) + edit.newText + out.slice(edit.range.end);
  return out;
}
