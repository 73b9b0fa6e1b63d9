// The 2,000-line file the editor benches edit: 40 functions building 12-layer sigmoid MLPs
// (every model gets findings), each followed by 30 lines of unrelated constants.

/** The file, cut at `lines` lines. */
export function sigmoidModelFile(lines = 2000): string {
  const out = ["const tf = require('@tensorflow/tfjs');", ''];
  for (let m = 0; out.length < lines; m++) {
    out.push(`function buildModel${m}() {`, '  const model = tf.sequential();');
    out.push(`  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [32] }));`);
    for (let l = 0; l < 11; l++) out.push(`  model.add(tf.layers.dense({ units: ${32 + l}, activation: 'sigmoid' }));`);
    out.push('  model.add(tf.layers.dense({ units: 1 }));', '  // Compiled by the caller.', '  return model;', '}', '');
    for (let c = 0; c < 30; c++) out.push(`const setting${m}_${c} = ${c};`);
    out.push('');
  }
  return out.slice(0, lines).join('\n') + '\n';
}
