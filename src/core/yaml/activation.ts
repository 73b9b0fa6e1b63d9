// The `activation:` setting is Python code that Ultralytics eval()s into Conv.default_act.
// gradlint never evaluates it: a tiny parser accepts a call of a torch.nn activation class
// with literal arguments (`nn.LeakyReLU(0.1)`, `torch.nn.ReLU(inplace=True)`).

export interface ActivationSpec {
  /** tfjs-style activation id used by the `activation` layer kind (see KINDS.md). */
  activation: string;
  /** LeakyReLU negative slope / ELU alpha. */
  alpha?: number;
}

interface TorchActivation {
  activation: string;
  /** Name and default of the parameter that becomes `alpha`, in positional order. */
  alpha?: { names: string[]; default: number };
}

const TORCH_ACTIVATIONS: Record<string, TorchActivation> = {
  SiLU: { activation: 'swish' },
  ReLU: { activation: 'relu' },
  ReLU6: { activation: 'relu6' },
  Sigmoid: { activation: 'sigmoid' },
  Tanh: { activation: 'tanh' },
  Hardswish: { activation: 'hardSwish' },
  Hardsigmoid: { activation: 'hardSigmoid' },
  GELU: { activation: 'gelu' },
  Mish: { activation: 'mish' },
  Softplus: { activation: 'softplus' },
  Identity: { activation: 'linear' },
  LeakyReLU: { activation: 'leakyReLU', alpha: { names: ['negative_slope'], default: 0.01 } },
  ELU: { activation: 'elu', alpha: { names: ['alpha'], default: 1.0 } },
};

/** The activation classes gradlint understands, for messages and completions. */
const KNOWN_ACTIVATIONS = Object.keys(TORCH_ACTIVATIONS);

/** A torch.nn activation class used as a module row (`[-1, 1, nn.LeakyReLU, [0.1]]`). */
export function activationModule(className: string, firstArg: unknown): ActivationSpec | undefined {
  const known = Object.prototype.hasOwnProperty.call(TORCH_ACTIVATIONS, className) ? TORCH_ACTIVATIONS[className] : undefined;
  if (!known) return undefined;
  const spec: ActivationSpec = { activation: known.activation };
  if (known.alpha) spec.alpha = typeof firstArg === 'number' ? firstArg : known.alpha.default;
  return spec;
}

export type ParsedActivation = { ok: true; spec: ActivationSpec } | { ok: false; message: string };

interface Argument {
  name?: string;
  value: string;
}

/** Splits `a.b.C(x, k=y)` into its dotted callee and arguments; undefined when it is not that shape. */
function splitCall(expr: string): { callee: string; args: Argument[] } | undefined {
  const open = expr.indexOf('(');
  if (open < 0 || !expr.endsWith(')')) return undefined;
  const callee = expr.slice(0, open).trim();
  const isIdentifierPath = callee.split('.').every((part) => part.length > 0 && [...part].every((ch, i) => isIdentifierChar(ch, i === 0)));
  if (!isIdentifierPath) return undefined;
  const inner = expr.slice(open + 1, -1).trim();
  if (inner.includes('(') || inner.includes(')')) return undefined;
  const args = inner === '' ? [] : inner.split(',').map((part): Argument => {
    const eq = part.indexOf('=');
    return eq < 0 ? { value: part.trim() } : { name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() };
  });
  return { callee, args };
}

function isIdentifierChar(ch: string, first: boolean): boolean {
  const code = ch.charCodeAt(0);
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || ch === '_';
  return first ? letter : letter || (code >= 48 && code <= 57);
}

const PYTHON_BOOLEANS = new Set(['True', 'False']);

/** Reads an `activation:` expression without evaluating it. */
export function parseActivation(expression: string): ParsedActivation {
  const expr = expression.trim();
  const call = splitCall(expr);
  if (!call) {
    const bare = expr.split('.').pop() ?? expr;
    if (Object.hasOwn(TORCH_ACTIVATIONS, bare)) {
      return { ok: false, message: `\`${expr}\` is a class, not a module: Ultralytics needs an instance, \`${expr}()\`.` };
    }
    return { ok: false, message: `gradlint cannot read the activation expression \`${expr}\`; write e.g. \`nn.SiLU()\`.` };
  }
  const parts = call.callee.split('.');
  const className = parts[parts.length - 1];
  const namespace = parts.slice(0, -1).join('.');
  const known = Object.prototype.hasOwnProperty.call(TORCH_ACTIVATIONS, className) ? TORCH_ACTIVATIONS[className] : undefined;
  if (!known || (namespace !== 'nn' && namespace !== 'torch.nn')) {
    return {
      ok: false,
      message: `Unknown activation \`${call.callee}\`; gradlint reads torch.nn ${KNOWN_ACTIVATIONS.join(', ')} and treats this one as SiLU.`,
    };
  }
  const spec: ActivationSpec = { activation: known.activation };
  if (known.alpha) spec.alpha = known.alpha.default;
  for (const [i, arg] of call.args.entries()) {
    if (arg.name === 'inplace' || (arg.name === undefined && PYTHON_BOOLEANS.has(arg.value))) continue;
    const isAlpha = known.alpha && (arg.name === undefined ? i === 0 : known.alpha.names.includes(arg.name));
    const number = Number(arg.value);
    if (!isAlpha || arg.value === '' || !Number.isFinite(number)) {
      return { ok: false, message: `gradlint cannot read the argument \`${arg.name ? `${arg.name}=` : ''}${arg.value}\` of \`${call.callee}\`.` };
    }
    spec.alpha = number;
  }
  return { ok: true, spec };
}
