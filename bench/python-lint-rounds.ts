// Rounds of linting (or of the bare @lezer/python parse of) the generated 2,000-line PyTorch
// file, for counting instructions with callgrind whatever the machine's load. The measured
// rounds run inside one vm.runInThisContext call, which callgrind can collect alone:
//   npm run build
//   valgrind --tool=callgrind --collect-atstart=no \
//     --toggle-collect='node::contextify::ContextifyScript::RunInContext*' \
//     node --single-threaded dist/bench/python-lint-rounds.js lint 10 30
// (mode, measured rounds, warm-up rounds). `--single-threaded` keeps the compiler and the
// collector on the main thread, inside the count; `parse` instead of `lint` counts the baseline.
// Thirty warm-up rounds leave the optimising compiler little to do in the measured ones (after
// ten, a third of the count was TurboFan compiling, and it moved with every change).
import * as vm from 'vm';
import { parser } from '@lezer/python';
import { lint, DEFAULT_CONFIG } from '../src/lint/index';
import { generatedPythonFile } from './lib/generatedPythonFile';

const [mode = 'lint', rounds = '10', warmUp = '10'] = process.argv.slice(2);
const text = generatedPythonFile(2000);
const run = mode === 'parse' ? () => parser.parse(text).length : () => lint('generated-model.py', text, DEFAULT_CONFIG).diagnostics.length;
let checksum = 0;
for (let i = 0; i < Number(warmUp); i++) checksum += run();
// The script sees only globals: the measured loop is handed over as one.
Object.assign(globalThis, {
  pythonLintRounds: (): void => {
    for (let i = 0; i < Number(rounds); i++) checksum += run();
  },
});
vm.runInThisContext('pythonLintRounds()');
console.log(`python ${mode} rounds: ${warmUp} warm-up + ${rounds} measured (checksum ${checksum})`);
