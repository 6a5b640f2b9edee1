#!/usr/bin/env bash
# Publishes the language server for one VS Code target and prints the folder that holds it.
#   scripts/publish-server.sh TARGET
# TARGET    build                                                         what the folder holds
# linux-x64     NativeAOT (this machine's own platform)                    papernotes
# linux-arm64   self-contained, trimmed, ReadyToRun, single file            papernotes
# darwin-x64    (same)                                                      papernotes
# darwin-arm64  (same)                                                      papernotes
# win32-x64     (same)                                                      papernotes.exe
# universal     framework-dependent (needs the .NET 10 runtime)             papernotes.dll and its dependencies
# Why these builds: README "Installing" / "Which server build ships". A build is cached, keyed by a hash of the server's
# sources, in ${PAPERNOTES_PUBLISH_CACHE:-~/.cache/papernotes-publish}: the test suite and the release reuse it.
set -euo pipefail
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/publish-server.sh linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64|universal}"
case "$target" in
  linux-x64) rid=linux-x64 kind=aot ;;
  linux-arm64) rid=linux-arm64 kind=r2r ;;
  darwin-x64) rid=osx-x64 kind=r2r ;;
  darwin-arm64) rid=osx-arm64 kind=r2r ;;
  win32-x64) rid=win-x64 kind=r2r ;;
  universal) rid="" kind=fdd ;;
  *) echo "publish-server: unknown target '$target'" >&2; exit 2 ;;
esac
if [ "$kind" = aot ]; then
  # NativeAOT links with clang and lld against zlib: Debian packages, installed like the other test prerequisites.
  need=()
  command -v clang >/dev/null 2>&1 || need+=(clang)
  command -v ld.lld >/dev/null 2>&1 || need+=(lld)
  dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
  if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "[publish] installing Debian packages for NativeAOT: ${need[*]}" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

# What the build depends on: every source and project file of the server, and the SDK.
hash=$( { find server Directory.Build.props -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.xml' -o -name '*.json' \) \
            -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha1sum; dotnet --version; } | sha1sum | cut -c1-16)
cache="${PAPERNOTES_PUBLISH_CACHE:-$HOME/.cache/papernotes-publish}"
out="$cache/$hash/$target"
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi

rm -rf "$out" "$out.tmp"
mkdir -p "$out.tmp"
common=(server/PaperNotes.Server -c Release --nologo -v quiet -o "$out.tmp/publish")
started=$(date +%s)
case "$kind" in
  aot) dotnet publish "${common[@]}" -r "$rid" -p:PublishAot=true >&2 ;;
  r2r) dotnet publish "${common[@]}" -r "$rid" --self-contained -p:PublishReadyToRun=true -p:PublishTrimmed=true -p:PublishSingleFile=true >&2 ;;
  fdd) dotnet publish "${common[@]}" --self-contained false -p:UseAppHost=false >&2 ;;
esac
mkdir -p "$out"
case "$kind" in
  # Only the executable: no symbols (.dbg, .pdb) in what ships.
  aot|r2r) cp "$out.tmp/publish/"papernotes* "$out/" && rm -f "$out"/*.dbg "$out"/*.pdb ;;
  fdd) cp -r "$out.tmp/publish/." "$out/" && rm -f "$out"/*.pdb ;;
esac
rm -rf "$out.tmp"
touch "$out/.complete"
echo "[publish] $target ($kind) in $(( $(date +%s) - started ))s: $out" >&2
# Keep the builds of the last 3 source versions.
ls -1dt "$cache"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
echo "$out"
