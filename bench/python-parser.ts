// Which Python parser the PyTorch/Keras front ends use (issue 15): @lezer/python (pure JS) or
// web-tree-sitter + tree-sitter-python (WASM). Measures, in one process:
//  - speed: median parse time of a generated 2,000-line PyTorch file;
//  - robustness on half-typed code: the file cut at many points, and the file with an
//    unclosed call inserted into one class; counts the classes before / around the damage
//    that still parse as clean class definitions (no error node inside);
//  - bundle size: esbuild's minified bundle of each parser (+ the .wasm files it must ship).
// Run by hand (not part of `npm run bench`, tree-sitter is a dev dependency only):
//   npx tsx bench/python-parser.ts
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { parser as lezer } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import { Parser, Language, type Node as TsNode } from 'web-tree-sitter';
import { generatedPythonFile } from './lib/generatedPythonFile';
import { median } from './lib/median';

const root = path.join(__dirname, '..');

function timeMs(run: () => void, rounds: number): number {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

/** Names of the classes that parse cleanly (a class node with no error inside). */
type CleanClasses = (text: string) => Set<string>;

function lezerClean(text: string): Set<string> {
  const clean = new Set<string>();
  const top = lezer.parse(text).topNode;
  for (let c: SyntaxNode | null = top.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'ClassDefinition') continue;
    let bad = false;
    c.toTree().iterate({ enter: (n) => { if (n.type.isError) bad = true; } });
    const name = c.getChild('VariableName');
    if (!bad && name) clean.add(text.slice(name.from, name.to));
  }
  return clean;
}

function treeSitterClean(parser: Parser): CleanClasses {
  return (text) => {
    const clean = new Set<string>();
    const tree = parser.parse(text);
    if (!tree) return clean;
    for (const c of tree.rootNode.namedChildren as TsNode[]) {
      if (c?.type !== 'class_definition' || c.hasError) continue;
      const name = c.childForFieldName('name');
      if (name) clean.add(name.text);
    }
    tree.delete();
    return clean;
  };
}

/** Class names in order with their start offsets, from the generator's regular layout. */
function classStarts(text: string): { name: string; at: number }[] {
  return [...text.matchAll(/^class (\w+)/gm)].map((m) => ({ name: m[1], at: m.index ?? 0 }));
}

/**
 * Cut at `cuts` evenly spread points: every class wholly before the cut should still parse
 * clean. Unclosed call inserted into one class's __init__: every other class should.
 * Returns the fraction of expected clean classes found clean, for each damage.
 */
function robustness(text: string, clean: CleanClasses, cuts: number): { cut: number; unclosed: number } {
  const classes = classStarts(text);
  let want = 0;
  let got = 0;
  for (let i = 1; i <= cuts; i++) {
    const at = Math.floor((text.length * i) / (cuts + 1));
    const expected = classes.filter((c, k) => (classes[k + 1]?.at ?? text.length) <= at);
    const found = clean(text.slice(0, at));
    want += expected.length;
    got += expected.filter((c) => found.has(c.name)).length;
  }
  let wantU = 0;
  let gotU = 0;
  for (let k = 0; k < classes.length; k += Math.max(1, Math.floor(classes.length / cuts))) {
    const insertAt = text.indexOf('super().__init__()\n', classes[k].at);
    if (insertAt < 0) continue;
    const broken = text.slice(0, insertAt) + 'self.extra = nn.Linear(64, \n        ' + text.slice(insertAt);
    const found = clean(broken);
    const others = classes.filter((_, j) => j !== k);
    wantU += others.length;
    gotU += others.filter((c) => found.has(c.name)).length;
  }
  return { cut: got / Math.max(want, 1), unclosed: gotU / Math.max(wantU, 1) };
}

async function bundleKiB(contents: string): Promise<number> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents.length / 1024;
}

async function main(): Promise<void> {
  const text = generatedPythonFile(2000);
  await Parser.init();
  const ts = new Parser();
  const wasm = path.join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm');
  ts.setLanguage(await Language.load(wasm));
  const lezerParse = () => lezer.parse(text);
  const tsParse = () => ts.parse(text)?.delete();
  for (let i = 0; i < 20; i++) {
    lezerParse();
    tsParse();
  }
  const lines = text.split('\n').length;
  const lz = timeMs(lezerParse, 31);
  const tsm = timeMs(tsParse, 31);
  const rLz = robustness(text, lezerClean, 40);
  const rTs = robustness(text, treeSitterClean(ts), 40);
  const sizeLz = await bundleKiB("import { parser } from '@lezer/python'; console.log(parser.parse('x = 1').length);");
  const sizeTs = await bundleKiB("import { Parser } from 'web-tree-sitter'; Parser.init().then(() => console.log(new Parser()));");
  const wasmKiB = (fs.statSync(wasm).size + fs.statSync(path.join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm')).size) / 1024;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  console.log(`python parsers on a generated ${lines}-line PyTorch file (median of 31)`);
  console.log('parser                 parse ms  clean classes (cut / unclosed call)  bundle KiB');
  console.log(`@lezer/python          ${lz.toFixed(2).padStart(8)}  ${pct(rLz.cut).padStart(4)} / ${pct(rLz.unclosed).padEnd(28)}  ${sizeLz.toFixed(0)}`);
  console.log(`web-tree-sitter+python ${tsm.toFixed(2).padStart(8)}  ${pct(rTs.cut).padStart(4)} / ${pct(rTs.unclosed).padEnd(28)}  ${sizeTs.toFixed(0)} + ${wasmKiB.toFixed(0)} wasm`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
