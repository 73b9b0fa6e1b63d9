// Rounds of linting (or of the bare @lezer/python parse of) the generated 2,000-line PyTorch
// file, for counting instructions with callgrind whatever the machine's load: the instructions
// of N rounds are the difference of two runs, one of W + N rounds and one of W.
//   npm run build
//   valgrind --tool=callgrind node --single-threaded dist/bench/python-lint-rounds.js lint 10 10
//   valgrind --tool=callgrind node --single-threaded dist/bench/python-lint-rounds.js lint 0 10
// `--single-threaded` keeps the compiler and the collector on the main thread, so that the
// counts repeat; `parse` instead of `lint` counts the baseline.
import { parser } from '@lezer/python';
import { lint, DEFAULT_CONFIG } from '../src/lint/index';
import { generatedPythonFile } from './lib/generatedPythonFile';

const [mode = 'lint', rounds = '10', warmUp = '10'] = process.argv.slice(2);
const text = generatedPythonFile(2000);
const run = mode === 'parse' ? () => parser.parse(text).length : () => lint('generated-model.py', text, DEFAULT_CONFIG).diagnostics.length;
let checksum = 0;
for (let i = 0; i < Number(warmUp) + Number(rounds); i++) checksum += run();
console.log(`python ${mode} rounds: ${warmUp} warm-up + ${rounds} (checksum ${checksum})`);
