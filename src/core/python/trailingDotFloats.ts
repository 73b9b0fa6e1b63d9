// @lezer/python (1.1.19) has no float literal with nothing after its point: `100.`, `0.` and
// `255.` parse as an attribute access on an int with a missing name (an error node), so public
// code such as `100. * batch_idx / n` or `gamma: float = 1000.` read as a syntax error. Python
// reads them as floats. The AST keeps numbers as JS numbers, so the point can become a space:
// same length, same ranges, same value.

import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';

/** Offsets of the points that end a float literal `123.`, as lezer misreads them. */
function trailingPoints(tree: Tree, text: string): number[] {
  const points: number[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.name !== 'MemberExpression') return;
      const number = n.node.firstChild;
      const point = number?.nextSibling;
      const missingName = point?.nextSibling;
      if (number?.name !== 'Number' || point?.name !== '.' || point.from !== number.to) return;
      if (!missingName?.type.isError || missingName.from !== missingName.to) return;
      // Only a decimal integer takes a point (`0x1.` is no literal), and only one (`1.5.` isn't either).
      if (/^[0-9][0-9_]*$/.test(text.slice(number.from, number.to))) points.push(point.from);
    },
  });
  return points;
}

/**
 * lezer's tree of the text, read with Python's float literals; `text` is what it was parsed
 * from (each misread trailing point blanked), for reading the source of its nodes.
 */
export function parsePythonTree(original: string): { tree: Tree; text: string } {
  const first = parser.parse(original);
  const points = trailingPoints(first, original);
  if (points.length === 0) return { tree: first, text: original };
  const chars = original.split('');
  for (const p of points) chars[p] = ' ';
  const text = chars.join('');
  return { tree: parser.parse(text), text };
}
