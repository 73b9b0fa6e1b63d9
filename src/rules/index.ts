// The rule registry: adding a rule is its folder plus one line here. Rule ids are part of
// the product: keep them stable.

import type { AnyRule } from '../core/rule';
import { vanishingGradient } from './vanishing-gradient/rule';
import { explodingGradient } from './exploding-gradient/rule';
import { saturatingStack } from './saturating-stack/rule';
import { deepPlainStack } from './deep-plain-stack/rule';
import { constantInitializer } from './constant-initializer/rule';
import { initializerMismatch } from './initializer-mismatch/rule';
import { missingNormalization } from './missing-normalization/rule';
import { plainRnnLongSequence } from './plain-rnn-long-sequence/rule';
import { lstmForgetBias } from './lstm-forget-bias/rule';
import { narrowDeepRelu } from './narrow-deep-relu/rule';
import { residualWithoutNormalization } from './residual-without-normalization/rule';
import { missingActivation } from './missing-activation/rule';
import { unusedLayer } from './unused-layer/rule';
import { softmaxSingleUnit } from './softmax-single-unit/rule';

/** Every rule, one object per id (its tfjs and YOLO YAML forms together). */
export const RULES: readonly AnyRule[] = [
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
  missingActivation,
  unusedLayer,
  softmaxSingleUnit,
];
