// One file, start to finish: read its models, estimate each, run the rules it is given, turn
// front-end problems into diagnostics, apply the configured severities and the file's
// suppressions. The rules are a parameter (src/lint binds gradlint's own): the core knows none.

import type { Diagnostic, Fix, Severity } from './diagnostic';
import type { ExtractResult, Layer, ModelGraph, Problem, Range } from './graph';
import type { ModelEstimate } from './estimate/types';
import { estimateModel } from './estimate/estimate';
import { estimateAtFirstUsefulStep } from './estimate/stepOne';
import { budgetProblem, extractModels, type SourceContext } from './extract';
import { charge, DEFAULT_ANALYSIS_BUDGET, isBudgetExhausted, unitsLeft, withBudget } from './budget';
import type { ResolvedConfig, Thresholds } from './config';
import { applySuppressions } from './suppress';
import { FixSource } from './fixes/source';
import { applyFixes } from './fixes/apply';
import { isFrozen, isWeightedKind } from './layerDefaults';
import { healthThresholds } from './judge';
import { PARSE_ERROR_RULE, type AnyRule, type Finding, type RuleContext } from './rule';

export interface LintResult {
  extract: ExtractResult;
  estimates: ModelEstimate[];
  diagnostics: Diagnostic[];
}

/** One model's analysis, as a cache keeps it to hand back for the same model in a later text. */
export interface ModelAnalysis {
  estimate: ModelEstimate;
  /** Its findings (frozen layers' left out), without fixes: those are computed on the text they are asked on. */
  diagnostics: Omit<Diagnostic, 'fixes'>[];
  /** Work units its estimate and rules spent: spent again when it is reused, so the budget runs out as before. */
  units: number;
}

/**
 * Earlier analyses of models (src/lint's cache): asked before a model is analysed, told after.
 * A model's findings must follow from its graph, its estimate and the settings alone (rules
 * read the source text only for fixes), and their positions from the graph's ranges.
 */
export interface ModelMemo {
  /** The analysis of a model the same as `model` in an earlier text, moved to this text's positions; undefined when there is none. */
  recall(model: ModelGraph): ModelAnalysis | undefined;
  remember(model: ModelGraph, analysis: ModelAnalysis): void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A finding whose fixes are computed on first read: most lint runs (the CLI without --fix,
 * every keystroke in the editor until a quick fix is asked for) never need them.
 */
class LazyFixDiagnostic implements Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Diagnostic['range'];
  related: Diagnostic['related'];
  model?: string;
  private computed?: Fix[];

  constructor(
    d: Omit<Diagnostic, 'fixes'>,
    private readonly compute: () => Fix[],
    private readonly budget: number,
  ) {
    this.ruleId = d.ruleId;
    this.severity = d.severity;
    this.message = d.message;
    this.range = d.range;
    this.related = d.related;
    this.model = d.model;
  }

  get fixes(): Fix[] {
    if (!this.computed) {
      try {
        // Read after lint returned: the fix search gets a budget of its own.
        this.computed = withBudget(this.budget, this.compute);
      } catch {
        // A fix that cannot be computed (or not within the budget) is not offered; the finding itself stands.
        this.computed = [];
      }
    }
    return this.computed;
  }

  /** JSON output and structured clones carry the fixes as a plain property. */
  toJSON(): Diagnostic {
    const { ruleId, severity, message, range, related, model, fixes } = this;
    return { ruleId, severity, message, range, related, fixes, model };
  }
}

function withFixes(d: Omit<Diagnostic, 'fixes'>, fixes: Fix[] | (() => Fix[]), budget: number): Diagnostic {
  return Array.isArray(fixes) ? { ...d, fixes } : new LazyFixDiagnostic(d, fixes, budget);
}

/** What a finding's figures assume in a YOLO file with unknown rows (read from the model, not the message). */
function unknownRowsCaveat(model: ModelGraph): string {
  const rows = model.unknownRows?.rows;
  if (!rows || rows.length === 0) return '';
  return ` (figures assume identity at unknown row${rows.length > 1 ? 's' : ''} ${rows.join(', ')})`;
}

/** The fixes `rule` offers for the finding `d` on this text: the rule runs again on the model as it is now. */
function fixesAgain(rule: AnyRule | undefined, ctx: RuleContext<string>, d: Omit<Diagnostic, 'fixes'>): Fix[] {
  const caveat = unknownRowsCaveat(ctx.model);
  const found = rule?.check(ctx).find((f) => f.range.start === d.range.start && f.range.end === d.range.end && f.message + caveat === d.message);
  if (!found) return [];
  return Array.isArray(found.fixes) ? found.fixes : found.fixes();
}

const withoutFixes = ({ ruleId, severity, message, range, related, model, code }: Diagnostic): Omit<Diagnostic, 'fixes'> => ({
  ruleId,
  severity,
  message,
  range,
  related,
  model,
  ...(code ? { code } : {}),
});

/**
 * A rule's findings as diagnostics. Its own function: the closure here would make runRule
 * allocate a context on every call, and most calls find nothing.
 */
function reported(rule: AnyRule, ctx: RuleContext<string>, config: ResolvedConfig, configured: Severity | undefined, findings: Finding[]): Diagnostic[] {
  const caveat = unknownRowsCaveat(ctx.model);
  return findings.map((f) =>
    withFixes(
      {
        ruleId: rule.id,
        severity: configured ?? f.severity ?? rule.defaultSeverity,
        message: f.message + caveat,
        range: f.range,
        related: f.related,
        model: ctx.model.name,
      },
      f.fixes,
      config.analysisBudget ?? DEFAULT_ANALYSIS_BUDGET,
    ),
  );
}

/** What most rules find in most models: shared, never written to. */
const NO_DIAGNOSTICS: readonly Diagnostic[] = [];

function runRule(rule: AnyRule, ctx: RuleContext<string>, config: ResolvedConfig): readonly Diagnostic[] {
  const configured = config.rules[rule.id];
  if (configured === 'off') return NO_DIAGNOSTICS;
  try {
    const findings = rule.check(ctx);
    return findings.length === 0 ? NO_DIAGNOSTICS : reported(rule, ctx, config, configured, findings);
  } catch (err) {
    if (isBudgetExhausted(err)) throw err;
    // A rule bug must not hide the other rules' findings; say so where the model is.
    return [
      {
        ruleId: rule.id,
        severity: 'info',
        message: `gradlint could not run ${rule.id} on ${ctx.model.name}: ${message(err)}`,
        range: ctx.model.range,
        related: [],
        fixes: [],
        model: ctx.model.name,
        code: 'internal-error',
      },
    ];
  }
}

const problemDiagnostic = (p: Problem): Diagnostic => ({
  ruleId: PARSE_ERROR_RULE.id,
  severity: p.severity as Severity,
  message: p.message,
  range: p.range,
  related: [],
  fixes: [],
  ...(p.code ? { code: p.code } : {}),
});

const within = (inner: Range, outer: Range): boolean => inner.start >= outer.start && inner.end <= outer.end;

/**
 * The text of the layers frozen with `trainable: false` (in code or model.json): their weights
 * never change, so no rule reports on them. A range a trainable weighted layer shares (a YOLO
 * row holding a frozen DFL beside trainable convolutions) is not frozen text.
 */
function frozenRanges(model: ModelGraph): Range[] {
  if (!model.layers.some(isFrozen)) return [];
  const own = (l: Layer): Layer => (l.wrapped ? own(l.wrapped) : l);
  const trainable = model.layers.filter((l) => !isFrozen(l) && isWeightedKind(own(l).kind)).map((l) => `${l.range.start}:${l.range.end}`);
  return model.layers.filter((l) => isFrozen(l) && !trainable.includes(`${l.range.start}:${l.range.end}`)).map((l) => l.range);
}

/** The thresholds as rules read them, by the settings' object: one copy per settings, not per model. */
const ruleThresholdsOf = new WeakMap<Thresholds, RuleContext<string>['thresholds']>();

function ruleThresholds(thresholds: Thresholds): RuleContext<string>['thresholds'] {
  let found = ruleThresholdsOf.get(thresholds);
  if (!found) ruleThresholdsOf.set(thresholds, (found = { ...thresholds, ...healthThresholds(thresholds) }));
  return found;
}

const estimateVariant = (variant: ModelGraph): ModelEstimate => estimateModel(variant);

/** What every rule is given for one model: its graph and estimate, the thresholds in force, the file for fixes. */
export function ruleContext(model: ModelGraph, estimate: ModelEstimate, thresholds: Thresholds, source: FixSource): RuleContext<string> {
  return { model, estimate, thresholds: ruleThresholds(thresholds), source, estimateVariant };
}

/**
 * Lints one file's text with `rules`, within its analysis budget. Never throws. `context`: for a
 * Python notebook cell, the code cells above it (`prelude`: what the kernel has run before it;
 * only this text's models are reported); for tfjs code, how to read the files it imports
 * (`readFile`).
 */
export function lintText(
  file: string,
  text: string,
  config: ResolvedConfig,
  rules: readonly AnyRule[],
  context: SourceContext = {},
  /** Earlier analyses of models: an unchanged model's are reused (src/lint's cache). */
  memo?: ModelMemo,
): LintResult {
  return withBudget(config.analysisBudget ?? DEFAULT_ANALYSIS_BUDGET, () => lintWithinBudget(file, text, config, rules, context, memo));
}

function lintWithinBudget(file: string, text: string, config: ResolvedConfig, rules: readonly AnyRule[], context: SourceContext, memo: ModelMemo | undefined): LintResult {
  const extract = extractModels(file, text, { yoloScale: config.yoloScale, yoloDialect: config.yoloDialect, ...context });
  const source = new FixSource(file, text);
  const diagnostics: Diagnostic[] = extract.problems.map((p) => problemDiagnostic(p));
  const estimates: ModelEstimate[] = [];
  try {
    lintModels(extract, estimates, diagnostics, source, config, rules, memo);
  } catch (err) {
    if (!isBudgetExhausted(err)) throw err;
    // What was found before the budget ran out stands; the rest of the file is said to be unread.
    diagnostics.push(problemDiagnostic(budgetProblem(err)));
  }
  return finish(file, text, extract, estimates, diagnostics);
}

function lintModels(
  extract: ExtractResult,
  estimates: ModelEstimate[],
  diagnostics: Diagnostic[],
  source: FixSource,
  config: ResolvedConfig,
  rules: readonly AnyRule[],
  memo: ModelMemo | undefined,
): void {
  const budget = config.analysisBudget ?? DEFAULT_ANALYSIS_BUDGET;
  for (const model of extract.models) {
    const reused = memo?.recall(model);
    if (reused) {
      charge(reused.units);
      estimates.push(reused.estimate);
      const ctx = ruleContext(model, reused.estimate, config.thresholds, source);
      for (const d of reused.diagnostics) {
        const rule = rules.find((r) => r.id === d.ruleId);
        diagnostics.push(d.code ? { ...d, fixes: [] } : withFixes(d, () => fixesAgain(rule, ctx, d), budget));
      }
      continue;
    }
    const unitsBefore = unitsLeft();
    let estimate: ModelEstimate;
    try {
      estimate = estimateAtFirstUsefulStep(model);
    } catch (err) {
      if (isBudgetExhausted(err)) throw err;
      diagnostics.push({
        ruleId: PARSE_ERROR_RULE.id,
        severity: 'warning',
        message: `gradlint could not estimate ${model.name}: ${message(err)}`,
        range: model.range,
        related: [],
        fixes: [],
        model: model.name,
        code: 'internal-error',
      });
      continue;
    }
    estimates.push(estimate);
    const ctx = ruleContext(model, estimate, config.thresholds, source);
    const frozen = frozenRanges(model);
    const found: Diagnostic[] = [];
    // Indexed loops: for-of made an iterator per rule and model here.
    for (let r = 0; r < rules.length; r++) {
      // Pushed rule by rule: when the budget runs out, what was found before it stands.
      const ds = runRule(rules[r], ctx, config);
      for (let k = 0; k < ds.length; k++) {
        const d = ds[k];
        if (frozen.some((f) => within(d.range, f))) continue;
        diagnostics.push(d);
        found.push(d);
      }
    }
    memo?.remember(model, { estimate, diagnostics: found.map(withoutFixes), units: unitsBefore - unitsLeft() });
  }
}

function finish(file: string, text: string, extract: ExtractResult, estimates: ModelEstimate[], diagnostics: Diagnostic[]): LintResult {
  // A layer built in a loop, or a model nested in another, can yield one finding several times.
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.ruleId}:${d.range.start}:${d.range.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const kept = applySuppressions(file, text, unique);
  kept.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { extract, estimates, diagnostics: kept };
}

/** Which findings fix-all rewrites. */
export type FixFilter = (d: Diagnostic) => boolean;

/**
 * gradlint's fix-all policy, the same for `gradlint lint --fix` and the editor's
 * `source.fixAll.gradlint`: the preferred fix of every finding that is reported, whatever
 * its severity (as ESLint's --fix); a rule set to `off` reports, and so fixes, nothing.
 */
export const FIX_ALL: FixFilter = () => true;

/** ESLint's limit on fix passes: each pass may unlock fixes that overlapped before. */
export const MAX_FIX_PASSES = 10;

/**
 * Lints `text` and applies the preferred fixes of the findings `filter` keeps, re-linting
 * between passes until nothing changes (fixes that overlap apply on a later pass), at most
 * MAX_FIX_PASSES times. Never adds suppressions. Returns the fixed text and its lint result.
 */
export function lintAndFix(
  file: string,
  text: string,
  config: ResolvedConfig,
  rules: readonly AnyRule[],
  filter: FixFilter = FIX_ALL,
  context: SourceContext = {},
): { text: string; result: LintResult } {
  let current = text;
  let result = lintText(file, current, config, rules, context);
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = result.diagnostics.filter(filter).flatMap((d) => d.fixes.filter((f) => f.preferred));
    const next = fixes.length ? applyFixes(current, fixes) : current;
    if (next === current) break;
    current = next;
    result = lintText(file, current, config, rules, context);
  }
  return { text: current, result };
}
