// A table-driven rule test in the manner of ESLint's RuleTester: each valid case must give
// no diagnostic of the rule; each invalid case exactly the expected ones (message, position,
// severity). Every fix offered is applied and the code linted again: the fix must parse and
// must remove that diagnostic.

import { strict as assert } from 'assert';
import type { Diagnostic, Severity } from '../../src/core/diagnostic';
import type { UserConfig } from '../../src/core/config';
import { applyFixes } from '../../src/core/fixes/apply';
import { lint as lintText, resolveSettings } from '../../src/lint/index';
import { LineIndex } from '../../src/core/text';

export interface Case {
  code: string;
  /** File name deciding the front end; `model.js` by default. */
  file?: string;
  config?: Partial<UserConfig>;
  name?: string;
}

export interface Expected {
  /** A regular expression, or text the message must contain. */
  message: RegExp | string;
  /** 1-based, like ESLint's. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity?: Severity;
  /** Text the range must cover exactly. */
  text?: string;
  /** Title of the preferred fix (a RegExp or text it contains). */
  preferredFix?: RegExp | string;
}

export interface InvalidCase extends Case {
  errors: Expected[];
}

const matches = (actual: string, expected: RegExp | string) => (typeof expected === 'string' ? actual.includes(expected) : expected.test(actual));

function lint(c: Case): Diagnostic[] {
  return lintText(c.file ?? 'model.js', c.code, resolveSettings(c.config ?? {})).diagnostics;
}

const caseName = (c: Case, i: number) => c.name ?? `case ${i + 1}: ${c.code.trim().split('\n').slice(0, 2).join(' ').slice(0, 70)}`;

export function ruleTester(ruleId: string, cases: { valid: (Case | string)[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    describe('valid', () => {
      cases.valid.forEach((raw, i) => {
        const c = typeof raw === 'string' ? { code: raw } : raw;
        it(caseName(c, i), () => {
          const all = lint(c);
          assert.deepEqual(all.filter((d) => d.ruleId === 'parse-error').map((d) => d.message), [], 'the case must parse');
          assert.deepEqual(all.filter((d) => d.ruleId === ruleId).map((d) => d.message), []);
        });
      });
    });
    describe('invalid', () => {
      cases.invalid.forEach((c, i) => {
        it(caseName(c, i), () => {
          const all = lint(c);
          assert.deepEqual(all.filter((d) => d.ruleId === 'parse-error').map((d) => d.message), [], 'the case must parse');
          const found = all.filter((d) => d.ruleId === ruleId);
          assert.equal(found.length, c.errors.length, `diagnostics: ${found.map((d) => d.message).join('\n')}`);
          const index = new LineIndex(c.code);
          found.forEach((d, k) => {
            const want = c.errors[k];
            const start = index.positionAt(d.range.start);
            const end = index.positionAt(d.range.end);
            assert.ok(matches(d.message, want.message), `message ${JSON.stringify(d.message)} does not match ${want.message}`);
            assert.deepEqual([start.line + 1, start.character + 1], [want.line, want.column], `start of ${d.message}`);
            if (want.endLine !== undefined) assert.deepEqual([end.line + 1, end.character + 1], [want.endLine, want.endColumn]);
            if (want.text !== undefined) assert.equal(c.code.slice(d.range.start, d.range.end), want.text);
            assert.equal(d.severity, want.severity ?? d.severity);
            if (want.severity === undefined) assert.ok(d.severity, 'has a severity');
            if (d.fixes.length) assert.equal(d.fixes.filter((f) => f.preferred).length, 1, 'exactly one preferred fix');
            if (want.preferredFix !== undefined) {
              const preferred = d.fixes.find((f) => f.preferred);
              assert.ok(preferred && matches(preferred.title, want.preferredFix), `preferred fix: ${preferred?.title}`);
            }
          });
          // Every fix, applied alone, must leave code that parses and lacks that diagnostic.
          for (const d of found) {
            for (const fix of d.fixes) {
              const fixed = applyFixes(c.code, [fix]);
              const again = lint({ ...c, code: fixed });
              assert.deepEqual(again.filter((x) => x.ruleId === 'parse-error').map((x) => x.message), [], `after "${fix.title}":\n${fixed}`);
              const remaining = again.filter((x) => x.ruleId === ruleId);
              assert.ok(remaining.length < found.length, `"${fix.title}" left ${ruleId}:\n${fixed}\n${remaining.map((x) => x.message).join('\n')}`);
            }
          }
        });
      });
    });
  });
}
