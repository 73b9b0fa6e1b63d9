#!/bin/bash
# Measures gradlint on a community YOLO project: the parameter counts the project's own code
# builds for its model YAMLs (community.py, Debian's python3-torch; nothing stood in for), then
# gradlint's reading of the same files with the project's Python (community.ts): how many rows
# that no dialect knows are expanded, and how many of those have the project's count.
#   scripts/yolo-reference/community.sh PROJECT_DIR FOLDER_OR_YAML... [-- --rows]
# FOLDERs are relative to PROJECT_DIR; the reference TSV is kept in $OUT (default
# /tmp/community-<project>.tsv). By hand only: the projects are not in the repository.
# Packages the project imports come from Debian (apt python3-opencv, -pandas, -matplotlib, -scipy,
# -seaborn, -tqdm, -easydict); timm is not in Debian: put its source (the timm/ folder of
# pytorch-image-models) on PYTHONPATH. mmcv's compiled ops cannot be had: such projects are said not built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
project=$(cd "$1" && pwd)
shift
places=()
while [[ $# -gt 0 && $1 != -- ]]; do places+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
out=${OUT:-/tmp/community-$(basename "$project").tsv}
files=$(cd "$project" && find "${places[@]}" -name '*.yaml' | LC_ALL=C sort | sed "s|^|$project/|")
mapfile -t list <<< "$files"
"$python" "$here/community.py" "$project" "${list[@]}" > "$out"
cd "$root" && npx tsx "$here/community.ts" "$out" "$@"
