import { strict as assert } from 'assert';
import { countTokens } from '../../../src/core/budget';
import { MAX_BRACKET_DEPTH, scanText } from '../../../src/core/python/nesting';

// scanText reads the text once for the parse's charge and the bracket limit: its count must be
// countTokens' (strings, escapes and comments included), its depth must skip strings and comments.
describe('Python text scan', () => {
  it('counts every separator, in strings, after escapes and in comments too', () => {
    const text = "x = f(a, b)  # (note: [1, 2])\ns = 'a\\(b,c\\\n' + \"{d}:\"\nt = '\\\\'\n";
    assert.equal(scanText(text).tokens, countTokens(text));
  });

  it('finds the first bracket past the limit, not brackets in strings or comments', () => {
    const deep = '['.repeat(MAX_BRACKET_DEPTH + 5);
    const text = `# ${deep}\ns = "${deep}"\ny = ${deep}`;
    assert.equal(scanText(text).tooDeep, text.lastIndexOf('y = ') + 4 + MAX_BRACKET_DEPTH);
    assert.equal(scanText(`y = ${'('.repeat(MAX_BRACKET_DEPTH)}1${')'.repeat(MAX_BRACKET_DEPTH)}`).tooDeep, undefined);
  });
});
