// The registry's rules on a model graph (no source file), as the linter runs them: what the
// benches and the verdict-agreement test compare with the measured class.
import type { ModelGraph } from '../../src/core/graph';
import type { Severity } from '../../src/core/diagnostic';
import { estimateAtFirstUsefulStep } from '../../src/core/estimate/stepOne';
import { FixSource } from '../../src/core/fixes/source';
import { ruleContext as contextOf } from '../../src/core/lint';
import type { RuleContext } from '../../src/core/rule';
import { DEFAULT_CONFIG } from '../../src/lint/index';
import { RULES } from '../../src/rules/index';

export interface GraphFinding {
  ruleId: string;
  severity: Severity;
}

export function ruleContext(model: ModelGraph): RuleContext<string> {
  return contextOf(model, estimateAtFirstUsefulStep(model), DEFAULT_CONFIG.thresholds, new FixSource('model.json', ''));
}

/** Every rule's findings on the graph, with the severity each would be shown at. */
export function lintGraph(model: ModelGraph, ctx = ruleContext(model)): GraphFinding[] {
  return RULES.flatMap((r) => r.check(ctx).map((f) => ({ ruleId: r.id, severity: f.severity ?? r.defaultSeverity })));
}
