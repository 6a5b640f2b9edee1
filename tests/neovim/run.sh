#!/usr/bin/env bash
# Neovim's built-in LSP client against the server on a copy of examples/ (tests/neovim/check.lua).
# Installs Debian's neovim when missing (as root or through sudo). Usage: tests/neovim/run.sh [SERVER COMMAND...]
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvim >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "[neovim] installing Debian's neovim" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q neovim >/dev/null
fi
if [ $# -eq 0 ]; then set -- dotnet "$PWD/server/PaperNotes.Server/bin/Release/net10.0/papernotes.dll" serve; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples "$work/examples"
# A private config, data and cache: no user plugins, and the LSP log starts empty.
XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" \
  timeout 120 nvim --headless --clean -c "luafile tests/neovim/check.lua" -- "$work/examples" "$@"
