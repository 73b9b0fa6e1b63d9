#!/bin/bash
# Writes test/fixtures/yolo/params.tsv: for every Ultralytics model YAML in test/fixtures/yolo/
# (the folders named below) and each of its scales, the parameter count of each YAML row and
# the total, as Ultralytics' own code (tasks.py and nn/modules/) builds the model.
#   scripts/yolo-reference/regenerate-ultralytics.sh ULTRALYTICS_DIR
# ULTRALYTICS_DIR holds Ultralytics' `ultralytics` package (8.4; see test/fixtures/yolo/SOURCE.md
# for the copy used). Needs Python 3 with torch, numpy and yaml (PYTHON=/usr/bin/python3 for
# Debian's python3-torch); the tests never run it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(cd "$here/../.." && pwd)/test/fixtures/yolo
python=${PYTHON:-python3}
out=$fixtures/params.tsv
cd "$fixtures"
trap 'rm -f "$out.tmp"' EXIT
files=$(find v3 v5 v6 v8 v9 v10 11 12 26 rt-detr -name '*.yaml' 2>/dev/null | LC_ALL=C sort)
{
  echo "# Parameter counts of the models that Ultralytics' own code builds from these files (all scales), per YAML row and in total."
  echo "# Computed with Ultralytics 8.4 (PyTorch) by scripts/yolo-reference/regenerate-ultralytics.sh; rows are 0-based over backbone then head."
  printf 'file\tscale\ttotal\tper_row\n'
  # shellcheck disable=SC2086 # one argument per file
  "$python" "$here/ultralytics_reference.py" "$1" $files
} > "$out.tmp"
mv "$out.tmp" "$out"
