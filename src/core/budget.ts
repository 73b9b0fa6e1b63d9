// One work budget per analysed file. Every loop whose trip count comes from the input (layers
// expanded, time steps unrolled, kernel taps counted, source statements evaluated, fix
// searches) charges it; when it runs out the analysis of the file stops with one
// 'analysis-stopped' problem naming the setting, instead of hanging the editor or the CLI.
// The analysis is synchronous, so the budget of the file being analysed is module state.

/**
 * Work units per file. A unit is one source statement or expression evaluated, one layer
 * estimated, one time step unrolled, one kernel tap counted, 20 per parser token: a generated
 * 1.4 MB model file spends about 3.7 million, the Ultralytics YAMLs about 25,000.
 */
export const DEFAULT_ANALYSIS_BUDGET = 10_000_000;

/**
 * Units per layer built from YAML rows or estimated (10 to 20 µs each). With the default budget
 * a model stops at about 100,000 layers, 50 times the deepest real model; a fuzzed YAML of 2,000
 * rows of 32 repeated ELAN blocks (190,000 layers) took 40 s and 1.4 GB to lint, graph and estimate.
 */
export const LAYER_UNITS = 100;

/**
 * Units per array item the tfjs interpreter copies or writes (spread, concat, push). A loop
 * that grows arrays keeps every copy alive (its writes are journalled so a branch can be undone):
 * 13 spread-doublings in a loop of 100,000 filled 4 GB. At this price the default budget stops
 * after a million items.
 */
export const ITEM_UNITS = 10;

/** Where people set the budget, for the message that says it ran out. */
export const BUDGET_SETTING = 'analysisBudget (.gradlintrc.json), gradlint.analysisBudget (VS Code), --analysis-budget (CLI)';

/** Sizes (elements of one dimension, units, kernel taps) above any real model's. */
export const MAX_PLAUSIBLE_SIZE = 2 ** 31;

export class BudgetExhausted extends Error {
  constructor(readonly limit: number) {
    super(`Analysis stopped: the file needs more than ${limit} units of work (the analysis budget; raise it with ${BUDGET_SETTING})`);
  }
}

let remaining = Infinity;
let active: number | undefined;

/** Runs `fn` with a fresh budget of `limit` units; nested calls share the outer budget. */
export function withBudget<T>(limit: number, fn: () => T): T {
  if (active !== undefined) return fn();
  active = limit;
  remaining = limit;
  try {
    return fn();
  } finally {
    active = undefined;
    remaining = Infinity;
  }
}

/** Spends `units` of the current file's budget; throws BudgetExhausted when it is gone. */
export function charge(units: number): void {
  remaining -= units;
  if (remaining < 0 && active !== undefined) throw new BudgetExhausted(active);
}

/** Units left of the current file's budget (Infinity outside withBudget): what a piece of work spent is the difference. */
export const unitsLeft = (): number => remaining;

/** 1 for the separators (`,;()[]{}:` and newline) among ASCII codes: a table read beats ten compares per character. */
export const SEPARATORS = new Uint8Array(128);
for (const c of ',;()[]{}:\n') SEPARATORS[c.charCodeAt(0)] = 1;

/** Separators (`,;()[]{}:` and newlines): what parsers spend their time on, counted without parsing. */
export function countTokens(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) n += SEPARATORS[c];
  }
  return n;
}

/**
 * Charges a parse before it starts: the parsers (typescript-estree, yaml) spend 1 to 30 µs a
 * token, about 20 evaluation steps, and cannot be stopped half-way (2 MB of `1,1,1,…` took
 * 30 s). A generated 1.4 MB model file charges about 3.4 million.
 */
export function chargeParse(text: string): number {
  const tokens = countTokens(text);
  chargeTokens(tokens);
  return tokens;
}

/** Charges the parse of a text of `tokens` separators counted by the caller (see chargeParse). */
export function chargeTokens(tokens: number): void {
  charge(20 * tokens);
}

/** Whether the error is the budget running out (structured, not a message match). */
export const isBudgetExhausted = (err: unknown): err is BudgetExhausted => err instanceof BudgetExhausted;
