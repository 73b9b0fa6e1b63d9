// Every integration test file, in the order they run. @vscode/test-cli loads the bundle
// of this file directly; index.ts loads it inside its own mocha.
import './activation.test';
import './diagnostics.test';
import './hoverAndWorkspace.test';
import './codeActions.test';
import './probe.test';
import './screenshot.test';
