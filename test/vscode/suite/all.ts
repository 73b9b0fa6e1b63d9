// Every integration test file, in the order they run (the screenshot early, while only
// its file has findings). @vscode/test-cli loads the bundle
// of this file directly; index.ts loads it inside its own mocha.
import './activation.test';
import './screenshot.test';
import './diagnostics.test';
import './tfjs.test';
import './hoverAndWorkspace.test';
import './codeActions.test';
import './probe.test';
import './trust.test';
import './watchdog.test';
