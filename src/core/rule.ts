// What a rule is, as the linter sees it. The rules themselves live in src/rules and are
// handed to the linter (lintText's `rules`), as ESLint's Linter receives its rules: the core
// knows no rule.
import type { Fix, RelatedLocation, Severity } from './diagnostic';
import type { ModelGraph, Range } from './graph';
import type { ModelEstimate } from './estimate/types';
import type { HealthThresholds } from './judge';
import type { FixSource } from './fixes/source';

/** `T`: the names of the rule's own thresholds; reading any other is a compile error. */
export interface RuleContext<T extends string = never> {
  model: ModelGraph;
  estimate: ModelEstimate;
  /** The rule's own thresholds in force, and the judgement's (which every rule's fixes are checked against). */
  thresholds: Readonly<Record<T, number>> & HealthThresholds;
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

/** A number a rule compares against. The settings (package.json), their validation and the docs come from these. */
export interface ThresholdSpec {
  default: number;
  /** What it means, as a sentence after the rule id ("vanishing-gradient: flag when …"). */
  description: string;
}

/**
 * A rule owning the thresholds named `T` (declared here with their defaults) and reading its
 * neighbours' named `B`; the compiler checks what it reads against both.
 */
export interface Rule<T extends string = never, B extends string = never> extends RuleMeta {
  /**
   * Its line in the README's rule table, generated (npm run gen:settings): `{name}` is a
   * threshold's default, `{a-b}` and `{a+b}` a bound derived from two.
   */
  summary: string;
  /** The thresholds this rule owns, by their settings name (`thresholds.<name>`). */
  thresholds?: Readonly<Record<T, ThresholdSpec>>;
  check(ctx: RuleContext<T | B>): Finding[];
}

/** Any rule, as the linter and the settings see them. */
export type AnyRule = Rule<string, string>;

/** Front-end problems (syntax errors, unreadable rows) reported as diagnostics under this id. */
export const PARSE_ERROR_RULE: RuleMeta = {
  id: 'parse-error',
  defaultSeverity: 'error',
  description: 'The file (or part of it) could not be read as a model.',
  docsUrl: 'https://github.com/gradlint/gradlint/blob/main/README.md#rules',
};
