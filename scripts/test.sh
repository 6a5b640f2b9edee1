#!/usr/bin/env bash
# All tests, on a fresh machine too: .NET unit + LSP tests, the generic-LSP-client smoke test on examples/,
# Neovim's built-in client and Emacs's Eglot on examples/, then the VS Code end-to-end suite. Idempotent; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== .NET tests (Core, Server over LSP)"
dotnet test PaperNotes.sln -c Release --nologo -v quiet

echo "== generic LSP client (vscode-jsonrpc) on examples/"
(cd tests/lsp-smoke && npm ci --no-audit --no-fund --silent)
node tests/lsp-smoke/smoke.mjs server/PaperNotes.Server/bin/Release/net10.0/papernotes.dll

echo "== Neovim's built-in LSP client on examples/ (installs Debian's neovim when missing)"
bash tests/neovim/run.sh

echo "== Emacs with Eglot on examples/ (installs Debian's emacs-nox and elpa-eglot when missing)"
bash tests/emacs/run.sh

echo "== VS Code extension end to end (code-server + Chromium; first run installs ~800 MB into ~/.cache/papernotes-e2e)"
bash tests/e2e/run.sh
