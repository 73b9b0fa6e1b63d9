import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../../src/core/extract';
import { readProjectFile } from '../../../src/lint/readFile';

// A YOLOv5-format file of a project whose models/common.py defines a custom block: the unknown
// modules are looked up in the project's conventional module files (read, never run), and the
// info message says where each was found or where gradlint looked.
const PROJECT = path.join(__dirname, '../../fixtures/yolo-project');
const YAML = path.join(PROJECT, 'models/hub/yolov5s-se.yaml');

describe('YOLO YAML modules from the project’s own Python', () => {
  const text = fs.readFileSync(YAML, 'utf8');

  it('says which unknown module is a class of the project (file and line) and where the others were looked for', () => {
    const result = extractModels(YAML, text, { readFile: readProjectFile });
    assert.deepEqual(
      result.problems.map((p) => `${p.severity}: ${p.message}`),
      [
        'info: 2 of 6 rows unknown (SEBlock, Mystery): the estimate treats them as identity. SEBlock is a class of the project (../common.py:17) ' +
          "that gradlint does not expand yet. Mystery is not defined in the project's module files (../common.py).",
      ],
    );
    const unknown = result.models[0].unknownRows!;
    assert.deepEqual(unknown.found, [{ module: 'SEBlock', file: path.join(PROJECT, 'models/common.py'), line: 17 }]);
    assert.deepEqual(unknown.searched, [path.join(PROJECT, 'models/common.py')]);
  });

  it('says that no module file of the project exists when none is found', () => {
    const result = extractModels(YAML, text, { readFile: () => undefined });
    assert.match(result.problems[0].message, /SEBlock, Mystery are not defined in the project: none of its conventional module files \(models\/common\.py, .*\) is in this folder or the 4 above it\.$/);
    assert.deepEqual(result.models[0].unknownRows!.searched, []);
  });

  it('reads no file when the host gives no reader (the message stays as it was)', () => {
    const result = extractModels(YAML, text);
    assert.equal(result.problems[0].message, '2 of 6 rows unknown (SEBlock, Mystery): the estimate treats them as identity.');
    assert.equal(result.models[0].unknownRows!.searched, undefined);
  });
});
