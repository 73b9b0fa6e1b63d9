import { strict as assert } from 'assert';
import { calibrationRows, withinDecade } from '../../../bench/python-calibration';

// The estimate on 86 generated PyTorch models (MLPs, residual MLPs, conv stacks, RNN/LSTM/GRU;
// every activation with and without batch norm) against PyTorch's measurements of the probe
// contract, committed in test/fixtures/python/calibration/ by bench/pytorch/calibrate.py.
describe('Python front end: estimate against PyTorch measurements', () => {
  const rows = calibrationRows();

  it('reads every generated model', () => {
    assert.equal(rows.length, 86);
  });

  it('predicts every depth ratio within a decade and the same verdict as PyTorch', () => {
    const off = rows.filter((r) => !withinDecade(r) || r.estimated.verdict !== r.measured.verdict);
    assert.deepEqual(off.map((r) => `${r.name}: ${JSON.stringify(r)}`), []);
  });

  it('tells vanishing from healthy where PyTorch does (deep sigmoid vanishes, batch norm heals it)', () => {
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.equal(byName.get('Mlp8x64Sigmoid')?.estimated.verdict, 'vanishing');
    assert.equal(byName.get('Mlp8x64SigmoidBn')?.estimated.verdict, 'healthy');
  });
});
