// Text output in the layout of ESLint's default "stylish" formatter: the file, then one
// aligned row per finding (line:column, level, message, rule), then a summary line.

import type { Severity } from '../../core/diagnostic';
import { printable } from '../../core/text';
import { toEslintResult, type FileReport } from './json';

const COLORS: Record<Severity | 'dim' | 'underline' | 'bold', [number, number]> = {
  error: [31, 39],
  warning: [33, 39],
  info: [34, 39],
  hint: [90, 39],
  dim: [90, 39],
  underline: [4, 24],
  bold: [1, 22],
};

export function formatStylish(reports: FileReport[], color: boolean): string {
  const paint = (style: keyof typeof COLORS, s: string) => (color ? `\u001b[${COLORS[style][0]}m${s}\u001b[${COLORS[style][1]}m` : s);
  const totals: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let out = '';
  for (const report of reports) {
    const result = toEslintResult(report);
    if (!result.messages.length) continue;
    const rows = result.messages.map((m) => [`${m.line}:${m.column}`, m.level, printable(m.message.replace(/\.$/, '')), m.ruleId]);
    const widths = [0, 1].map((i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
    out += `\n${paint('underline', printable(report.filePath))}\n`;
    for (const [position, level, message, rule] of rows) {
      totals[level as Severity]++;
      out += `  ${paint('dim', position.padEnd(widths[0]))}  ${paint(level as Severity, level.padEnd(widths[1]))}  ${message}  ${paint('dim', rule)}\n`;
    }
  }
  const problems = totals.error + totals.warning + totals.info + totals.hint;
  if (!problems) return '';
  const parts = (['error', 'warning', 'info', 'hint'] as const)
    .filter((l) => totals[l] || l === 'error' || l === 'warning')
    .map((l) => `${totals[l]} ${l}${totals[l] === 1 || l === 'info' ? '' : 's'}`);
  const mark = totals.error ? 'error' : totals.warning ? 'warning' : 'info';
  out += `\n${paint(mark, paint('bold', `✖ ${problems} problem${problems === 1 ? '' : 's'} (${parts.join(', ')})`))}\n`;
  return out;
}
