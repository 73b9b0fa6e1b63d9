import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { SCHEMA } from '../../../src/lint/index';
import { RULES } from '../../../src/rules/index';
import { EXTENSION_ID } from './helpers';

describe('activation and settings', () => {
  it('activates, and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('gradlint.lintWorkspace'));
    assert.ok(commands.includes('gradlint.probeGradients'));
  });

  it('offers a setting for every rule and every threshold, with the defaults the rules declare', () => {
    const config = vscode.workspace.getConfiguration('gradlint');
    for (const [key, { default: value }] of Object.entries(SCHEMA.thresholds)) {
      assert.equal(config.inspect(`thresholds.${key}`)?.defaultValue, value, `gradlint.thresholds.${key}`);
    }
    const ruleSettings = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties['gradlint.rules'].properties;
    assert.deepEqual(Object.keys(ruleSettings).sort(), RULES.map((r) => r.id).sort());
    for (const key of ['enable', 'lintOnType', 'debounceMs', 'yolo.scale', 'probe.steps', 'probe.seed', 'probe.batch', 'probe.size', 'probe.backend', 'probe.timeoutSeconds']) {
      assert.notEqual(config.inspect(key)?.defaultValue, undefined, `gradlint.${key}`);
    }
  });
});
