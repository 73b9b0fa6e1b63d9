// argparse as training scripts size their models with it: `parser.add_argument('--ndf',
// type=int, default=64)`, then `opt = parser.parse_args()` and `nn.Conv2d(nc, opt.ndf, ...)`.
// The model is read as the script builds it when run without arguments: each option's default.
// An option without a default is None, as argparse gives it; a positional argument or a
// required option stays unknown.

import type { PyValue } from './values';
import { FALSE, NONE, TRUE, list, unknown } from './values';

type Parser = Extract<PyValue, { t: 'argparser' }>;

export const argumentParser = (): PyValue => ({ t: 'argparser', defaults: new Map() });

/** `--batch-size` is `batch_size`; a positional name has no dash and no default. */
function destination(positional: PyValue[], keywords: Map<string, PyValue>): string | undefined {
  const dest = keywords.get('dest');
  if (dest?.t === 'str') return dest.v;
  const names = positional.flatMap((v) => (v.t === 'str' ? [v.v] : []));
  const option = names.find((n) => n.startsWith('--')) ?? names.find((n) => n.startsWith('-'));
  return option?.replace(/^-+/, '').replace(/-/g, '_');
}

function optionDefault(keywords: Map<string, PyValue>): PyValue {
  const given = keywords.get('default');
  if (given) return given;
  const action = keywords.get('action');
  if (action?.t === 'str' && action.v === 'store_true') return FALSE;
  if (action?.t === 'str' && action.v === 'store_false') return TRUE;
  return NONE;
}

/** The parser's methods; `parse_args()` gives the namespace of defaults. */
export function argparserMethod(parser: Parser, name: string, positional: PyValue[], keywords: Map<string, PyValue>): PyValue {
  switch (name) {
    case 'add_argument': {
      const dest = destination(positional, keywords);
      // A required option is always given on the command line: its value is not known.
      const required = keywords.get('required');
      if (dest !== undefined && !(required?.t === 'bool' && required.v)) parser.defaults.set(dest, optionDefault(keywords));
      return NONE;
    }
    case 'set_defaults':
      keywords.forEach((v, k) => parser.defaults.set(k, v));
      return NONE;
    // A group's or a mutually exclusive group's options are the parser's.
    case 'add_argument_group':
    case 'add_mutually_exclusive_group':
      return parser;
    case 'parse_args':
      return namespaceOf(parser);
    case 'parse_known_args':
      return list([namespaceOf(parser), list([])], true);
    default:
      return unknown(`ArgumentParser.${name}() is not followed`);
  }
}

function namespaceOf(parser: Parser): PyValue {
  return { t: 'namespace', name: 'the parsed arguments', member: (n) => parser.defaults.get(n) };
}
