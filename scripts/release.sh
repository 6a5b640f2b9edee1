#!/usr/bin/env bash
# Builds everything a release ships into dist/ (see README "Installing"):
#   papernotes-VERSION-TARGET.tar.gz (linux-x64, linux-arm64, darwin-x64, darwin-arm64) and
#   papernotes-VERSION-win32-x64.zip: the self-contained server and the README;
#   paper-notes-TARGET-VERSION.vsix per platform and paper-notes-VERSION.vsix (universal): the VS Code extension;
#   PaperNotes.VERSION.nupkg: the .NET tool (dotnet tool install -g PaperNotes);
#   SHA256SUMS.
# Each server is published once per source version (scripts/publish-server.sh caches them); scripts/check-release.py
# then checks every file (binary formats, package targets, contents).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./package.json').version")
csproj_version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' server/PaperNotes.Server/PaperNotes.Server.csproj)
if [ "$version" != "$csproj_version" ]; then
  echo "release: package.json says $version but PaperNotes.Server.csproj says $csproj_version" >&2
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then  # zips the Windows archive and checks the release
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 >/dev/null
fi
started=$(date +%s)
rm -rf dist
mkdir -p dist

# The VS Code packages (this also publishes every server).
bash scripts/package-vsix.sh all

# A release archive per platform: the self-contained server and the README, in a folder named like the archive.
for target in linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64; do
  server=$(bash scripts/publish-server.sh "$target")
  name="papernotes-$version-$target"
  stage=$(mktemp -d)
  mkdir "$stage/$name"
  cp "$server"/papernotes* README.md "$stage/$name/"
  if [ "$target" = win32-x64 ]; then
    (cd "$stage" && python3 -m zipfile -c "$name.zip" "$name/")
    mv "$stage/$name.zip" dist/
  else
    tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "dist/$name.tar.gz" "$name"
  fi
  rm -rf "$stage"
done

# The .NET tool.
dotnet pack server/PaperNotes.Server -c Release --nologo -v quiet -o dist >/dev/null

(cd dist && sha256sum -- * > SHA256SUMS)
python3 scripts/check-release.py dist "$version"
echo "[release] dist/ in $(( $(date +%s) - started ))s:" >&2
ls -l dist >&2
