// Issue 14.1: the heatmap's verdict and lint's findings are one judgement. On every model of
// examples/ and of the calibration set, the banner the heatmap shows for the estimate's
// figures says "vanishing" exactly where lint reports vanishing-gradient, "exploding" exactly
// where it reports exploding-gradient, and "healthy" where it reports neither.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { verdict } from '../../../media/heatmap/verdict';
import { estimateToResult } from '../../../src/core/estimate/report';
import { healthThresholds, traitsOf } from '../../../src/core/judge';
import type { ModelEstimate } from '../../../src/core/estimate/types';
import { fileKind } from '../../../src/core/modelFiles';
import { DEFAULT_CONFIG, lint } from '../../../src/lint/index';
import { calibrationModels } from '../../../bench/lib/calibrationModels';
import { lintGraph, ruleContext } from '../../../bench/lib/lintGraph';

const ROOT = path.join(__dirname, '..', '..', '..');
const THRESHOLDS = healthThresholds(DEFAULT_CONFIG.thresholds);

/** What the heatmap's banner says when it is shown the estimate's figures. */
function heatmapStatus(e: ModelEstimate): string {
  const status = verdict(estimateToResult(e), undefined, THRESHOLDS, traitsOf(e)).status;
  return status === 'unknown' ? 'healthy' : status;
}

const lintStatus = (ids: string[]): string =>
  ids.includes('vanishing-gradient') ? 'vanishing' : ids.includes('exploding-gradient') ? 'exploding' : 'healthy';

describe('the heatmap verdict and lint findings agree', () => {
  it('on every model of examples/', () => {
    const files = fg.sync('examples/**/*', { cwd: ROOT, onlyFiles: true }).filter((f) => fileKind(f)).sort();
    assert.ok(files.length > 10, 'the examples are found');
    let models = 0;
    for (const rel of files) {
      const result = lint(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'));
      for (const e of result.estimates) {
        models++;
        const ids = result.diagnostics.filter((d) => d.model === e.model.name).map((d) => d.ruleId);
        assert.equal(heatmapStatus(e), lintStatus(ids), `${rel}: ${e.model.name}`);
      }
    }
    assert.ok(models >= files.length, `${models} models`);
  });

  it('on every model of the calibration set', () => {
    const disagree: string[] = [];
    for (const model of calibrationModels()) {
      const ctx = ruleContext(model);
      const ids = lintGraph(model, ctx).map((f) => f.ruleId);
      if (heatmapStatus(ctx.estimate) !== lintStatus(ids)) disagree.push(`${model.name}: heatmap ${heatmapStatus(ctx.estimate)}, lint ${lintStatus(ids)}`);
    }
    assert.deepEqual(disagree, []);
  });
});
