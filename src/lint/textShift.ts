// Where the positions of one text are in another that differs from it in one span (what an
// edit, or the edits between two lints, changed): offsets and 1-based lines before the span
// stay, those after it move by the span's change of length; those inside it have no place.
import { changedSpan } from '../core/text';

/** A position's mapping: the position in the other text, or undefined when it lies in the changed span. */
type Map1 = (n: number) => number | undefined;

export interface PositionMap {
  start: Map1;
  end: Map1;
  line: Map1;
}

const countLines = (text: string, end: number): number => {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** The maps from `before`'s positions to `after`'s (forward) and back. */
export function textShift(before: string, after: string): { forward: PositionMap; back: PositionMap } {
  const { start, endBefore, endAfter } = changedSpan(before, after);
  const startLine = countLines(before, start);
  const endLineBefore = countLines(before, endBefore);
  const endLineAfter = countLines(after, endAfter);
  /** From a text whose changed span ends at `from`, on line `fromLine`, to one where it ends at `to`, on `toLine`. */
  const map = (from: number, to: number, fromLine: number, toLine: number): PositionMap => ({
    // A range starting right after an insertion moves with it; one ending right before it stays.
    start: (n) => (n < start ? n : n >= from ? n + to - from : undefined),
    end: (n) => (n <= start ? n : n > from ? n + to - from : undefined),
    // The line the span starts on holds text on both sides of it unless no line was added or removed.
    line: (l) => (l < startLine || (l === startLine && fromLine === startLine && toLine === startLine) ? l : l > fromLine ? l + toLine - fromLine : undefined),
  });
  return { forward: map(endBefore, endAfter, endLineBefore, endLineAfter), back: map(endAfter, endBefore, endLineAfter, endLineBefore) };
}

/** `r` mapped; undefined when an end lies in the changed span. */
export function mapRange(r: { start: number; end: number }, map: PositionMap): { start: number; end: number } | undefined {
  const start = map.start(r.start);
  const end = map.end(r.end);
  // An empty range at an insertion could be on either side of it.
  return start === undefined || end === undefined || end < start ? undefined : { start, end };
}
