// Model scale selection and Ultralytics' rounding helpers.

import * as path from 'path';
import type { Problem, Value } from '../graph';
import type { ModelDocument } from './document';

export interface ScaleChoice {
  /** The scale letter used, when the file has `scales`. */
  letter?: string;
  depth: number;
  width: number;
  maxChannels: number;
}

/** Python's round(): halves go to the even neighbour (round(2.5) == 2). */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff === 0.5) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(x);
}

/** Ultralytics make_divisible: the next multiple of `divisor` at or above x. */
export function makeDivisible(x: number, divisor: number): number {
  return Math.ceil(x / divisor) * divisor;
}

/** Ultralytics guess_model_scale: the letter after the version in `yolo11n-seg`, `yolov8s`, `yoloe-11l`. */
export function scaleFromFileName(file: string): string | undefined {
  const stem = path.basename(file).replace(/\.[^.]*$/, '');
  return /yolo(e-)?v?\d+([nslmx])/.exec(stem)?.[2];
}

const isTriple = (v: Value): v is number[] => Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'number');

/**
 * The scale Ultralytics would use: from the file name, else the requested one, else the first
 * listed (Ultralytics warns then). Files without `scales` use depth/width_multiple.
 */
export function chooseScale(doc: ModelDocument, file: string, requested: string | undefined, problems: Problem[]): ScaleChoice {
  const scales = doc.settings.scales;
  const num = (key: string): number => (typeof doc.settings[key]?.value === 'number' ? (doc.settings[key].value as number) : 1.0);
  if (!scales || scales.value === null || typeof scales.value !== 'object' || Array.isArray(scales.value)) {
    return { depth: num('depth_multiple'), width: num('width_multiple'), maxChannels: Infinity };
  }
  const table = scales.value;
  const letters = Object.keys(table);
  const wanted = scaleFromFileName(file) ?? requested;
  const letter = wanted !== undefined && letters.includes(wanted) ? wanted : letters[0];
  if (wanted !== undefined && !letters.includes(wanted)) {
    problems.push({ message: `Scale '${wanted}' is not in scales (${letters.join(', ')}); using '${letter}'.`, range: scales.range, severity: 'warning' });
  }
  const row = letter === undefined ? undefined : table[letter];
  if (letter === undefined || row === undefined || !isTriple(row)) {
    problems.push({ message: 'Each scale must be [depth_multiple, width_multiple, max_channels].', range: scales.range, severity: 'error' });
    return { depth: 1, width: 1, maxChannels: Infinity };
  }
  return { letter, depth: row[0], width: row[1], maxChannels: row[2] ?? Infinity };
}
