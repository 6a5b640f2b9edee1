#!/usr/bin/env bash
# Runs the installed pandoc (`pandoc -f biblatex -t csljson`) over every .bib/.biblatex file under the
# fixtures and writes one JSON per input into OUT (mirroring the relative path, plus .pandoc.json).
# Files pandoc rejects get no output. Usage: scripts/pandoc-csl-outputs.sh [FIXTURES] [OUT]
set -u
fixtures="${1:-$(dirname "$0")/../../shared/fixtures}"
out="${2:-${TMPDIR:-/tmp}/papernotes-pandoc-csl}"
mkdir -p "$out"
cd "$fixtures" || exit 2
find . \( -name '*.bib' -o -name '*.biblatex' \) -type f | sort | while IFS= read -r f; do
  dest="$out/${f#./}.pandoc.json"
  [ -s "$dest" ] && continue
  mkdir -p "$(dirname "$dest")"
  timeout 60 pandoc -f biblatex -t csljson "$f" -o "$dest.tmp" 2>/dev/null && mv "$dest.tmp" "$dest" || rm -f "$dest.tmp"
done
echo "$out"
