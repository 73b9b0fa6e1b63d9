"""Parameter counts of Ultralytics model YAMLs as Ultralytics' own code builds them (PyTorch), one
TSV line per file and scale: file, scale ('-' for a file without scales), total, per-row counts.

    /usr/bin/python3 scripts/yolo-reference/ultralytics_reference.py ULTRALYTICS_DIR FILE.yaml... > out.tsv

ULTRALYTICS_DIR holds an `ultralytics` package (8.4); run through regenerate-ultralytics.sh.
Needs torch, numpy and yaml only: any other package that Ultralytics imports is stood in for."""
import contextlib
import copy
import importlib.abc
import importlib.machinery
import importlib.metadata
import io
import logging
import os
import sys

import yaml

import stubs

home = os.path.abspath(sys.argv[1])
os.environ.setdefault("YOLO_CONFIG_DIR", os.path.join(home, ".config"))  # its settings file, not the user's


class _MissingPackages(importlib.abc.MetaPathFinder):
    """Stands in, after the real finders, for whatever third-party package is not installed (cv2, PIL, ...)."""

    def find_spec(self, fullname, path, target=None):
        top = fullname.split(".")[0]
        if top in ("ultralytics", "yaml", "numpy") or top.startswith(("_", "torch")) or top in sys.stdlib_module_names:
            return None
        return importlib.machinery.ModuleSpec(fullname, stubs._Finder(), is_package=True)


def _torchvision_without_weights():
    """TorchVision rows name pretrained weights, which change no parameter count: build them without downloading."""
    try:
        import torchvision
    except ImportError:
        return  # files with TorchVision rows are then said not built
    get_model = torchvision.models.get_model
    torchvision.models.get_model = lambda name, **kwargs: get_model(name, **{**kwargs, "weights": None})


_version = importlib.metadata.version


def _any_version(name):  # Ultralytics reads the installed versions of packages it never uses to build
    try:
        return _version(name)
    except importlib.metadata.PackageNotFoundError:
        return "0.14.0"


_torchvision_without_weights()  # before any stand-in, which torchvision's own imports must not meet
sys.meta_path.append(_MissingPackages())
importlib.metadata.version = _any_version
sys.path.insert(0, home)
with contextlib.redirect_stdout(io.StringIO()):
    import torch  # noqa: E402
    from ultralytics.nn import tasks  # noqa: E402
logging.disable(logging.CRITICAL)


# The model class Ultralytics builds for a file, by its last row's module, else by its task.
BY_HEAD = {
    "WorldDetect": tasks.WorldModel,
    "YOLOEDetect": tasks.YOLOEModel,
    "YOLOESegment": tasks.YOLOESegModel,
    "YOLOESegment26": tasks.YOLOESegModel,
    "RTDETRDecoder": tasks.RTDETRDetectionModel,
}
BY_TASK = {
    "detect": tasks.DetectionModel,
    "segment": tasks.SegmentationModel,
    "pose": tasks.PoseModel,
    "obb": tasks.OBBModel,
    "classify": tasks.ClassificationModel,
    "semantic": tasks.SemanticSegmentationModel,
}


def build(config):
    head = config["head"][-1][2]
    model_class = BY_HEAD.get(head) or BY_TASK[tasks.guess_model_task(config)]
    with contextlib.redirect_stdout(io.StringIO()):
        return model_class(copy.deepcopy(config), ch=3, verbose=False)


torch.manual_seed(0)
for path in sys.argv[2:]:
    with open(path) as file:
        config = yaml.safe_load(file)
    for scale in config.get("scales") or ["-"]:
        config["scale"] = "" if scale == "-" else scale
        config["yaml_file"] = path
        try:
            model = build(config)
        except Exception as err:  # a file this Ultralytics cannot build: said, not counted
            print(f"# {path} {scale}: not built: {type(err).__name__}: {err}".replace("\n", " "), flush=True)
            continue
        rows = [sum(p.numel() for p in m.parameters()) for m in model.model]
        total = sum(p.numel() for p in model.parameters())
        print(f"{path}\t{scale}\t{total}\t{','.join(map(str, rows))}", flush=True)
