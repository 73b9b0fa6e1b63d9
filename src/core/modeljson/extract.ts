// The model.json front end: tfjs layers-format files (`modelTopology` holding a Keras
// Sequential or Model/Functional config, as written by tfjs's model.save or by the
// tensorflowjs converter) and bare Keras `model.to_json()` files. Every other JSON file
// (package.json, tsconfig.json, data) is ignored without a message.

import { isBudgetExhausted } from '../budget';
import * as path from 'path';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ExtractResult, ModelGraph, Problem } from '../graph';
import { LineIndex } from '../text';
import { cutDeepValues } from './depth';
import { isObject, member, property, rangeOf, stringMember } from './json';
import { MODEL_CLASSES, problemAt, type BuildContext } from './layers';
import { readModel } from './topology';

/** jsonc-parser's error code as words: `CommaExpected` → `comma expected`. */
const describeParseError = (error: ParseError): string =>
  printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** Where the model config sits in a parsed file, or why the file is a model file gradlint cannot read. */
type Located = { model: Node } | { problem: Problem } | undefined;

const isModelConfig = (node: Node | undefined): node is Node => MODEL_CLASSES.has(stringMember(node, 'className') ?? '');

function locateModel(root: Node): Located {
  const topologyProperty = property(root, 'modelTopology');
  if (!topologyProperty) return isModelConfig(root) ? { model: root } : undefined;
  const topology = topologyProperty.children![1];
  const problem = (message: string, at: Node, severity: Problem['severity'] = 'error') => ({ problem: { message, range: rangeOf(at), severity } });
  if (stringMember(root, 'format') === 'graph-model' || member(topology, 'node')) {
    return problem('This is a tfjs graph model (a converted TensorFlow graph); gradlint reads layers models only.', topologyProperty, 'info');
  }
  if (!isObject(topology)) return problem('modelTopology must be an object holding the model config.', topology);
  // The converter nests the config under model_config; tfjs's model.save writes it directly.
  for (const candidate of [member(topology, 'modelConfig'), member(topology, 'config'), topology]) {
    if (isModelConfig(candidate)) return { model: candidate };
  }
  const className = stringMember(member(topology, 'modelConfig') ?? topology, 'className');
  const why = className === undefined ? 'has no class_name' : `has class_name '${className}'`;
  return problem(`modelTopology ${why}; a tfjs layers model is a Sequential, Model or Functional config.`, topologyProperty);
}

/** Reads the models of a JSON file. Never throws. */
export function extractModelJson(file: string, text: string): ExtractResult {
  const result: ExtractResult = { file, models: [], problems: [] };
  try {
    const errors: ParseError[] = [];
    const shallow = cutDeepValues(text);
    const root = parseTree(shallow.text, errors, { allowTrailingComma: true });
    const located = root && locateModel(root);
    // A broken file is a model file when its readable part says so, or when it is named model.json.
    const claimsModel = located !== undefined || path.basename(file).toLowerCase() === 'model.json';
    if (claimsModel) result.problems.push(...shallow.problems);
    if (errors.length > 0) {
      if (claimsModel) {
        const [first] = errors;
        result.problems.push({ message: `JSON syntax error: ${describeParseError(first)}.`, range: { start: first.offset, end: first.offset + first.length }, severity: 'error' });
      }
      return result;
    }
    if (!located) return result;
    if ('problem' in located) {
      result.problems.push(located.problem);
      return result;
    }
    const ctx: BuildContext = {
      index: new LineIndex(text),
      problems: result.problems,
      buildModel: (node, name) => readModel(node, name, ctx),
    };
    const model: ModelGraph | undefined = readModel(located.model, path.basename(file), ctx);
    if (model) result.models.push(model);
    else if (result.problems.length === 0) problemAt(ctx, located.model, 'gradlint could not read a model from this config.');
    return result;
  } catch (err) {
    // The front end never throws: an internal failure is reported, not raised.
    // The budget running out is the one exception: extractModels reports it for the file.
    if (isBudgetExhausted(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    result.problems.push({ message: `gradlint could not read this model file: ${message}`, range: { start: 0, end: 0 }, severity: 'error', code: 'internal-error' });
    return result;
  }
}
