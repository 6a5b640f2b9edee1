#!/usr/bin/env bash
# All tests, on a fresh machine too. Idempotent; installs what it needs (Debian packages with apt-get as root or
# through sudo, npm packages, code-server into ~/.cache/papernotes-e2e). In order:
#   .NET unit and LSP tests in process; the extension's node unit tests; the linux-x64 server published once (NativeAOT, cached per source version
#   in ~/.cache/papernotes-publish) and the LSP and command-line tests again against that binary; the generic LSP
#   client on examples/ (framework-dependent dll and binary); Neovim's built-in client and Emacs's Eglot against the
#   binary; the dotnet tool installed from a local folder; the release (scripts/release.sh: every platform's server,
#   archive and .vsix, the nupkg; PAPERNOTES_SKIP_RELEASE=1 skips it); the VS Code end-to-end suite, with the
#   universal package and with the linux-x64 package on a machine without .NET.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== .NET tests in process (Core, Server over LSP)"
dotnet test PaperNotes.sln -c Release --nologo -v quiet --logger "console;verbosity=minimal"

echo "== VS Code extension unit tests (node:test): citation parsing against pandoc's, the Markdown preview's rendering"
[ -x node_modules/.bin/tsc ] && [ -d node_modules/citeproc ] || npm ci --no-audit --no-fund --silent
npm run --silent test:client

echo "== publish the linux-x64 server (NativeAOT; the first build of a source version takes about a minute)"
server="$(bash scripts/publish-server.sh linux-x64)/papernotes"

echo "== LSP and command-line tests against the published server ($server)"
PAPERNOTES_TEST_SERVER="$server" dotnet test PaperNotes.sln -c Release --nologo -v quiet --logger "console;verbosity=minimal" --no-build \
  --filter "FullyQualifiedName~PaperNotes.Server.Tests|FullyQualifiedName~PaperNotes.Core.Tests.Cli|FullyQualifiedName~ImportCommandTests"

echo "== generic LSP client (vscode-jsonrpc) on examples/: the framework-dependent dll, then the published server"
(cd tests/lsp-smoke && npm ci --no-audit --no-fund --silent)
node tests/lsp-smoke/smoke.mjs server/PaperNotes.Server/bin/Release/net10.0/papernotes.dll
node tests/lsp-smoke/smoke.mjs "$server"

echo "== Neovim's built-in LSP client on examples/, published server (installs Debian's neovim when missing)"
bash tests/neovim/run.sh "$server" serve

echo "== Emacs with Eglot on examples/, published server (installs Debian's emacs-nox and elpa-eglot when missing)"
bash tests/emacs/run.sh "$server" serve

echo "== dotnet tool: pack, install from a local folder, papernotes check examples"
bash tests/dotnet-tool/run.sh

if [ "${PAPERNOTES_SKIP_RELEASE:-0}" != 1 ]; then
  echo "== release into dist/: every platform's server, archive and .vsix, the nupkg (first build of a source version: about 5 minutes)"
  bash scripts/release.sh
fi

echo "== VS Code extension end to end (code-server + Chromium; first run installs ~800 MB into ~/.cache/papernotes-e2e)"
bash tests/e2e/run.sh
