// Fixes on Python model code: text edits on the syntax tree around a layer's construction
// call (`nn.Sigmoid()`, `layers.Dense(64, activation='sigmoid')`), never regex on text.
// Each returns undefined when the code is not written in a shape the edit understands.

import { parser } from '@lezer/python';
import type { SyntaxNode, Tree } from '@lezer/common';
import type { TextEdit } from '../diagnostic';
import type { Layer } from '../graph';
import { withoutTrailingPoints } from './ast';
import { kerasKind } from './keras';
import { SIGNATURES, isActivationModule } from './torchModules';
import { nameTable } from '../nameTable';

// The last file's tree: a lint run asks for several fixes on one text.
const cache: { text?: string; tree?: Tree } = {};

function treeOf(text: string): Tree {
  if (cache.text !== text || !cache.tree) {
    cache.text = text;
    cache.tree = parser.parse(withoutTrailingPoints(text));
  }
  return cache.tree;
}

/** The call expression spanning exactly the layer's construction range. */
function constructionCall(text: string, layer: Layer): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = treeOf(text).resolveInner(layer.range.start, 1); n; n = n.parent) {
    if (n.from < layer.range.start) break;
    if (n.name === 'CallExpression' && n.from === layer.range.start && n.to === layer.range.end) return n;
  }
  return undefined;
}

/** `nn.` in `nn.Linear(...)`, `torch.nn.` in `torch.nn.Linear(...)`, '' for a bare name. */
function calleeParts(text: string, call: SyntaxNode): { prefix: string; name: string; nameNode: SyntaxNode } | undefined {
  const callee = call.firstChild;
  if (!callee) return undefined;
  if (callee.name === 'VariableName') return { prefix: '', name: text.slice(callee.from, callee.to), nameNode: callee };
  const prop = callee.getChild('PropertyName');
  if (callee.name !== 'MemberExpression' || !prop) return undefined;
  return { prefix: text.slice(callee.from, prop.from), name: text.slice(prop.from, prop.to), nameNode: prop };
}

/** Whether a construction is Keras's (`layers.Dense`, `keras.layers.LSTM`, a bare `Dense`) rather than torch.nn's. */
function isKeras(prefix: string, name: string): boolean {
  if (/keras|layers\.$/.test(prefix)) return true;
  if (/nn\.$/.test(prefix) || /^[a-z]/.test(name)) return false;
  return kerasKind(name) !== undefined && !SIGNATURES[name] && !isActivationModule(name);
}

/** A torch.nn or keras.layers class (not a class of the project, whose call only anchors its layers). */
const isLibraryLayer = (name: string): boolean => isActivationModule(name) || SIGNATURES[name] !== undefined || kerasKind(name) !== undefined;

const TORCH_ACTIVATION_CLASSES: Readonly<Record<string, string>> = nameTable({
  relu: 'ReLU', relu6: 'ReLU6', elu: 'ELU', selu: 'SELU', gelu: 'GELU', swish: 'SiLU', mish: 'Mish', tanh: 'Tanh',
  sigmoid: 'Sigmoid', softplus: 'Softplus', softsign: 'Softsign', leakyReLU: 'LeakyReLU', hardSwish: 'Hardswish',
});
const TORCH_FUNCTIONS: Readonly<Record<string, string>> = nameTable({ relu: 'relu', elu: 'elu', selu: 'selu', gelu: 'gelu', swish: 'silu', mish: 'mish', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', leakyReLU: 'leaky_relu' });
/** Options PyTorch modules do not have: nothing to write (an LSTM's forget-gate bias is set in init code). */
const NO_PYTORCH_OPTION = new Set(['unitForgetBias']);

const unquote = (code: string): string => code.replace(/^['"]|['"]$/g, '');
const camelToSnake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/^le_cun/, 'lecun');

/** A config value as Python source: tfjs initializer ids as Keras's snake_case, booleans capitalised, the call's quotes. */
function pythonCode(key: string, code: string, quote: string): string {
  if (code === 'true' || code === 'false') return code === 'true' ? 'True' : 'False';
  if (/Initializer$/.test(key) && /^['"]/.test(code)) return `${quote}${camelToSnake(unquote(code))}${quote}`;
  if (key === 'activation' && /^['"]/.test(code)) {
    const name = unquote(code);
    return `${quote}${name === 'leakyReLU' ? 'leaky_relu' : name === 'hardSigmoid' ? 'hard_sigmoid' : name}${quote}`;
  }
  return code;
}

/** PyTorch: an activation module or function swapped for another. */
function swapTorchActivation(text: string, layer: Layer, activation: string): TextEdit[] | undefined {
  const call = constructionCall(text, layer);
  const parts = call && calleeParts(text, call);
  if (!call || !parts) return undefined;
  if (/^[A-Z]/.test(parts.name)) {
    // Only the activation module itself: a layer of an imported block sits on the block's call.
    if (!isActivationModule(parts.name)) return undefined;
    const cls = TORCH_ACTIVATION_CLASSES[activation];
    return cls ? [{ range: { start: call.from, end: call.to }, newText: `${parts.prefix}${cls}()` }] : undefined;
  }
  const fn = TORCH_FUNCTIONS[activation];
  if (!fn || !Object.values(TORCH_FUNCTIONS).includes(parts.name.replace(/_$/, ''))) return undefined;
  const prefix = parts.prefix;
  // torch.X exists for a few; the functional module has them all.
  const functional = /(^|\.)F\.$|functional\.$/.test(prefix);
  const torchHas = ['relu', 'sigmoid', 'tanh', 'selu'].includes(fn);
  const callee = functional ? `${prefix}${fn}` : prefix === 'torch.' && torchHas ? `torch.${fn}` : `torch.nn.functional.${fn}`;
  if (!/^(torch\.|F\.|\w+\.functional\.)/.test(prefix) && prefix !== 'torch.') return undefined;
  return [{ range: { start: call.firstChild?.from ?? call.from, end: parts.nameNode.to }, newText: callee }];
}

/** Sets configuration on a Python layer: Keras keywords (replaced or added), PyTorch activation swaps. */
export function pythonSetLayerConfig(text: string, layer: Layer, values: Record<string, string>): TextEdit[] | undefined {
  const call = constructionCall(text, layer);
  const parts = call && calleeParts(text, call);
  if (!call || !parts) return undefined;
  if (!isKeras(parts.prefix, parts.name)) {
    const keys = Object.keys(values).filter((k) => !NO_PYTORCH_OPTION.has(k));
    if (!keys.length) return [];
    if (keys.length !== 1 || keys[0] !== 'activation' || (layer.kind !== 'activation' && layer.kind !== 'softmax')) return undefined;
    return swapTorchActivation(text, layer, unquote(values.activation));
  }
  const args = call.getChild('ArgList');
  if (!args || !kerasKind(parts.name)) return undefined;
  const edits: TextEdit[] = [];
  const added: string[] = [];
  // The quotes the call's own strings use, else single.
  const written = Object.values(layer.props).map((p) => text[p.value.start]);
  const quote = written.includes('"') ? '"' : "'";
  for (const [key, code] of Object.entries(values)) {
    const prop = layer.props[key];
    if (prop) edits.push({ range: prop.value, newText: pythonCode(key, code, quote) });
    else added.push(`${camelToSnake(key)}=${pythonCode(key, code, quote)}`);
  }
  if (!added.length) return edits;
  const close = args.lastChild;
  if (!close || close.name !== ')') return undefined;
  const hasArgs = text.slice(args.from + 1, close.from).trim().length > 0;
  const trailingComma = /,\s*$/.test(text.slice(args.from + 1, close.from));
  const lastArg = close.prevSibling;
  const at = hasArgs && lastArg ? (trailingComma ? close.from : lastArg.to) : close.from;
  const sep = hasArgs && !trailingComma ? ', ' : '';
  return [...edits, { range: { start: at, end: at }, newText: sep + added.join(', ') }];
}

/** The source of the output width of the nearest weighted layer before `call` in the same list. */
function widthBefore(text: string, call: SyntaxNode, layer: Layer): { code: string; dims: number } | undefined {
  const own = calleeParts(text, call);
  const fromCall = (node: SyntaxNode): { code: string; dims: number } | undefined => {
    const parts = calleeParts(text, node);
    const conv = parts && /^(Linear|Conv([123])d)$/.exec(parts.name);
    const argList = node.getChild('ArgList');
    if (!conv || !argList) return undefined;
    const positional: SyntaxNode[] = [];
    for (let c = argList.firstChild; c; c = c.nextSibling) {
      if (c.name === 'AssignOp') return undefined;
      if (/^[A-Z]/.test(c.name) && c.name !== 'ArgList') positional.push(c);
    }
    const out = positional[1];
    return out ? { code: text.slice(out.from, out.to), dims: conv[2] ? Number(conv[2]) : 1 } : undefined;
  };
  if (own && /^(Linear|Conv[123]d)$/.test(own.name)) return fromCall(call);
  void layer;
  for (let prev = call.prevSibling; prev; prev = prev.prevSibling) {
    if (prev.name === 'CallExpression') {
      const found = fromCall(prev);
      if (found) return found;
    }
  }
  return undefined;
}

/** Inserts a batch normalisation right after a layer written in a Sequential's arguments or a list. */
export function pythonInsertBatchNormAfter(text: string, layer: Layer): TextEdit[] | undefined {
  const call = constructionCall(text, layer);
  const parent = call?.parent;
  const parts = call && calleeParts(text, call);
  if (!call || !parent || !parts || !isLibraryLayer(parts.name)) return undefined;
  const inList = parent.name === 'ArrayExpression' || (parent.name === 'ArgList' && /Sequential$/.test(text.slice(parent.parent?.firstChild?.from ?? 0, parent.parent?.firstChild?.to ?? 0)));
  if (!inList) return undefined;
  let bn: string;
  if (isKeras(parts.prefix, parts.name)) bn = `${parts.prefix}BatchNormalization()`;
  else {
    const width = widthBefore(text, call, layer);
    if (!width) return undefined;
    bn = `${parts.prefix}BatchNorm${width.dims === 3 ? 3 : width.dims === 2 ? 2 : 1}d(${width.code})`;
  }
  const lineStart = text.lastIndexOf('\n', call.from - 1) + 1;
  const before = text.slice(lineStart, call.from);
  const ownLine = /^\s*$/.test(before);
  const newText = ownLine ? `,\n${before}${bn}` : `, ${bn}`;
  return [{ range: { start: call.to, end: call.to }, newText }];
}

/** Changes the class of a recurrent layer: nn.RNN → nn.LSTM, layers.SimpleRNN → layers.LSTM. */
export function pythonRenameLayerFactory(text: string, layer: Layer, factory: string): TextEdit[] | undefined {
  const call = constructionCall(text, layer);
  const parts = call && calleeParts(text, call);
  if (!call || !parts || (parts.name !== 'RNN' && parts.name !== 'SimpleRNN')) return undefined;
  // nn.LSTM and nn.GRU take no `nonlinearity`: such calls are left alone.
  if (parts.name === 'RNN' && text.slice(call.from, call.to).includes('nonlinearity')) return undefined;
  const names: Record<string, string> = { lstm: 'LSTM', gru: 'GRU' };
  const name = names[factory];
  return name ? [{ range: { start: parts.nameNode.from, end: parts.nameNode.to }, newText: name }] : undefined;
}
