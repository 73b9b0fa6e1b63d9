// Parsing an edited file again only where it changed gives, node for node, the program a full
// parse of the new text gives; where it cannot be sure it declines and the caller parses all.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@typescript-eslint/typescript-estree';
import { parseOptions } from '../../../src/core/tfjs/parse';
import { reparse } from '../../../src/core/tfjs/reparse';

const root = path.join(__dirname, '../../..');
const files = ['examples/deep-sigmoid-mlp.js', 'examples/functional-residual.ts', 'examples/lstm-text.js', 'examples/rules/unused-layer.js'].map((f) => path.join(root, f));

const full = (file: string, text: string) => parse(text, parseOptions(file));

/** The edit `edit` makes of `text`, parsed again on the parse of `text`: undefined when reparse declined. */
function incremental(file: string, text: string, edited: string) {
  return reparse(file, { text, program: full(file, text) }, edited);
}

/** Edits a person makes while typing, as functions of the text. */
const edits: [string, (text: string) => string][] = [
  ['a character typed in a layer option', (t) => t.replace('units: ', 'units: 2 * ')],
  ['a line added at the top', (t) => `// a note\n${t}`],
  ['a blank line added between statements', (t) => t.replace(/\n\n/, '\n\n\n')],
  ['a line deleted inside a function', (t) => t.replace(/\n[^\n]*tf\.layers\.[^\n]*\n/, '\n')],
  ['a statement added at the end', (t) => `${t}\nconst extra = 3;\n`],
  ['a function duplicated', (t) => t.replace(/(\n(?:export )?function [\s\S]*?\n}\n)/, '$1$1')],
  ['a comment inside a statement', (t) => t.replace('units', '/* wide */ units')],
  ['text changed on the line a later statement starts on', (t) => t.replace(/;\n(?=[^\n]*;)/, '; const same = 1;\n')],
  ['CRLF line ends', (t) => t.replace(/\n/g, '\r\n').replace('units: ', 'units: 3 * ')],
];

/** TypeScript of every kind, where the tfjs edits do not apply. */
const typescript = ['src/core/tfjs/modules.ts', 'src/server/server.ts', 'src/core/lint.ts'].map((f) => path.join(root, f));
const anyCode = new Set(['a line added at the top', 'a blank line added between statements', 'a statement added at the end', 'a function duplicated', 'text changed on the line a later statement starts on']);

describe('tfjs reparse', () => {
  for (const file of [...files, ...typescript]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [name, edit] of edits.filter(([name]) => files.includes(file) || anyCode.has(name))) {
      it(`${path.basename(file)}: ${name}`, () => {
        const before = name === 'CRLF line ends' ? text.replace(/\n/g, '\r\n') : text;
        const edited = edit(text);
        assert.notEqual(edited, before, 'the edit changes the text');
        const program = incremental(file, before, edited);
        assert.ok(program, 'parsed again only where it changed');
        assert.deepStrictEqual(program, full(file, edited));
      });
    }
  }

  it('declines where the statement before could be continued, and on a directive', () => {
    const file = 'a.js';
    // `f()` without a semicolon: a line starting with `(` would continue it.
    assert.equal(incremental(file, 'f()\nconst a = 1;\n', 'f()\nconst a = 2;\n'), undefined);
    assert.equal(incremental(file, 'const a = 1;\nconst b = 2;\n', "const a = 1;\n'use strict';\n"), undefined);
  });

  it('parses an edit inside an async function of a module again on its own; top-level await only in full', () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nasync function train(model) {\n  await model.fit(xs, ys, { epochs: 1 });\n}\n";
    const edited = text.replace('epochs: 1', 'epochs: 10');
    assert.deepStrictEqual(incremental('a.js', text, edited), full('a.js', edited));
    assert.equal(incremental('a.js', text, `${text}await train(model);\n`), undefined);
  });

  it('throws the parser error of a syntax error in the part parsed again', () => {
    const text = 'function f() {\n  return 1;\n}\nconst a = 1;\n';
    assert.throws(() => incremental('a.js', text, text.replace('return 1;', 'return 1 +;')));
  });

  it('moves the columns of a statement on the line the change ends on', () => {
    const text = 'const a = 1; const b = tf.layers.dense({units: 2});\n';
    const edited = 'const a = 100; const b = tf.layers.dense({units: 2});\n';
    assert.deepStrictEqual(incremental('a.js', text, edited), full('a.js', edited));
  });

  it('a move of a program is exact where the parser counts lines differently (a line separator)', () => {
    const text = 'const a = 1;\nconst b = 2;\n';
    const edited = 'const a = 1;\u2028const x = 0;\nconst b = 2;\n';
    assert.deepStrictEqual(incremental('a.js', text, edited), full('a.js', edited));
  });
});
