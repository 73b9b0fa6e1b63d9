#!/bin/bash
# Copies the model YAMLs of the YOLOv5, YOLOv7 and YOLOv9 repositories into
# test/fixtures/yolo/<repo>/ and writes test/fixtures/yolo/repos-params.tsv: each file's
# parameter counts (total and per row) as the repository's own code builds it.
#   scripts/yolo-reference/regenerate.sh YOLOV5_DIR YOLOV7_DIR YOLOV9_DIR
# Each *_DIR is a checkout of that repository (ultralytics/yolov5, WongKinYiu/yolov7,
# WongKinYiu/yolov9). Needs Python 3 with torch, numpy and yaml; the tests never run it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(cd "$here/../.." && pwd)/test/fixtures/yolo
python=${PYTHON:-python3}
out=$fixtures/repos-params.tsv
{
  echo "# Parameter counts of the model YAMLs of the YOLOv5, YOLOv7 and YOLOv9 repositories, per YAML row and in total,"
  echo "# as each repository's own models/yolo.py builds them (PyTorch; written by scripts/yolo-reference/regenerate.sh)."
  printf 'file\tscale\ttotal\tper_row\n'
} > "$out"
copy_and_count() { # name dir header folder...: header is put above files that carry no licence line of their own
  local name=$1 dir=$2 header=$3
  shift 3
  rm -rf "${fixtures:?}/$name"
  for folder in "$@"; do
    (cd "$dir" && find "$folder" -name '*.yaml' -print0) | while IFS= read -r -d '' f; do
      mkdir -p "$fixtures/$name/$(dirname "$f")"
      if [[ -n "$header" ]]; then
        { echo "# $header, $f; copied unchanged below as gradlint test input (test/fixtures/yolo/SOURCE.md)"; cat "$dir/$f"; } > "$fixtures/$name/$f"
      else
        cp "$dir/$f" "$fixtures/$name/$f"
      fi
    done
  done
  "$python" "$here/reference.py" "$dir" "$@" | sed -E "s#^([^\#])#$name/\1#; s#^\# #\# $name/#" >> "$out"
}
copy_and_count yolov5 "$1" "" models
copy_and_count yolov7 "$2" "GPL-3.0 (c) Chien-Yao Wang and contributors, from WongKinYiu/yolov7" cfg
copy_and_count yolov9 "$3" "GPL-3.0 (c) Chien-Yao Wang and contributors, from WongKinYiu/yolov9" models
# gradlint's own files (test/fixtures/yolo/own/<repo>-*.yaml) for modules no repository YAML uses.
"$python" "$here/reference.py" "$1" "$fixtures"/own/yolov5-*.yaml | sed "s#$fixtures/##" >> "$out"
"$python" "$here/reference.py" "$2" "$fixtures"/own/yolov7-*.yaml | sed "s#$fixtures/##" >> "$out"
