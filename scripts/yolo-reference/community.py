"""Parameter counts of a community YOLO project's model YAMLs as the project's own code builds them
(PyTorch), one TSV line per file: file, scale used, total, per-row counts.

    /usr/bin/python3 scripts/yolo-reference/community.py PROJECT_DIR FILE.yaml... > out.tsv

PROJECT_DIR is a fork of Ultralytics (ultralytics/nn/tasks.py) or of YOLOv5 (models/yolo.py). Nothing
is stood in for: a file whose modules need a package that is not installed (timm, einops) is printed
as a comment line saying why, and not counted. Run through scripts/yolo-reference/community.sh."""
import contextlib
import io
import logging
import os
import sys
import tempfile

project = os.path.abspath(sys.argv[1])
# Ultralytics forks write a settings file on import: into a folder of their own, not the user's.
os.environ.setdefault("YOLO_CONFIG_DIR", tempfile.mkdtemp(prefix="community-reference-"))
sys.path.insert(0, project)
os.chdir(project)
logging.disable(logging.CRITICAL)

import torch  # noqa: E402


def ultralytics_builder():
    from ultralytics.nn import tasks

    def build(path):
        config = tasks.yaml_model_load(path)
        task = tasks.guess_model_task(config)
        model_class = {"segment": "SegmentationModel", "pose": "PoseModel", "obb": "OBBModel", "classify": "ClassificationModel"}.get(task, "DetectionModel")
        if config["head"][-1][2] == "RTDETRDecoder":
            model_class = "RTDETRDetectionModel"
        model = getattr(tasks, model_class)(config, ch=3, verbose=False)
        return model, config.get("scale") or "-"

    return build


def yolov5_builder():
    from models.yolo import Model

    return lambda path: (Model(path, ch=3), "-")


try:
    with contextlib.redirect_stdout(io.StringIO()):
        build = ultralytics_builder() if os.path.exists("ultralytics/nn/tasks.py") else yolov5_builder()
except Exception as err:  # the project's code does not import here: every file is said, none counted
    build = None
    why = f"{type(err).__name__}: {err}"

torch.manual_seed(0)
for path in sys.argv[2:]:
    if build is None:
        print(f"# {path}: not built: {why}".replace("\n", " "), flush=True)
        continue
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            model, scale = build(os.path.abspath(path))
    except Exception as err:  # a file the project's own code cannot build here: said, not counted
        print(f"# {path}: not built: {type(err).__name__}: {err}".replace("\n", " "), flush=True)
        continue
    rows = [sum(p.numel() for p in m.parameters()) for m in model.model]
    total = sum(p.numel() for p in model.parameters())
    print(f"{path}\t{scale}\t{total}\t{','.join(map(str, rows))}", flush=True)
