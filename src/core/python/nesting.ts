// CPython refuses brackets nested more than 200 deep ("too many nested parentheses") before it
// parses anything; so does gradlint, whose parser takes seconds over 20,000 nested brackets.

import { SEPARATORS } from '../budget';

/** Python's own limit on nested brackets (the tokenizer's MAXLEVEL). */
export const MAX_BRACKET_DEPTH = 200;

/**
 * One read of the text for two answers (it is the largest loop over characters of a lint): its
 * separators as countTokens counts them (strings and comments included), and where brackets
 * first nest deeper than Python allows, skipping strings and comments (undefined if nowhere).
 */
export function scanText(text: string): { tokens: number; tooDeep: number | undefined } {
  // Character codes, not one-character strings: this reads every character of every file.
  const separators = SEPARATORS;
  let tokens = 0;
  let tooDeep: number | undefined;
  let depth = 0;
  let quote = 0;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) tokens += separators[c];
    if (comment) {
      if (c === 10 /* \n */) comment = false;
    } else if (quote) {
      if (c === 92 /* \ */) {
        // The escaped character is skipped here, not in the count.
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 128;
        if (next < 128) tokens += separators[next];
        i++;
      } else if (c === quote || c === 10 /* \n */) quote = 0;
    } else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
    else if (c === 35 /* # */) comment = true;
    else if (c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_BRACKET_DEPTH && tooDeep === undefined) tooDeep = i;
    } else if ((c === 41 /* ) */ || c === 93 /* ] */ || c === 125) /* } */ && depth > 0) depth--;
  }
  return { tokens, tooDeep };
}
