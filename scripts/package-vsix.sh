#!/usr/bin/env bash
# Builds the VS Code extension packages into dist/:
#   a platform package per VS Code target, each with its self-contained server (no .NET needed), named
#   paper-notes-TARGET-VERSION.vsix, and the universal package paper-notes-VERSION.vsix with the framework-dependent
#   server (any other platform; needs the .NET 10 runtime). VS Code and the Marketplace pick the platform package
#   when there is one for the user's platform, else the universal one.
# Usage: scripts/package-vsix.sh [--out FILE] [all | TARGET...]
#   TARGET: linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 universal (default: all)
#   --out FILE: with one TARGET, write the package there instead of dist/.
# The servers come from scripts/publish-server.sh (cached: each is published once per source version).
set -euo pipefail
cd "$(dirname "$0")/.."
out=""
if [ "${1:-}" = --out ]; then out="$2"; shift 2; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ] || [ "${targets[0]}" = all ]; then
  targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 universal)
fi
if [ -n "$out" ] && [ ${#targets[@]} -ne 1 ]; then echo "package-vsix: --out needs exactly one target" >&2; exit 2; fi
version=$(node -p "require('./package.json').version")
[ -x node_modules/.bin/vsce ] || npm ci --no-audit --no-fund --silent
npm run --silent build
mkdir -p dist
for target in "${targets[@]}"; do
  server=$(bash scripts/publish-server.sh "$target")
  rm -rf client-vscode/server
  mkdir -p client-vscode/server
  cp -r "$server/." client-vscode/server/
  rm -f client-vscode/server/.complete
  if [ "$target" = universal ]; then
    file="${out:-dist/paper-notes-$version.vsix}"
    target_args=()
  else
    file="${out:-dist/paper-notes-$target-$version.vsix}"
    target_args=(--target "$target")
  fi
  # No repository yet (see README, "Builds and packages"): --allow-missing-repository, and the README's relative image
  # links are left as they are (vsce can only rewrite them to a repository's URLs).
  node_modules/.bin/vsce package "${target_args[@]}" --no-dependencies --readme-path client-vscode/README.md \
    --allow-missing-repository --no-rewrite-relative-links --out "$file" >/dev/null
  echo "[package] $file ($(du -h "$file" | cut -f1))" >&2
done
