/** 0-based line and UTF-16 column, as VS Code and ESLint count them. */
export interface Position {
  line: number;
  character: number;
}

/** Converts between character offsets and line/column positions of one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  /** 1-based line of an offset, as people and the CLI count lines. */
  lineOf(offset: number): number {
    return this.positionAt(offset).line + 1;
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const lineEnd = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] - 1 : this.text.length;
    return Math.min(this.starts[Math.max(0, pos.line)] + Math.max(0, pos.character), lineEnd);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset where 0-based line `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
}

/** Where `before` and `text` differ: the common prefix's length, and the ends of the differing parts. */
export function changedSpan(before: string, text: string): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  const shorter = Math.min(before.length, text.length);
  while (start < shorter && before.charCodeAt(start) === text.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = text.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === text.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { start, endBefore, endAfter };
}

/**
 * Control characters (ESC, BEL, ...) and bidirectional overrides shown as escapes: a layer
 * named in a file must not drive the terminal of whoever prints the findings. Newlines stay.
 */
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** Widest a column is padded to: a longer cell (a fuzzed 100,000-character module name) overflows its own line instead of padding every line of the table. */
const MAX_COLUMN_WIDTH = 120;

/** Rows of cells as columns two spaces apart, padded to the column's width; `alignRight(c)` for columns of numbers. */
export function alignColumns(rows: string[][], alignRight: (column: number) => boolean): string[] {
  const widths = rows[0].map((_, c) => Math.min(MAX_COLUMN_WIDTH, rows.reduce((width, row) => Math.max(width, row[c].length), 0)));
  return rows.map((row) => row.map((cell, c) => (alignRight(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}
