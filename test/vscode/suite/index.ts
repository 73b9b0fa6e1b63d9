// The test module of @vscode/test-electron's `run()` contract: VS Code loads it in the
// extension host (extensionTestsPath) and waits for the promise. Mocha runs inside;
// the report is printed and, for the offline harness (test/vscode/run.js), also written
// to the file named by GRADLINT_TEST_RESULT, which the harness prints.
import * as fs from 'fs';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.GRADLINT_TEST_GREP;
  if (grep) mocha.grep(grep);

  const output: string[] = [];
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const consoleLog = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    output.push(require('util').format(...args));
    consoleLog(...args);
  };

  // Defines describe/it as globals for the test files, as mocha.addFile would.
  mocha.suite.emit('pre-require', globalThis, 'all.ts', mocha);
  require('./all');

  const { failures, passes } = await new Promise<{ failures: number; passes: number }>((resolve) => {
    const runner = mocha.run((failures) => resolve({ failures, passes: runner.stats?.passes ?? 0 }));
  });
  base.consoleLog = consoleLog;
  const resultFile = process.env.GRADLINT_TEST_RESULT;
  if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ failures, passes, output: output.join('\n') + '\n' }));
  if (failures > 0) throw new Error(`${failures} VS Code integration test(s) failed`);
}
