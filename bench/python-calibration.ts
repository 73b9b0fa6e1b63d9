// The estimate on PyTorch code against PyTorch itself (issue 15): gradlint reads the generated
// models of test/fixtures/python/calibration/models.py and estimates them; PyTorch's own
// measurements of the probe contract on the same models (median of seeds 0-4) come from
// pytorch.json, written by `python3 bench/pytorch/calibrate.py` (tests and benches never need
// Python). Reports, per model, the depth ratio and first-layer gradient (log10) and the
// vanishing / exploding / healthy verdict, then how many agree within a decade.
//   npm run bench   or   npx tsx bench/python-calibration.ts
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../src/core/extract';
import { estimateModel } from '../src/core/estimate/estimate';
import { verdictOf } from './lib/compare';
import { figuresOfEstimate, traitsOf } from '../src/core/judge';

interface Measured {
  depthRatioLog10: number | null;
  firstGradientLog10: number;
  maxActivationLog10: number;
}

export interface CalibrationRow {
  name: string;
  estimated: { ratio: number | null; first: number | null; verdict: string };
  measured: { ratio: number | null; first: number; verdict: string };
}

// bench/ under tsx, dist/bench/ when bundled: the repository root is the one with esbuild.js.
const root = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].find((d) => fs.existsSync(path.join(d, 'esbuild.js'))) ?? process.cwd();
const dir = path.join(root, 'test', 'fixtures', 'python', 'calibration');

/** Every generated model: gradlint's estimate next to PyTorch's measurement. */
export function calibrationRows(): CalibrationRow[] {
  const file = path.join(dir, 'models.py');
  const measured = JSON.parse(fs.readFileSync(path.join(dir, 'pytorch.json'), 'utf8')).models as Record<string, Measured>;
  const rows: CalibrationRow[] = [];
  for (const model of extractModels(file, fs.readFileSync(file, 'utf8')).models) {
    const m = measured[model.name];
    if (!m) continue;
    const e = estimateModel(model);
    const weighted = e.layers.filter((l) => l.gradientRms !== null);
    const first = weighted[0]?.gradientRms;
    const firstLog = first === undefined || first === null ? null : Math.log10(first);
    // PyTorch's figures, judged with the model's traits as lint judges the estimate's.
    const measuredFigures = {
      depthRatioLog10: m.depthRatioLog10,
      firstGradientRmsLog10: m.firstGradientLog10,
      maxActivationRmsLog10: m.maxActivationLog10,
      nonFinite: [m.depthRatioLog10, m.firstGradientLog10, m.maxActivationLog10].some((x) => Number.isNaN(x)),
      traits: traitsOf(e),
    };
    rows.push({
      name: model.name,
      estimated: { ratio: e.depthRatioLog10, first: firstLog, verdict: verdictOf(figuresOfEstimate(e)) },
      measured: { ratio: m.depthRatioLog10, first: m.firstGradientLog10, verdict: verdictOf(measuredFigures) },
    });
  }
  return rows;
}

export const withinDecade = (r: CalibrationRow): boolean =>
  r.estimated.ratio !== null && r.measured.ratio !== null && Math.abs(r.estimated.ratio - r.measured.ratio) <= 1;

function main(): void {
  const rows = calibrationRows();
  const f = (x: number | null) => (x === null ? 'null' : x.toFixed(2)).padStart(7);
  console.log(`${'model'.padEnd(24)} ratio est    meas  first est    meas  verdict est / PyTorch`);
  for (const r of rows) {
    const mark = withinDecade(r) && r.estimated.verdict === r.measured.verdict ? ' ' : '*';
    console.log(`${mark}${r.name.padEnd(23)} ${f(r.estimated.ratio)} ${f(r.measured.ratio)}    ${f(r.estimated.first)} ${f(r.measured.first)}  ${r.estimated.verdict} / ${r.measured.verdict}`);
  }
  const decade = rows.filter(withinDecade).length;
  const verdicts = rows.filter((r) => r.estimated.verdict === r.measured.verdict).length;
  console.log(`${rows.length} PyTorch models: depth ratio within a decade of PyTorch ${decade}/${rows.length}, same verdict ${verdicts}/${rows.length}`);
}

if (require.main === module) main();
