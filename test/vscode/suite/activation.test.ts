import { strict as assert } from 'assert';
import * as vscode from 'vscode';

describe('activation', () => {
  it('activates', async () => {
    const ext = vscode.extensions.getExtension('gradlint.gradlint');
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
