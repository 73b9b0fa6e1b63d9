// Held-out check of the static estimate (issue 3: "we will check the same on models you have
// not seen"): a seeded random generator of tfjs architectures the calibration set does not
// contain — depth 2–30, width 4–256, every tfjs activation (also as leakyReLU / prelu / elu /
// reLU / thresholdedReLU / activation layers), initialisers with odd scales, batch / layer
// normalisation and dropout at random places, add / average / multiply / concatenate skips,
// 1d / 2d / separable / depthwise / transposed convolutions with pooling, embeddings, and
// simpleRNN / LSTM / GRU stacks (bidirectional, 5–100 steps) — each estimated and measured
// under the contract, with the calibration bench's table and summary. About 10 s on wasm,
// under a minute on cpu; run by hand, not part of `npm run bench`:
//   npx tsx bench/heldout.ts [--count 60] [--seed 1] [--filter substring] [--backend wasm|cpu] [--draws 5] [--detail]
// --seed picks both the architectures and the probe's seed; the measured figures are the medians
// over --draws probe seeds (seed, seed + 1000, ...), each a new draw of weights, inputs and targets;
// a recurrent model's class is also vanishing when its gradient through time is (bench/lib/throughTime.ts).
import type { BackendName } from '../src/core/gradientResult';
import { parseArgs } from 'util';
import { compareModels } from './lib/compare';
import { heldOutModels } from './lib/heldOutModels';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      count: { type: 'string', default: '60' },
      filter: { type: 'string', default: '' },
      backend: { type: 'string', default: 'wasm' },
      detail: { type: 'boolean', default: false },
      draws: { type: 'string', default: '5' },
    },
  });
  const seed = Number(values.seed) || 1;
  const models = heldOutModels(Number(values.count) || 60, seed).filter((m) => m.name.includes(values.filter));
  await compareModels(models, { seed, backend: values.backend as BackendName, detail: values.detail, draws: Number(values.draws) || 5 });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
