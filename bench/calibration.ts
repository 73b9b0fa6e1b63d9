// Calibration of the static estimate against the probe (issue 3, "done when"): tfjs models
// varying depth, activation, initialiser, normalisation, skips and width, each measured under
// the contract (batch 16, x ~ N(0, 1), one backward pass, cpu backend) and compared with
// estimateModel. Prints the table, the share of depth ratios within ±1 decade and the share
// of agreeing vanishing / exploding / healthy verdicts.
//   npx tsx bench/calibration.ts [--seed N] [--filter substring] [--draws 5] [--detail]
// The measured figures are the medians over --draws probe seeds, and a recurrent model's class
// includes its gradient through time (see bench/lib/compare.ts and bench/lib/throughTime.ts).
import { parseArgs } from 'util';
import { compareModels } from './lib/compare';
import { calibrationModels } from './lib/calibrationModels';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, filter: { type: 'string', default: '' }, detail: { type: 'boolean', default: false }, draws: { type: 'string', default: '5' } } });
  const seed = Number(values.seed) || 1;
  await compareModels(calibrationModels().filter((m) => m.name.includes(values.filter)), { seed, backend: 'cpu', detail: values.detail, draws: Number(values.draws) || 5 });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
