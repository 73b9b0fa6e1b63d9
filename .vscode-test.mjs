// @vscode/test-cli: the same integration suite as the offline harness (test/vscode/run.js),
// in a desktop VS Code. `npm run test:vscode-electron` builds it and runs it; it downloads
// VS Code unless GRADLINT_VSCODE_PATH names an installed one.
import { defineConfig } from '@vscode/test-cli';

const fromPath = process.env.GRADLINT_VSCODE_PATH;

export default defineConfig({
  label: 'integration',
  files: 'out/vscode-test/all.test.js',
  workspaceFolder: 'out/vscode-test/workspace',
  ...(fromPath ? { useInstallation: { fromPath } } : { version: 'stable' }),
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60_000, color: false },
});
