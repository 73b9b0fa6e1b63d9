// What the tfjs API does to abstract values: imports of the tfjs packages, the layer
// factories, tf.input / tf.sequential / tf.model, initializers, loaded models, and the
// members of layers, models and symbolic tensors (apply, add, inputs, outputs, ...).

import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Range, Value } from '../graph';
import { applyLayerDefaults, canonicalKind } from '../layerDefaults';
import { firstLayerBatchShape, type AppNode, type LayerRec, type ModelBuild, type TensorRef } from './graphBuilder';
import type { Interpreter } from './interpreter';
import { Modules } from './modules';
import { cellsOf, rnnAsLayers } from './recurrentCells';
import type { Scope } from './scope';
import { AV, LayerV, ModelV, NativeV, PrimV, TensorV, UNDEFINED, arr, obj, prim, toValue, unknown } from './values';

type CallNode = TSESTree.CallExpression | TSESTree.NewExpression;

/**
 * Packages whose namespace is the tfjs API (tfjs-layers exports the layers part of it,
 * tfjs-core the rest), with or without a subpath (`@tensorflow/tfjs/dist/tf.min.js`).
 */
export const TFJS_PACKAGE_PATTERN = '@tensorflow/tfjs(?:-node-gpu|-node|-layers|-core)?(?:/[^\'"`]*)?';
const TFJS_PACKAGE = new RegExp(`^${TFJS_PACKAGE_PATTERN}$`);
export const isTfjsPackage = (source: unknown): boolean => typeof source === 'string' && TFJS_PACKAGE.test(source);

const LAYER_BASE_CLASSES = new Set(['Layer', 'RNN', 'RNNCell', 'layers.Layer', 'layers.RNN', 'layers.RNNCell']);
/** tfjs model classes a user class may extend, and the factory its `super(config)` is. */
const SUBCLASSED_MODELS = new Map([
  ['Sequential', 'sequential'],
  ['LayersModel', 'functional'],
  ['Model', 'functional'],
]);
const LOADERS = new Set(['loadLayersModel', 'models.modelFromJSON', 'loadGraphModel']);

const native = (name: string, call: NativeV['call']): NativeV => ({ k: 'native', name, call });
const rangeOf = (n: TSESTree.Node): Range => ({ start: n.range[0], end: n.range[1] });

/** tf.layers.inputLayer({inputShape}) stores the shape as InputLayer does: batchInputShape. */
function inputLayerShape(raw: Record<string, Value>, unknownKeys: Record<string, string>): void {
  if (Array.isArray(raw.inputShape)) {
    raw.batchInputShape = [typeof raw.batchSize === 'number' ? raw.batchSize : null, ...raw.inputShape];
    delete raw.inputShape;
  }
  if (unknownKeys.inputShape) {
    unknownKeys.batchInputShape = unknownKeys.inputShape;
    delete unknownKeys.inputShape;
  }
}

export class TfApi {
  readonly models: ModelBuild[] = [];
  /** Every `layer.apply` made and not undone: where unconnected layers are looked for. */
  readonly applications = new Set<AppNode>();
  /** The layers `tf.layers` calls of the file linted created: where never-used ones are looked for. */
  readonly created: LayerRec[] = [];
  /** A script using the global `tf` of a <script> tag, without imports. */
  allowGlobalTf = false;
  private readonly modelLayers = new Map<ModelBuild, LayerRec>();
  private readonly sequentialEnds = new Map<ModelBuild, { layers: number; inputs: TensorRef[]; outputs: TensorRef[] }>();

  constructor(private readonly it: Interpreter) {}

  // ------------------------------------------------------------ imports

  declareImport(node: TSESTree.ImportDeclaration, scope: Scope): void {
    const source = String(node.source.value);
    const isTf = isTfjsPackage(source);
    const local = Modules.isRelative(source) && node.importKind !== 'type' ? this.it.modules.load(source, rangeOf(node)) : undefined;
    for (const spec of node.specifiers) {
      let value: AV;
      if (local && 'exports' in local) value = this.imported(local.exports, spec, source);
      else if (!isTf) value = unknown(`\`${spec.local.name}\` is imported from '${source}'${local ? `, ${local.why}` : ''}`);
      else if (spec.type === 'ImportSpecifier') {
        const imported = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
        // `import { default as tf }` is the namespace itself.
        value = { k: 'tf', path: imported === 'default' ? '' : imported };
      } else value = { k: 'tf', path: '' };
      scope.declare(spec.local.name, value);
    }
  }

  /** One name imported from a file of the project. */
  private imported(exports: AV, spec: TSESTree.ImportClause, source: string): AV {
    if (spec.type === 'ImportNamespaceSpecifier' || exports.k === 'unknown') return exports;
    const name = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
    const value = exports.k === 'obj' ? exports.props.get(name)?.value : undefined;
    // `module.exports = build` imported as a default.
    if (!value && name === 'default' && exports.k !== 'obj') return exports;
    return value ?? unknown(`'${source}' exports no \`${name}\` known statically`);
  }

  declareImportEquals(node: TSESTree.TSImportEqualsDeclaration, scope: Scope): void {
    const ref = node.moduleReference;
    const isTf = ref.type === 'TSExternalModuleReference' && ref.expression.type === 'Literal' && isTfjsPackage(ref.expression.value);
    scope.declare(node.id.name, isTf ? { k: 'tf', path: '' } : unknown(`\`${node.id.name}\` is imported`));
  }

  dynamicImport(source: AV, at: TSESTree.Node): AV {
    if (source.k === 'prim' && typeof source.v === 'string' && Modules.isRelative(source.v)) {
      const local = this.it.modules.load(source.v, rangeOf(at));
      if (local) return 'exports' in local ? local.exports : unknown(`'${source.v}', ${local.why}`);
    }
    return source.k === 'prim' && isTfjsPackage(source.v) ? { k: 'tf', path: '' } : unknown('a dynamic import');
  }

  /** `require` and, in script files, the global `tf`. */
  globalValue(name: string): AV | undefined {
    if (name === 'require') {
      return native('require', (args, node) => this.dynamicImport(args[0] ?? UNDEFINED, node));
    }
    return name === 'tf' && this.allowGlobalTf ? { k: 'tf', path: '' } : undefined;
  }

  isLayerClass(v: AV): boolean {
    if (v.k === 'tf') return LAYER_BASE_CLASSES.has(v.path);
    return v.k === 'class' && v.isLayer;
  }

  // ------------------------------------------------------------ calls on the namespace

  call(path: string, args: AV[], node: CallNode): AV {
    // `layers.dense` → head 'layers', name 'dense' (split with a limit is slow on this hot path).
    const dot = path.indexOf('.');
    const head = dot < 0 ? path : path.slice(0, dot);
    const next = dot < 0 ? -1 : path.indexOf('.', dot + 1);
    const name = dot < 0 ? undefined : path.slice(dot + 1, next < 0 ? undefined : next);
    if (head === 'layers' && name !== undefined && !path.slice(7).includes('.')) {
      if (name === 'input') return this.input(args[0], node);
      const kind = canonicalKind(name);
      if (kind) return { k: 'layer', layer: this.createLayer(kind, args[0], node) };
      if (LAYER_BASE_CLASSES.has(name)) return this.it.notKnown(node);
      this.it.problem(`\`tf.layers.${name}\` is not a tfjs layer factory; it is kept as an opaque layer`, node.callee, 'warning');
      return this.opaqueLayer(name, rangeOf(node));
    }
    if (path === 'input') return this.input(args[0], node);
    if (path === 'sequential') return this.sequential(args[0], node);
    if (path === 'model') return this.functional(args[0], node);
    if (head === 'initializers' || head === 'regularizers' || head === 'constraints') {
      const spec = obj({ name: prim(name ?? '') });
      if (args[0]) this.it.spreadInto(spec, args[0]);
      return spec;
    }
    if (LOADERS.has(path)) return this.loaded(path, node);
    if (path === 'tidy') return this.it.callValue(args.find((a) => a.k === 'fn'), [], UNDEFINED, node);
    return unknown(`\`${this.it.snippet(node)}\` is computed at run time`);
  }

  // ------------------------------------------------------------ layers

  private newLayer(kind: string, at: Range): LayerRec {
    this.it.layersCreated++;
    const range = this.it.here(at);
    return {
      seq: this.it.nextSeq(),
      kind,
      config: {},
      unknown: {},
      props: {},
      line: this.it.main.lines.lineOf(range.start),
      range,
    };
  }

  /** Positions in the code running now mean something to the user only in the file linted. */
  private get inMain(): boolean {
    return this.it.current === this.it.main;
  }

  opaqueLayer(className: string, at: Range): LayerV {
    const rec = this.newLayer('opaque', at);
    rec.config = applyLayerDefaults('opaque', {});
    rec.note = `custom layer \`${className}\`: its output shape and gradients are unknown to static analysis`;
    return { k: 'layer', layer: rec };
  }

  /** The inside of a call's parentheses, where a config literal would go. */
  private insideParens(node: CallNode): Range {
    const text = this.it.text;
    let open = node.callee.range[1];
    while (open < node.range[1] && text[open] !== '(') open++;
    return { start: open + 1, end: node.range[1] - 1 };
  }

  private createLayer(kind: string, config: AV | undefined, node: CallNode): LayerRec {
    const rec = this.newLayer(kind, rangeOf(node));
    if (this.inMain) this.created.push(rec);
    const raw: Record<string, Value> = {};
    // Needed only when some keys are unknown: then their defaults must not be assumed.
    const defaultKeys = (): string[] => Object.keys(applyLayerDefaults(kind, {}));
    if (!config || (config.k === 'prim' && config.v === undefined)) {
      if (this.inMain) rec.configRange = this.insideParens(node);
    } else if (config.k === 'obj') {
      if (config.range && !config.unknownSpread && this.inMain) rec.configRange = config.range;
      for (const [key, slot] of config.props) {
        if (slot.source && this.inMain) rec.props[key] = slot.source;
        const v = slot.value;
        if ((kind === 'rnn' && key === 'cell') || (kind === 'stackedRNNCells' && key === 'cells')) {
          rec.cells = cellsOf(v);
          if (!rec.cells) rec.unknown[key] = 'not a list of tfjs recurrent cells known statically';
          continue;
        }
        if (key === 'layer' && v.k === 'layer') {
          rec.wrapped = v.layer;
          continue;
        }
        const c = toValue(v);
        if (!c.ok) rec.unknown[key] = c.reason;
        else if (c.value !== undefined) raw[key] = c.value;
      }
      if (config.unknownSpread) {
        for (const key of defaultKeys()) if (!(key in raw) && !(key in rec.unknown)) rec.unknown[key] = config.unknownSpread;
      }
    } else {
      const reason = config.k === 'unknown' ? config.reason : `the config of \`${this.it.snippet(node)}\` is not an object`;
      for (const key of defaultKeys()) rec.unknown[key] = reason;
      rec.note = `its configuration is not known statically: ${reason}`;
    }
    if (typeof raw.name === 'string') rec.explicitName = raw.name;
    if (kind === 'input') inputLayerShape(raw, rec.unknown);
    rec.config = applyLayerDefaults(kind, raw, { unknownKeys: Object.keys(rec.unknown) });
    if (kind === 'rnn' && rec.cells) {
      rec.stack = rnnAsLayers(rec, rec.cells, (layerKind, cell) => this.newLayer(layerKind, cell.range));
    }
    return rec;
  }

  /** tf.input({shape | batchShape}): an input layer and its single application. */
  private input(config: AV | undefined, node: CallNode): TensorV {
    const rec = this.newLayer('input', rangeOf(node));
    const raw: Record<string, Value> = {};
    if (config?.k === 'obj') {
      if (this.inMain) rec.configRange = config.range;
      for (const [key, slot] of config.props) {
        if (slot.source && this.inMain) rec.props[key] = slot.source;
        const c = toValue(slot.value);
        if (!c.ok) rec.unknown[key === 'shape' || key === 'batchShape' ? 'batchInputShape' : key] = c.reason;
        else if (c.value === undefined) continue;
        else if (key === 'shape' && Array.isArray(c.value)) raw.batchInputShape = [null, ...c.value];
        else if (key === 'batchShape') raw.batchInputShape = c.value;
        else raw[key] = c.value;
      }
    } else rec.unknown.batchInputShape = config?.k === 'unknown' ? config.reason : 'tf.input without a shape';
    if (typeof raw.name === 'string') rec.explicitName = raw.name;
    rec.config = applyLayerDefaults('input', raw, { unknownKeys: Object.keys(rec.unknown) });
    const app: AppNode = { seq: this.it.nextSeq(), layer: rec, inputs: [] };
    rec.lastApplied = app;
    return { k: 'tensor', node: app };
  }

  /** `layer.apply(inputs, {initialState})`: one more application of the layer. */
  private apply(layer: LayerRec, input: AV | undefined, kwargs: AV | undefined): AV {
    if (layer.stack) {
      let out = this.apply(layer.stack[0], input, kwargs);
      for (const rec of layer.stack.slice(1)) out = this.apply(rec, out, undefined);
      layer.lastApplied = out.k === 'tensor' ? out.node : undefined;
      return out;
    }
    const inputs: TensorRef[] = [];
    let unresolved: string | undefined;
    const take = (v: AV): void => {
      if (v.k === 'tensor') inputs.push({ node: v.node, index: v.index });
      else if (v.k === 'arr') v.items.forEach(take);
      else unresolved = v.k === 'unknown' ? v.reason : 'an input that is not a symbolic tensor';
    };
    take(input ?? UNDEFINED);
    const state = kwargs?.k === 'obj' ? kwargs.props.get('initialState')?.value : undefined;
    if (state) take(state);
    const app: AppNode = { seq: this.it.nextSeq(), layer, inputs, unresolvedInput: unresolved };
    layer.lastApplied = app;
    this.applications.add(app);
    this.it.journal.record(() => this.applications.delete(app));
    return { k: 'tensor', node: app };
  }

  // ------------------------------------------------------------ models

  private newModel(kind: ModelBuild['kind'], node: CallNode): ModelBuild {
    const range = this.it.here(rangeOf(node));
    const model: ModelBuild = {
      seq: this.it.nextSeq(),
      kind,
      line: this.it.main.lines.lineOf(range.start),
      range,
      layers: [],
      inputs: [],
      outputs: [],
      notes: [],
    };
    // What an imported file's top level builds is that file's model, found when it is linted.
    if (!this.it.importing) this.models.push(model);
    return model;
  }

  private explicitName(config: AV | undefined): string | undefined {
    const n = config?.k === 'obj' ? config.props.get('name')?.value : undefined;
    return n?.k === 'prim' && typeof n.v === 'string' ? n.v : undefined;
  }

  private sequential(config: AV | undefined, node: CallNode): ModelV {
    const model = this.newModel('sequential', node);
    model.explicitName = this.explicitName(config);
    const layers = config?.k === 'obj' ? config.props.get('layers')?.value : undefined;
    if (layers?.k === 'arr') for (const l of layers.items) this.add(model, l, node);
    else if (layers?.k === 'unknown') model.notes.push(`its layers are not known statically: ${layers.reason}`);
    return { k: 'model', model };
  }

  /**
   * `class M extends tf.Sequential` (or tf.LayersModel): `super(config)` builds the model the
   * instance is, named after the class.
   */
  modelOfSubclass(base: string, args: AV[], node: CallNode, className: string): ModelV | undefined {
    const kind = SUBCLASSED_MODELS.get(base);
    if (!kind) return undefined;
    const v = kind === 'sequential' ? this.sequential(args[0], node) : this.functional(args[0], node);
    v.model.name ??= className;
    return v;
  }

  private add(model: ModelBuild, item: AV, node: CallNode): void {
    let rec: LayerRec;
    if (item.k === 'obj' && item.base) item = item.base;
    if (item.k === 'layer') rec = item.layer;
    else if (item.k === 'model') rec = this.layerOfModel(item.model);
    else {
      rec = this.opaqueLayer('', rangeOf(node.arguments[0] ?? node)).layer;
      rec.note = `\`${this.it.snippet(node.arguments[0] ?? node, 40)}\` is not a layer known statically`;
    }
    for (const one of rec.stack ?? [rec]) {
      model.layers.push(one);
      this.it.journal.record(() => {
        const i = model.layers.lastIndexOf(one);
        if (i >= 0) model.layers.splice(i, 1);
      }, model.seq);
    }
  }

  private tensors(v: AV | undefined, what: 'inputs' | 'outputs', model: ModelBuild): TensorRef[] {
    const out: TensorRef[] = [];
    const take = (x: AV): void => {
      if (x.k === 'tensor') out.push({ node: x.node, index: x.index });
      else if (x.k === 'arr') x.items.forEach(take);
      else {
        const note = `its ${what} are not known statically${x.k === 'unknown' ? `: ${x.reason}` : ''}`;
        model.notes.push(note);
        if (what === 'outputs') model.outputsUnknown ??= note;
      }
    };
    take(v ?? UNDEFINED);
    return out;
  }

  private functional(config: AV | undefined, node: CallNode): ModelV {
    const model = this.newModel('functional', node);
    model.explicitName = this.explicitName(config);
    const get = (key: string): AV | undefined => (config?.k === 'obj' ? config.props.get(key)?.value : config);
    model.inputs = this.tensors(get('inputs'), 'inputs', model);
    model.outputs = this.tensors(get('outputs'), 'outputs', model);
    return { k: 'model', model };
  }

  /** tf.loadLayersModel(url): a model whose layers exist only at run time. */
  private loaded(path: string, node: CallNode): ModelV {
    const model = this.newModel('loaded', node);
    model.notes.push(`loaded at run time by tf.${path}: its layers are not known statically`);
    const input = this.input(undefined, node);
    const body = this.opaqueLayer('', rangeOf(node)).layer;
    body.note = `the layers of a model loaded by tf.${path} are not known statically`;
    const out = this.apply(body, input, undefined) as TensorV;
    model.inputs = [{ node: input.node }];
    model.outputs = [{ node: out.node }];
    return { k: 'model', model };
  }

  /** The Layer a model becomes when applied or added inside another model. */
  private layerOfModel(model: ModelBuild): LayerRec {
    let rec = this.modelLayers.get(model);
    if (!rec) {
      rec = {
        seq: this.it.nextSeq(),
        kind: 'model',
        explicitName: model.explicitName,
        config: applyLayerDefaults('model', {}),
        unknown: {},
        props: {},
        line: model.line,
        range: model.range,
        nested: model,
      };
      this.modelLayers.set(model, rec);
    }
    return rec;
  }

  // ------------------------------------------------------------ naming

  /** A model takes the name of the first variable or property it is stored in. */
  nameModel(value: AV, name: string): void {
    if (value.k === 'model' && value.model.name === undefined) value.model.name = name;
  }

  /** A model built and returned by a function is named after the innermost such function. */
  nameModelByFunction(value: AV, fnName: string, seqBefore: number): void {
    if (value.k !== 'model' || value.model.namedByFunction || value.model.seq < seqBefore) return;
    if (fnName === 'anonymous function') return;
    value.model.name = fnName;
    value.model.namedByFunction = true;
  }

  // ------------------------------------------------------------ members

  member(object: AV, key: PrimV['v'], at: TSESTree.Node): AV {
    const k = String(key);
    if (object.k === 'tf') return { k: 'tf', path: object.path ? `${object.path}.${k}` : k };
    if (object.k === 'tensor') {
      if (typeof key === 'number') return { k: 'tensor', node: object.node, index: key };
      return unknown(`\`${this.it.snippet(at)}\` is only known at run time`);
    }
    if (object.k === 'layer') return this.layerMember(object.layer, k, at);
    if (object.k === 'model') return this.modelMember(object.model, k, at);
    return this.it.notKnown(at);
  }

  private layerMember(layer: LayerRec, key: string, at: TSESTree.Node): AV {
    switch (key) {
      case 'apply':
        return native('apply', (args) => this.apply(layer, args[0], args[1]));
      case 'output':
        return layer.lastApplied ? { k: 'tensor', node: layer.lastApplied } : unknown(`\`${this.it.snippet(at)}\` is not applied yet`);
      case 'trainable':
        return prim(layer.config.trainable !== false);
      case 'name':
        return layer.explicitName !== undefined ? prim(layer.explicitName) : unknown('an automatic layer name');
      default:
        return unknown(`\`${this.it.snippet(at)}\` is only known at run time`);
    }
  }

  private modelMember(model: ModelBuild, key: string, at: TSESTree.Node): AV {
    const tensors = (refs: TensorRef[]): AV => arr(refs.map((r): AV => ({ k: 'tensor', node: r.node, index: r.index })));
    switch (key) {
      case 'add':
        return native('add', (args, node) => {
          this.add(model, args[0] ?? UNDEFINED, node);
          return UNDEFINED;
        });
      case 'apply':
        return native('apply', (args) => this.apply(this.layerOfModel(model), args[0], args[1]));
      case 'inputs':
      case 'outputs':
        return tensors(this.ends(model)[key]);
      case 'input':
      case 'output': {
        const refs = this.ends(model)[key === 'input' ? 'inputs' : 'outputs'];
        return refs.length === 1 ? { k: 'tensor', node: refs[0].node, index: refs[0].index } : unknown(`\`${this.it.snippet(at)}\` is only known at run time`);
      }
      case 'layers':
        return model.kind === 'sequential' ? arr(model.layers.map((layer): AV => ({ k: 'layer', layer }))) : unknown(`\`${this.it.snippet(at)}\` is only known at run time`);
      case 'getLayer':
        return native('getLayer', (args) => this.getLayer(model, args[0]));
      default:
        return unknown(`\`${this.it.snippet(at)}\` is only known at run time`);
    }
  }

  /**
   * A model's input and output tensors. A sequential model's are its layers applied in a
   * chain from an input (as tfjs builds it), so `tf.model({inputs: enc.inputs,
   * outputs: dec.apply(enc.outputs)})` holds the encoder's layers themselves.
   */
  private ends(model: ModelBuild): { inputs: TensorRef[]; outputs: TensorRef[] } {
    if (model.kind !== 'sequential') return model;
    // `enc.inputs` and `enc.outputs` must be the ends of one chain.
    const cached = this.sequentialEnds.get(model);
    if (cached?.layers === model.layers.length) return cached;
    const [first, ...rest] = model.layers;
    if (!first) return { inputs: [], outputs: [] };
    let input: AppNode;
    let body = rest;
    if (first.kind === 'input') input = { seq: this.it.nextSeq(), layer: first, inputs: [] };
    else {
      const shape = firstLayerBatchShape(first);
      const rec = this.newLayer('input', first.range);
      rec.config = applyLayerDefaults('input', shape ? { batchInputShape: shape } : {});
      if (!shape) rec.unknown.batchInputShape = 'the first layer gives no inputShape, batchInputShape or inputDim';
      input = { seq: this.it.nextSeq(), layer: rec, inputs: [] };
      body = model.layers;
    }
    let out = input;
    for (const layer of body) out = (this.apply(layer, { k: 'tensor', node: out }, undefined) as TensorV).node;
    const ends = { layers: model.layers.length, inputs: [{ node: input }], outputs: [{ node: out }] };
    this.sequentialEnds.set(model, ends);
    return ends;
  }

  private getLayer(model: ModelBuild, name: AV | undefined): AV {
    if (model.kind === 'loaded') {
      // Any layer of a loaded model: its output is somewhere inside the opaque body.
      const rec = this.opaqueLayer('', model.range).layer;
      rec.lastApplied = model.outputs[0]?.node;
      return { k: 'layer', layer: rec };
    }
    const found = model.layers.find((l) => name?.k === 'prim' && l.explicitName === name.v);
    return found ? { k: 'layer', layer: found } : unknown('`getLayer` of a layer not known statically');
  }

  /** `layer.trainable = false` freezes the layer. */
  setMember(object: LayerV | ModelV, key: string, value: AV): void {
    if (key !== 'trainable' || object.k !== 'layer') return;
    const c = toValue(value);
    if (c.ok && typeof c.value === 'boolean') object.layer.config = { ...object.layer.config, trainable: c.value };
    else object.layer.unknown = { ...object.layer.unknown, trainable: c.ok ? 'not a boolean' : c.reason };
  }
}

