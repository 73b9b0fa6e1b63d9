// jsonc-parser builds its tree recursively: a value nested a few thousand levels deep (even
// under a key nobody reads) overflows the stack and would lose the whole file. Values nested
// deeper than any model config are blanked out first, in place (offsets stay), and reported.
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Problem } from '../graph';

/** Far deeper than a model config goes (nested models, wrappers, initializer configs). */
const MAX_DEPTH = 256;

/** The text with every value opened at depth MAX_DEPTH replaced by `0` and spaces, and a problem per cut. */
export function cutDeepValues(text: string): { text: string; problems: Problem[] } {
  const scanner = createScanner(text, false);
  const cuts: { start: number; end: number }[] = [];
  let depth = 0;
  let cutStart = -1;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      depth++;
      if (depth === MAX_DEPTH + 1 && cutStart < 0) cutStart = scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      if (depth === MAX_DEPTH + 1 && cutStart >= 0) {
        cuts.push({ start: cutStart, end: scanner.getTokenOffset() + 1 });
        cutStart = -1;
      }
      depth = Math.max(depth - 1, 0);
    }
  }
  if (cutStart >= 0) cuts.push({ start: cutStart, end: text.length });
  if (cuts.length === 0) return { text, problems: [] };
  let out = '';
  let at = 0;
  for (const c of cuts) {
    out += text.slice(at, c.start) + '0' + ' '.repeat(c.end - c.start - 1);
    at = c.end;
  }
  out += text.slice(at);
  const problems: Problem[] = cuts.map((range) => ({
    message: `This value nests deeper than ${MAX_DEPTH} levels, which no model config does; it is read as 0.`,
    range: { start: range.start, end: Math.min(range.start + 1, range.end) },
    severity: 'warning',
  }));
  return { text: out, problems };
}
