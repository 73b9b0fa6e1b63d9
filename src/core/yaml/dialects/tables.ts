// The module table of each dialect's parse_model.

import type { Dialect } from '../dialect';
import { ULTRALYTICS_MODULES, type ModuleTable } from '../modules';
import { YOLOV5_MODULES } from './yolov5';
import { YOLOV7_MODULES } from './yolov7';
import { YOLOV9_MODULES } from './yolov9';

export const DIALECT_MODULES: Record<Dialect, ModuleTable> = {
  ultralytics: ULTRALYTICS_MODULES,
  yolov5: YOLOV5_MODULES,
  yolov7: YOLOV7_MODULES,
  yolov9: YOLOV9_MODULES,
};
