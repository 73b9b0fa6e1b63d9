// core/modelFiles.ts: the one place deciding which files are model files, for the CLI's walk,
// the extension's documents and its "Lint workspace".
import { strict as assert } from 'assert';
import * as path from 'path';
import fg from 'fast-glob';
import { fileKind, Gitignores, languageKind, MODEL_FILE_GLOB, notAModel } from '../../src/core/modelFiles';
import { tempTree } from '../lib/tempTree';

describe('model files', () => {
  it('globs exactly the files a front end reads', () => {
    const names = ['a.js', 'b.mjs', 'c.cjs', 'd.jsx', 'e.ts', 'f.mts', 'g.cts', 'h.tsx', 'i.yaml', 'j.yml', 'k.json', 'l.py', 'm.md', 'n.ipynb'];
    const root = tempTree('model-files', Object.fromEntries(names.map((n) => [n, ''])));
    const globbed = fg.sync(MODEL_FILE_GLOB, { cwd: root }).sort();
    assert.deepEqual(globbed, names.filter((n) => fileKind(n)).sort());
    assert.equal(globbed.length, 12);
  });

  it('maps editor languages to the same kinds as file names', () => {
    assert.equal(languageKind('typescriptreact'), fileKind('x.tsx'));
    assert.equal(languageKind('yaml'), fileKind('x.yml'));
    assert.equal(languageKind('jsonc'), fileKind('model.json'));
    assert.equal(languageKind('python'), fileKind('x.py'));
    assert.equal(languageKind('markdown'), undefined);
  });

  it('says why a file is not a model, with a kind to decide on', () => {
    assert.deepEqual(notAModel('tfjs', 'src/util.js', 'export const x = 1;'), { kind: 'not-a-model', message: 'no TensorFlow.js layers in it' });
    assert.equal(notAModel('tfjs', 'src/m.js', "import * as tf from '@tensorflow/tfjs';")?.kind, undefined);
    assert.equal(notAModel('tfjs', 'node_modules/@tensorflow/tfjs/dist/tf.js', 'tfjs')?.kind, 'dependency');
    assert.equal(notAModel('yaml', 'ci.yml', 'jobs:\n  test: {}\n')?.kind, 'not-a-model');
    assert.equal(notAModel('yaml', 'yolo.yaml', 'nc: 80\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n'), undefined);
    assert.equal(notAModel('model.json', 'tsconfig.json', '{}')?.kind, 'not-a-model');
    assert.equal(notAModel('model.json', 'web/model.json', '{}'), undefined);
    assert.equal(notAModel('python', 'setup.py', 'from setuptools import setup\n')?.kind, 'not-a-model');
    assert.equal(notAModel('python', 'net.py', 'import torch.nn as nn\n'), undefined);
  });

  it('reads .gitignore rules relative to their folder, and leaves dependencies out', () => {
    const root = '/ws';
    const ignored = new Gitignores([
      { dir: root, text: 'build/\n*.gen.js\n' },
      { dir: path.join(root, 'sub'), text: 'local.ts\n' },
    ]);
    assert.equal(ignored.ignores(path.join(root, 'build/m.js')), true);
    assert.equal(ignored.ignores(path.join(root, 'src/a.gen.js')), true);
    assert.equal(ignored.ignores(path.join(root, 'sub/local.ts')), true);
    assert.equal(ignored.ignores(path.join(root, 'local.ts')), false, 'sub/.gitignore does not reach its parent');
    assert.equal(ignored.ignores(path.join(root, 'node_modules/x/m.js')), true);
    assert.equal(ignored.ignores(path.join(root, 'src/m.js')), false);
  });
});
