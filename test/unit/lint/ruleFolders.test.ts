// Every registered rule is complete: a folder with its docs and its table test, and an
// example model in examples/ that shows the finding.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { RULES } from '../../../src/rules/index';
import { lint } from '../../../src/lint/index';

const ROOT = path.join(__dirname, '../../..');

describe('rule folders', () => {
  it('gives each id one rule object', () => {
    const ids = RULES.map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)]);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      const folder = path.join(ROOT, 'src/rules', rule.id);

      it('has its docs page, which its docs link names, with its default severity', () => {
        const docs = path.join(folder, 'README.md');
        assert.ok(fs.existsSync(docs), `${path.relative(ROOT, docs)} is missing`);
        assert.match(fs.readFileSync(docs, 'utf8'), new RegExp(`^# ${rule.id}\\n`));
        assert.ok(rule.docsUrl.endsWith(`/src/rules/${rule.id}/README.md`), rule.docsUrl);
        const severity = { error: 'error', warning: 'warning', info: 'information', hint: 'hint' }[rule.defaultSeverity];
        assert.match(fs.readFileSync(docs, 'utf8').split('\n')[2], new RegExp(`^\\*\\*Default severity:\\*\\* ${severity}\\b`));
      });

      it('has its table test', () => {
        assert.ok(fs.existsSync(path.join(folder, `${rule.id}.test.ts`)), `src/rules/${rule.id}/${rule.id}.test.ts is missing`);
      });

      it('has an example in examples/ that it reports', () => {
        const examples = fg.sync(`examples/**/${rule.id}.*`, { cwd: ROOT });
        assert.ok(examples.length > 0, `no examples/**/${rule.id}.* file`);
        for (const example of examples) {
          const file = path.join(ROOT, example);
          const found = lint(file, fs.readFileSync(file, 'utf8')).diagnostics.filter((d) => d.ruleId === rule.id);
          assert.ok(found.length > 0, `${example} shows no ${rule.id} finding`);
        }
      });
    });
  }
});
