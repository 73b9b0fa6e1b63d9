// Option parsers the commands share; a bad value is a usage error (exit 2).
import { InvalidArgumentError, Option } from 'commander';
import { DIALECTS } from '../core/yaml/dialect';
import { DEFAULT_ANALYSIS_BUDGET } from '../core/budget';

/** An integer flag no smaller than `min`. */
export function integerAtLeast(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(Number.isFinite(min) ? `expected an integer ≥ ${min}` : 'expected an integer');
    return n;
  };
}

/** `--scale`: the YOLO scale letter for YAML files whose name carries none. */
export const scaleOption = (): Option =>
  new Option('--scale <s>', 'YOLO scale for YAML files whose name carries none').choices(['n', 's', 'm', 'l', 'x']);

/** `--dialect`: the repository whose parse_model reads YOLO YAML files, instead of recognising it per file. */
export const dialectOption = (): Option =>
  new Option('--dialect <d>', 'read YOLO YAML files as written for this repository (default: recognised per file)').choices([...DIALECTS]);
/** `--analysis-budget`: work units one file's analysis may spend before it stops with a notice. */
export const budgetOption = (): Option =>
  new Option('--analysis-budget <units>', `work units per file before its analysis stops (default ${DEFAULT_ANALYSIS_BUDGET})`).argParser(integerAtLeast(1));

