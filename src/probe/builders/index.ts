// Loads every builder module so the registry is complete before a model is built.
import './tfjsLayers';
import './pytorchConfig';
import './yolo';

export { builderFor, registerBuilder, registeredKinds } from './registry';
export type { BuildContext, BuiltLayer, LayerBuilder, TfLayer } from './registry';
