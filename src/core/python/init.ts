// nn.init.*_ calls as tfjs initializer specs, with PyTorch's fans for the module the
// parameter belongs to. Normal distributions become randomNormal with the computed standard
// deviation (PyTorch's are untruncated; tfjs's varianceScaling 'normal' is truncated).

import type { Value } from '../graph';
import { torchLayer } from './torchModules';
import { gain } from './library';
import { lastName, type ModuleInstance, type PyValue } from './values';

const n = (v: PyValue | undefined, fallback: number): number => (v?.t === 'num' ? v.v : fallback);
const s = (v: PyValue | undefined, fallback: string): string => (v?.t === 'str' ? v.v : fallback);

export function initializerFor(name: string, m: ModuleInstance, param: string, args: PyValue[], kw: Map<string, PyValue>): Value | undefined {
  const arg = (i: number, key: string) => kw.get(key) ?? args[i];
  const short = lastName(m.className);
  const spec = torchLayer(short, m.params);
  // A bias's fans are not its own: PyTorch refuses fan computations on 1-d tensors.
  const fanIn = param.startsWith('weight') ? spec.fanIn : undefined;
  const fanOut = param.startsWith('weight') ? spec.fanOut : undefined;
  switch (name.replace(/_$/, '')) {
    case 'zeros':
      return { name: 'zeros' };
    case 'ones':
      return { name: 'ones' };
    case 'constant': {
      const v = n(arg(0, 'val'), NaN);
      if (Number.isNaN(v)) return undefined;
      return v === 0 ? { name: 'zeros' } : v === 1 ? { name: 'ones' } : { name: 'constant', value: v };
    }
    case 'normal':
      return { name: 'randomNormal', mean: n(arg(0, 'mean'), 0), stddev: n(arg(1, 'std'), 1) };
    case 'uniform':
      return { name: 'randomUniform', minval: n(arg(0, 'a'), 0), maxval: n(arg(1, 'b'), 1) };
    case 'trunc_normal': {
      const std = n(arg(1, 'std'), 1);
      const mean = n(arg(0, 'mean'), 0);
      // PyTorch truncates at absolute bounds (±2 by default): far beyond a small std, no truncation at all.
      return Math.abs(n(arg(3, 'b'), 2)) >= 3 * std ? { name: 'randomNormal', mean, stddev: std } : { name: 'truncatedNormal', mean, stddev: std };
    }
    case 'orthogonal':
      return { name: 'orthogonal', gain: n(arg(0, 'gain'), 1) };
    case 'xavier_uniform':
    case 'xavier_normal': {
      if (fanIn === undefined || fanOut === undefined) return undefined;
      const g = n(arg(0, 'gain'), 1);
      const std = g * Math.sqrt(2 / (fanIn + fanOut));
      return name.startsWith('xavier_uniform') ? { name: 'randomUniform', minval: -std * Math.sqrt(3), maxval: std * Math.sqrt(3) } : { name: 'randomNormal', mean: 0, stddev: std };
    }
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const mode = s(arg(1, 'mode'), 'fan_in');
      const fan = mode === 'fan_out' ? fanOut : fanIn;
      if (fan === undefined) return undefined;
      const std = gain(s(arg(2, 'nonlinearity'), 'leaky_relu'), n(arg(0, 'a'), 0)) / Math.sqrt(fan);
      return name.startsWith('kaiming_uniform') ? { name: 'randomUniform', minval: -std * Math.sqrt(3), maxval: std * Math.sqrt(3) } : { name: 'randomNormal', mean: 0, stddev: std };
    }
    default:
      return undefined;
  }
}
