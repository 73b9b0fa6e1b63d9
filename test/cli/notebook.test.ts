import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tempTree } from '../lib/tempTree';
import { gradlint, gradlintIn, root } from './gradlint';

// Jupyter notebooks on the command line: cells read in order, findings placed in the cell
// (text) and in the file's JSON lines (json, SARIF), --fix rewriting only the cells' sources.
const FIXTURE = 'test/fixtures/python/notebook/mlp.ipynb';
const notebookText = fs.readFileSync(path.join(root, FIXTURE), 'utf8');

interface Message {
  ruleId: string;
  line: number;
  column: number;
  cell?: { number: number; line: number; column: number };
}

describe('gradlint on Jupyter notebooks', function () {
  this.timeout(120000);

  it('lint shows findings at the cell and its line, a class of one cell built in the next', () => {
    const r = gradlint('lint', FIXTURE);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /cell3:7:27 +warning +Vanishing gradient in Deep/);
    // 5 tanh rows lose 1.4 decades: information (a warning only past the flow threshold)
    assert.match(r.stdout, /cell4:2:24 +info +5 consecutive tanh/);
  });

  it('json places each finding on the notebook file\'s own line, with the cell alongside', () => {
    const [file] = JSON.parse(gradlint('lint', FIXTURE, '--format', 'json').stdout) as { messages: Message[] }[];
    const vanishing = file.messages.find((m) => m.ruleId === 'vanishing-gradient');
    assert.deepEqual(vanishing?.cell, { number: 3, line: 7, column: 27 });
    const jsonLine = notebookText.split('\n')[(vanishing?.line ?? 0) - 1];
    assert.equal(jsonLine.slice((vanishing?.column ?? 0) - 1), 'nn.Sigmoid())\\n",');
  });

  it('SARIF regions are lines of the .ipynb file, the cell in the properties', () => {
    const sarif = JSON.parse(gradlint('lint', FIXTURE, '--format', 'sarif').stdout);
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'vanishing-gradient');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, FIXTURE);
    assert.deepEqual(result.properties, { notebookCell: 3, cellLine: 7, cellColumn: 27 });
    assert.equal(notebookText.split('\n')[result.locations[0].physicalLocation.region.startLine - 1].trim(), '"            layers.append(nn.Sigmoid())\\n",');
  });

  it('--fix rewrites the fixed cells\' source lines and nothing else of the file', () => {
    const dir = tempTree('notebook-fix', { 'mlp.ipynb': notebookText });
    const r = gradlintIn(dir, 'lint', '--fix', 'mlp.ipynb');
    const written = fs.readFileSync(path.join(dir, 'mlp.ipynb'), 'utf8');
    const changed = written.split('\n').filter((line, i) => line !== notebookText.split('\n')[i]);
    assert.deepEqual(changed, [
      '    "            layers.append(nn.SELU())\\n",',
      ...Array(5).fill('    "    nn.Linear(16, 16), nn.ELU(),\\n",'),
    ]);
    // The magics of the import cell are kept, and the notebook still lints clean of warnings.
    assert.ok(written.includes('"%matplotlib inline\\n",\n    "!pip install torch\\n",'));
    assert.match(r.stdout, /\(0 errors, 0 warnings, 1 info\)/);
  });

  it('a notebook that is not JSON is a clear error, and a directory walk finds notebooks', () => {
    const dir = tempTree('notebook-bad', { 'broken.ipynb': '{"cells": [', 'sub/mlp.ipynb': notebookText });
    const bad = gradlintIn(dir, 'lint', 'broken.ipynb');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /not a Jupyter notebook: the file is not valid JSON/);
    const walked = JSON.parse(gradlintIn(dir, 'lint', '.', '--format', 'json').stdout) as { filePath: string; messages: Message[] }[];
    assert.deepEqual(walked.map((f) => path.basename(f.filePath)).sort(), ['broken.ipynb', 'mlp.ipynb']);
    assert.deepEqual(walked.find((f) => f.filePath.endsWith('broken.ipynb'))?.messages, []);
  });

  it('graph shows each cell\'s models under the cell; estimate reads the cells as one program', () => {
    const graph = gradlint('graph', FIXTURE, '--format', 'json');
    assert.equal(graph.status, 0, graph.stderr);
    const files = JSON.parse(graph.stdout) as { file: string; models: { name: string; line: number }[] }[];
    assert.deepEqual(files.map((f) => [f.file, f.models.map((m) => `${m.name}@${m.line}`)]), [
      [`${FIXTURE}#cell3`, ['Deep@1']],
      [`${FIXTURE}#cell4`, ['net@1']],
    ]);
    const estimate = JSON.parse(gradlint('estimate', FIXTURE, '--format', 'json').stdout);
    assert.deepEqual(estimate.models.map((m: { name: string }) => m.name), ['net', 'Deep']);
  });
});
