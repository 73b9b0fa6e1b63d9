// Which repository's parse_model a model YAML was written for. The four repositories share
// the [from, repeats, module, args] rows but not their module sets, channel rules or heads,
// so the same row builds different layers (a YOLOv5 Detect is one 1×1 conv per level).

import type { ModelDocument } from './document';

export const DIALECTS = ['ultralytics', 'yolov5', 'yolov7', 'yolov9'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const DIALECT_NAMES: Record<Dialect, string> = {
  ultralytics: 'Ultralytics 8',
  yolov5: 'YOLOv5 repository',
  yolov7: 'YOLOv7 repository',
  yolov9: 'YOLOv9 repository',
};

export interface DialectChoice {
  dialect: Dialect;
  /** Why: the module or key that decided, or that a setting forced it. */
  reason: string;
}

// Heads (and markers) that exist only in one repository's models/yolo.py or common.py.
const YOLOV9_MODULES = ['DualDDetect', 'TripleDDetect', 'DDetect', 'DSegment', 'DualDSegment', 'Panoptic', 'DualDPanoptic', 'Silence'];
const YOLOV7_MODULES = ['IDetect', 'IAuxDetect', 'IBin', 'IKeypoint', 'SPPCSPC', 'MP', 'SP', 'ReOrg', 'RepConv', 'DownC', 'BottleneckCSPA', 'BottleneckCSPB', 'BottleneckCSPC', 'Stem', 'Shortcut'];

const YOLOV7_HEADS = ['IDetect', 'IAuxDetect', 'IBin', 'IKeypoint'];

// YOLOv7 modules Ultralytics has too (ultralytics/nn/modules/conv.py).
const SHARED_WITH_ULTRALYTICS = ['RepConv'];

// GELAN modules: the YOLOv9 repository's, also in Ultralytics.
const GELAN_MODULES = ['RepNCSPELAN4', 'ADown', 'SPPELAN', 'CBLinear', 'CBFuse', 'ELAN1', 'AConv'];

export const isDialect = (value: unknown): value is Dialect => typeof value === 'string' && (DIALECTS as readonly string[]).includes(value);

/** The dialect a file's content shows; `forced` (a setting or --dialect) wins. */
export function chooseDialect(doc: ModelDocument, forced?: Dialect): DialectChoice {
  if (forced) return { dialect: forced, reason: 'set by the dialect setting' };
  const modules = new Set(doc.rows.map((r) => (typeof r.module?.value === 'string' ? r.module.value : '')));
  const v9 = YOLOV9_MODULES.find((m) => modules.has(m));
  if (v9) return { dialect: 'yolov9', reason: `module ${v9}` };
  // YOLOv7's implicit heads are in no other repository: community YOLOv7 files write `anchors: 3` too.
  const v7Head = YOLOV7_HEADS.find((m) => modules.has(m));
  if (v7Head) return { dialect: 'yolov7', reason: `head ${v7Head}` };
  const anchors = doc.settings.anchors;
  // Ultralytics has a RepConv of its own: without anchors: it marks no YOLOv7 file.
  const v7 = YOLOV7_MODULES.find((m) => modules.has(m) && (anchors !== undefined || !SHARED_WITH_ULTRALYTICS.includes(m)));
  if (anchors !== undefined) {
    // Ultralytics has GELAN modules too, but never the anchors: key.
    const gelan = GELAN_MODULES.find((m) => modules.has(m));
    if (gelan) return { dialect: 'yolov9', reason: `module ${gelan} with anchors:` };
    // YOLOv9's anchor-free YOLOv7 writes a count (`anchors: 3`); YOLOv7's own files list anchors.
    if (v7 && typeof anchors.value === 'number') return { dialect: 'yolov9', reason: `module ${v7} with anchors: as a count` };
  }
  if (v7) return { dialect: 'yolov7', reason: `module ${v7}` };
  // Ultralytics 8 files carry no anchors; YOLOv5's Detect takes them from the `anchors:` key.
  if (doc.settings.anchors !== undefined) return { dialect: 'yolov5', reason: 'the anchors: key' };
  return { dialect: 'ultralytics', reason: 'default' };
}
