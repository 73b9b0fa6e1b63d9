// Placeholder until the YOLO module builders land (issue 5/6, H5): register each YOLO
// kind of src/core/yaml/KINDS.md here with registerBuilder (./registry), or import the
// yolo*.ts files that do. ./index.ts imports this module.
export {};
