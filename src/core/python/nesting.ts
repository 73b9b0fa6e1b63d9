// CPython refuses brackets nested more than 200 deep ("too many nested parentheses") before it
// parses anything; so does gradlint, whose parser takes seconds over 20,000 nested brackets.

/** Python's own limit on nested brackets (the tokenizer's MAXLEVEL). */
export const MAX_BRACKET_DEPTH = 200;

/** Where brackets first nest deeper than Python allows, skipping strings and comments; undefined if nowhere. */
export function tooDeepBrackets(text: string): number | undefined {
  // Character codes, not one-character strings: this reads every character of every file.
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 /* \ */) i++;
      else if (c === quote || c === 10 /* \n */) quote = 0;
    } else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
    else if (c === 35 /* # */) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_BRACKET_DEPTH) return i;
    } else if ((c === 41 /* ) */ || c === 93 /* ] */ || c === 125) /* } */ && depth > 0) depth--;
  }
  return undefined;
}
