"""Parameter counts of every model YAML of one YOLO repository, as that repository's own
code builds them (PyTorch), one TSV line per file: file, '-', total, per-row counts.

    /usr/bin/python3 scripts/yolo-reference/reference.py REPO_DIR MODELS_DIR_OR_FILE... > out.tsv

REPO_DIR is a checkout of ultralytics/yolov5, WongKinYiu/yolov7 or WongKinYiu/yolov9; run
through scripts/yolo-reference/regenerate.sh. Needs torch, numpy and yaml only."""
import contextlib
import io
import logging
import os
import sys

import stubs

stubs.install()
logging.disable(logging.CRITICAL)  # the repositories log each row's summary to stdout
repo = os.path.abspath(sys.argv[1])
sys.path.insert(0, repo)
os.chdir(repo)
import torch  # noqa: E402
from models.yolo import Model  # noqa: E402


def model_files(places):
    """The .yaml files named, and those under the folders named, in order."""
    for place in places:
        if os.path.isfile(place):
            yield place
            continue
        for root, _, files in sorted(os.walk(place)):
            yield from (os.path.join(root, name) for name in sorted(files) if name.endswith(".yaml"))


torch.manual_seed(0)
for path in model_files(sys.argv[2:]):
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            model = Model(path, ch=3)
    except Exception as err:  # a file the repository itself cannot build: said, not counted
        print(f"# {path}: not built by the repository: {type(err).__name__}: {err}".replace("\n", " "))
        continue
    rows = [sum(p.numel() for p in m.parameters()) for m in model.model]
    total = sum(p.numel() for p in model.parameters())
    print(f"{path}\t-\t{total}\t{','.join(map(str, rows))}", flush=True)
