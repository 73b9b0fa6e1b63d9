// CPython refuses brackets nested more than 200 deep ("too many nested parentheses") before it
// parses anything; so does gradlint, whose parser takes seconds over 20,000 nested brackets.

/** Python's own limit on nested brackets (the tokenizer's MAXLEVEL). */
export const MAX_BRACKET_DEPTH = 200;

/** Where brackets first nest deeper than Python allows, skipping strings and comments; undefined if nowhere. */
export function tooDeepBrackets(text: string): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote || c === '\n') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_BRACKET_DEPTH) return i;
    } else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}
