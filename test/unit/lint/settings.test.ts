// The rule declarations are the one source of every threshold: the committed settings,
// README table and rule docs equal what `npm run gen:settings` makes of them, and the
// heatmap's fallback thresholds are the declared defaults.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fillSummary, generatedFiles } from '../../../scripts/genSettings';
import { DEFAULT_CONFIG, SCHEMA } from '../../../src/lint/index';
import { configSchema } from '../../../src/core/config';
import type { Rule } from '../../../src/core/rule';

const ROOT = path.join(__dirname, '../../..');

describe('settings generated from the rule declarations', () => {
  for (const file of generatedFiles().keys()) {
    it(`${file} is what npm run gen:settings writes`, () => {
      const expected = generatedFiles().get(file);
      assert.equal(fs.readFileSync(path.join(ROOT, file), 'utf8'), expected, `${file} drifted from the rules: run npm run gen:settings`);
    });
  }

  it('catches a hand edit: the generator puts the declared default back', () => {
    const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
    const edited = read('package.json').replace(/("gradlint\.thresholds\.plainRnnMaxSteps": \{\s*"type": "number",\s*"default": )20/, '$121');
    assert.notEqual(edited, read('package.json'));
    assert.equal(generatedFiles((f) => (f === 'package.json' ? edited : read(f))).get('package.json'), read('package.json'));
  });

  it('fills a rule summary from the declared defaults, and refuses a name no rule declares', () => {
    const defaults = { vanishingDepthRatioLog10: -3, estimateUncertaintyDecades: 0.5, plainRnnMaxSteps: 20 };
    assert.equal(fillSummary('over {plainRnnMaxSteps} steps, below 10^{vanishingDepthRatioLog10-estimateUncertaintyDecades}', defaults), 'over 20 steps, below 10^−3.5');
    assert.throws(() => fillSummary('over {plainRnnMaxStep} steps', defaults), /names plainRnnMaxStep, which no rule declares/);
  });

  it('has every threshold described, and a name two rules declare is refused', () => {
    for (const [key, t] of Object.entries(SCHEMA.thresholds)) assert.ok(t.description.length > 20, key);
    const twice = (id: string): Rule<'same'> => ({ id, defaultSeverity: 'info', description: '', summary: '', docsUrl: '', thresholds: { same: { default: 1, description: 'x' } }, check: () => [] });
    assert.throws(() => configSchema([twice('a'), twice('b')]), /threshold "same" is declared twice \(b\)/);
  });
});
