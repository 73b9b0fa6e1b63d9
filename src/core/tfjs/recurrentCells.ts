// tf.layers.rnn({cell}) and tf.layers.stackedRNNCells({cells}) read as the recurrent layers
// they equal: an RNN over one LSTM cell is an LSTM layer; over stacked cells it is one
// recurrent layer per cell, each but the last returning its whole sequence (at every
// step each cell feeds the next, which is what stacked layers compute too). The rest of
// gradlint (estimate, rules, probe) then knows them as it knows lstm, gru and simpleRNN.

import type { Value } from '../graph';
import { applyLayerDefaults } from '../layerDefaults';
import type { LayerRec } from './graphBuilder';
import type { AV } from './values';

const LAYER_OF_CELL = new Map([
  ['simpleRNNCell', 'simpleRNN'],
  ['lstmCell', 'lstm'],
  ['gruCell', 'gru'],
  ['convLstm2dCell', 'convLstm2d'],
]);
/** RNN settings that belong to the layer, not the cell. */
const RNN_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'];
/** Settings that give the first layer its input. */
const INPUT_KEYS = ['inputShape', 'batchInputShape', 'batchSize', 'inputDim', 'inputLength'];

/**
 * The cells a `cell` or `cells` value holds, in order: a cell, a stackedRNNCells, or an
 * array of them; undefined when any of them is not a known cell.
 */
export function cellsOf(v: AV): LayerRec[] | undefined {
  if (v.k === 'arr') {
    const out: LayerRec[] = [];
    for (const item of v.items) {
      const cells = cellsOf(item);
      if (!cells) return undefined;
      out.push(...cells);
    }
    return out.length ? out : undefined;
  }
  if (v.k !== 'layer') return undefined;
  if (v.layer.kind === 'stackedRNNCells') return v.layer.cells;
  return LAYER_OF_CELL.has(v.layer.kind) ? [v.layer] : undefined;
}

/** What each equivalent layer is made of; `make` creates a layer record. */
export function rnnAsLayers(rnn: LayerRec, cells: LayerRec[], make: (kind: string, cell: LayerRec) => LayerRec): LayerRec[] {
  return cells.map((cell, i) => {
    const kind = LAYER_OF_CELL.get(cell.kind)!;
    const last = i === cells.length - 1;
    const own = (key: string): boolean => RNN_KEYS.includes(key) || (i === 0 && INPUT_KEYS.includes(key));
    const raw: Record<string, Value> = { ...cell.config };
    const unknown: Record<string, string> = { ...cell.unknown };
    for (const [key, value] of Object.entries(rnn.config)) if (own(key)) raw[key] = value;
    for (const [key, why] of Object.entries(rnn.unknown)) if (own(key)) unknown[key] = why;
    if (!last) {
      raw.returnSequences = true;
      raw.returnState = false;
      delete unknown.returnSequences;
    }
    const rec = make(kind, cell);
    rec.config = applyLayerDefaults(kind, raw, { unknownKeys: Object.keys(unknown) });
    rec.unknown = unknown;
    rec.props = { ...cell.props, ...Object.fromEntries(Object.entries(rnn.props).filter(([key]) => own(key))) };
    if (cell.configRange) rec.configRange = cell.configRange;
    if (last && rnn.explicitName !== undefined) rec.explicitName = rnn.explicitName;
    rec.note = `tf.layers.rnn over ${cells.length > 1 ? `cell ${i + 1} of ${cells.length}, ` : ''}\`${cell.kind}\`, read as the ${kind} layer it equals`;
    return rec;
  });
}
