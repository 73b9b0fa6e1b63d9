import type { Fix, RelatedLocation, Severity } from '../core/diagnostic';
import type { ModelGraph, Range } from '../core/graph';
import type { ModelEstimate } from '../core/estimate/types';
import type { Thresholds } from '../core/config';
import type { FixSource } from '../core/fixes/source';
import type { GraphView } from './graphView';

export interface RuleContext {
  model: ModelGraph;
  estimate: ModelEstimate;
  view: GraphView;
  thresholds: Thresholds;
  /** The file's syntax tree, parsed on first use, for computing fixes. */
  source: FixSource;
  /** The estimate of a changed copy of the model: how fixes are chosen and checked. */
  estimateVariant(model: ModelGraph): ModelEstimate;
}

/** What a rule reports; the lint run adds the rule id and the configured severity. */
export interface Finding {
  range: Range;
  message: string;
  related: RelatedLocation[];
  /** A function computes them only when asked for: fixes parse the file and re-run the estimate. */
  fixes: Fix[] | (() => Fix[]);
  /** The rule's own severity for this finding when the user has not set one (e.g. downgraded to info). */
  severity?: Severity;
}

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  description: string;
  docsUrl: string;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): Finding[];
}

export const docsUrl = (id: string): string => `https://github.com/gradlint/gradlint/blob/main/docs/rules/${id}.md`;
