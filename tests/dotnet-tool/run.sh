#!/usr/bin/env bash
# `dotnet tool install PaperNotes` from a local folder, as a user would from nuget.org, then `papernotes check` on
# examples/. Usage: tests/dotnet-tool/run.sh [FOLDER WITH PaperNotes.*.nupkg]   (default: pack it into a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed="${1:-}"
if [ -z "$feed" ]; then
  feed="$work/feed"
  dotnet pack server/PaperNotes.Server -c Release --nologo -v quiet -o "$feed" >/dev/null
fi
feed=$(cd "$feed" && pwd)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' server/PaperNotes.Server/PaperNotes.Server.csproj)
[ -f "$feed/PaperNotes.$version.nupkg" ] || { echo "dotnet-tool: no PaperNotes.$version.nupkg in $feed" >&2; exit 1; }
# Only the local folder as a source (nothing else named PaperNotes can win), and a private package cache: a cached
# PaperNotes of the same version from an earlier build would be installed instead of this one.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$feed" /></packageSources></configuration>
XML
NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  dotnet tool install --tool-path "$work/tools" --configfile "$work/nuget.config" --version "$version" PaperNotes >/dev/null
set +e
output=$("$work/tools/papernotes" check examples)
code=$?
set -e
failures=0
check() { if [ "$1" = 0 ]; then echo "ok   $2"; else echo "FAIL $2"; failures=$((failures + 1)); fi; }
check "$([ "$code" = 1 ]; echo $?)" "papernotes check examples exits 1 (one error; got $code)"
check "$(grep -qF "notes/ssl-collapse.md:32:47: error: unknown citation key 'understandig2021'; did you mean 'understanding2021'? [unknown-citation]" <<<"$output"; echo $?)" "the typo is reported"
check "$(grep -qF "1 error, 0 warnings in 4 notes and 2 library files (52 papers)" <<<"$output"; echo $?)" "the summary counts 52 papers"
check "$("$work/tools/papernotes" --version >/dev/null 2>&1; echo $?)" "papernotes --version runs"
[ "$failures" = 0 ] && echo "dotnet tool: all checks passed" || { echo "$output"; exit 1; }
