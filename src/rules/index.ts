// The rule registry. Rule ids are part of the product: keep them stable.

import type { Rule, RuleMeta } from '../core/rule';
import { vanishingGradient } from './vanishing-gradient';
import { explodingGradient } from './exploding-gradient';
import { saturatingStack } from './saturating-stack';
import { deepPlainStack } from './deep-plain-stack';
import { constantInitializer } from './constant-initializer';
import { initializerMismatch } from './initializer-mismatch';
import { missingNormalization } from './missing-normalization';
import { plainRnnLongSequence } from './plain-rnn-long-sequence';
import { lstmForgetBias } from './lstm-forget-bias';
import { narrowDeepRelu } from './narrow-deep-relu';
import { residualWithoutNormalization } from './residual-without-normalization';
import { yoloActivationSetting } from './yolo-activation-setting';

export const RULE_IMPLEMENTATIONS: readonly Rule[] = [
  vanishingGradient,
  explodingGradient,
  saturatingStack,
  deepPlainStack,
  constantInitializer,
  initializerMismatch,
  missingNormalization,
  plainRnnLongSequence,
  lstmForgetBias,
  narrowDeepRelu,
  residualWithoutNormalization,
  yoloActivationSetting,
];

/** Every rule's id, default severity, one-line description and documentation link. */
// YAML-specific checks share the id of the rule they refine: list each id once.
export const RULES: readonly RuleMeta[] = RULE_IMPLEMENTATIONS.filter((r, i, all) => all.findIndex((o) => o.id === r.id) === i).map(({ id, defaultSeverity, description, docsUrl }) => ({
  id,
  defaultSeverity,
  description,
  docsUrl,
}));
