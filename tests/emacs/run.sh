#!/usr/bin/env bash
# Emacs with Eglot (Debian's emacs-nox 28 + elpa-eglot 1.9) against the server on a copy of examples/
# (tests/emacs/check.el). Installs them when missing (as root or through sudo). Usage: tests/emacs/run.sh [SERVER COMMAND...]
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v emacs >/dev/null 2>&1 || ! dpkg -s elpa-eglot >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "[emacs] installing Debian's emacs-nox and elpa-eglot" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q emacs-nox elpa-eglot >/dev/null
fi
if [ $# -eq 0 ]; then set -- dotnet "$PWD/server/PaperNotes.Server/bin/Release/net10.0/papernotes.dll" serve; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples "$work/examples"
HOME="$work/home" timeout 120 emacs --batch -Q -L /usr/share/emacs/site-lisp/elpa/eglot-1.9 \
  --eval "(package-initialize)" -l tests/emacs/check.el "$work/examples" "$@"
