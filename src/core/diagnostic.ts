import type { ProblemCode, Range } from './graph';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix computed in the core as text edits on the analysed file. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix of a diagnostic that fix-all and "preferred" quick fixes apply. */
  preferred: boolean;
}

export interface RelatedLocation {
  range: Range;
  message: string;
}

/** One finding of a rule, positioned on the exact argument or call that causes it. */
export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  related: RelatedLocation[];
  fixes: Fix[];
  /** Name of the model the finding is about. */
  model?: string;
  /** Set on gradlint's own notices (see ProblemCode); rule findings have none. */
  code?: ProblemCode;
}
