#!/usr/bin/env bash
# Installs the offline VS Code harness for test/vscode/run.js into a cache folder outside
# the repository: code-server 4.100.3 (a VS Code 1.100.3 server, the last one that runs on
# Node 20) from the npm registry, its native modules built against this Node, Debian's
# chromium. Idempotent: a finished install is marked and reused in well under a second.
# See ../shared/reference/offline-vscode.md ("a second route that stays on Node 20").
set -euo pipefail

VERSION=4.100.3
RIPGREP_PKG=1.15.11             # @vscode/ripgrep version code-server 4.100.3 depends on
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CACHE="${GRADLINT_CI_CACHE:-$HOME/.cache/gradlint-ci}"
DEST="$CACHE/code-server-$VERSION"

if [ -f "$DEST/.gradlint-installed" ]; then
  echo "setup-vscode: code-server $VERSION ready in $DEST"
  exit 0
fi

APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev
  libsecret-1-dev ripgrep chromium fonts-liberation)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-vscode: apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work="$CACHE/tmp"
rm -rf "$work" "$DEST"
mkdir -p "$work"
export TMPDIR="$work"

# @vscode/ripgrep downloads rg from GitHub unless its cache already holds the asset:
# seed it with Debian's ripgrep.
rg_cache="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG"
mkdir -p "$rg_cache"
tar -czf "$rg_cache/$RIPGREP_ASSET" -C "$(dirname "$(command -v rg)")" rg

echo "setup-vscode: fetching code-server@$VERSION"
(cd "$work" && npm pack "code-server@$VERSION" --silent >/dev/null)
mkdir -p "$DEST"
tar -xzf "$work/code-server-$VERSION.tgz" -C "$DEST" --strip-components=1

echo "setup-vscode: installing its runtime dependencies (a minute or two)"
# unsafe_perm: code-server's postinstall refuses root otherwise; yes: it runs a nested
# `npx node-gyp`; nodedir: build native modules against the installed Node's headers
# instead of downloading them.
(cd "$DEST" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --omit=dev --no-audit --no-fund --loglevel=error)

test -f "$DEST/lib/vscode/out/server-main.js"
test -x "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
rm -rf "$work"
touch "$DEST/.gradlint-installed"
echo "setup-vscode: code-server $VERSION installed in $DEST"
