#!/usr/bin/env python3
"""Checks a release folder made by scripts/release.sh: every expected file is there, each archive and each
platform .vsix holds one server executable built for its platform (by the executable's header), the universal
.vsix holds the framework-dependent papernotes.dll, and the .nupkg is a dotnet tool named papernotes.
Usage: scripts/check-release.py DIST VERSION"""
import io
import re
import struct
import sys
import tarfile
import zipfile
from pathlib import Path

dist, version = Path(sys.argv[1]), sys.argv[2]
failures = []

# VS Code target -> (executable name, format, machine) read from the file header.
TARGETS = {
    "linux-x64": ("papernotes", "ELF", "x86-64"),
    "linux-arm64": ("papernotes", "ELF", "arm64"),
    "darwin-x64": ("papernotes", "Mach-O", "x86-64"),
    "darwin-arm64": ("papernotes", "Mach-O", "arm64"),
    "win32-x64": ("papernotes.exe", "PE", "x86-64"),
}


def check(ok, what):
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def kind(data):
    """(format, machine) of an executable from its first bytes."""
    if data[:4] == b"\x7fELF":
        machine = struct.unpack_from("<H", data, 18)[0]
        return "ELF", {0x3E: "x86-64", 0xB7: "arm64"}.get(machine, hex(machine))
    if data[:4] == b"\xcf\xfa\xed\xfe":
        cpu = struct.unpack_from("<I", data, 4)[0]
        return "Mach-O", {0x01000007: "x86-64", 0x0100000C: "arm64"}.get(cpu, hex(cpu))
    if data[:2] == b"MZ":
        pe = struct.unpack_from("<I", data, 0x3C)[0]
        machine = struct.unpack_from("<H", data, pe + 4)[0]
        return "PE", {0x8664: "x86-64", 0xAA64: "arm64"}.get(machine, hex(machine))
    return "unknown", "?"


for target, (exe, fmt, machine) in TARGETS.items():
    # The release archive.
    name = f"papernotes-{version}-{target}"
    archive = dist / (f"{name}.zip" if target.startswith("win32") else f"{name}.tar.gz")
    check(archive.is_file(), f"{archive.name} exists")
    if archive.is_file():
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as z:
                names = z.namelist()
                head = z.read(f"{name}/{exe}")[:4096] if f"{name}/{exe}" in names else b""
                mode = 0o755
        else:
            with tarfile.open(archive) as t:
                names = t.getnames()
                member = t.getmember(f"{name}/{exe}") if f"{name}/{exe}" in names else None
                head = t.extractfile(member).read(4096) if member else b""
                mode = member.mode if member else 0
        check(f"{name}/{exe}" in names and f"{name}/README.md" in names, f"{archive.name} holds {name}/{exe} and README.md")
        check(kind(head) == (fmt, machine), f"{archive.name}: {exe} is {fmt} {machine} (found {' '.join(kind(head))})")
        check(mode & 0o111 != 0, f"{archive.name}: {exe} is executable")
    # The platform .vsix.
    vsix = dist / f"paper-notes-{target}-{version}.vsix"
    check(vsix.is_file(), f"{vsix.name} exists")
    if vsix.is_file():
        with zipfile.ZipFile(vsix) as z:
            manifest = z.read("extension.vsixmanifest").decode()
            servers = [n for n in z.namelist() if n.startswith("extension/client-vscode/server/")]
            head = z.read(f"extension/client-vscode/server/{exe}")[:4096] if f"extension/client-vscode/server/{exe}" in servers else b""
            unix_mode = (z.getinfo(servers[0]).external_attr >> 16) if servers else 0
        check(f'TargetPlatform="{target}"' in manifest, f"{vsix.name}: manifest targets {target}")
        check(servers == [f"extension/client-vscode/server/{exe}"], f"{vsix.name}: the server is one file, {exe} (found {servers})")
        check(kind(head) == (fmt, machine), f"{vsix.name}: {exe} is {fmt} {machine} (found {' '.join(kind(head))})")
        if not target.startswith("win32"):
            check(unix_mode & 0o111 != 0, f"{vsix.name}: {exe} is executable in the package")

universal = dist / f"paper-notes-{version}.vsix"
check(universal.is_file(), f"{universal.name} exists")
if universal.is_file():
    with zipfile.ZipFile(universal) as z:
        manifest = z.read("extension.vsixmanifest").decode()
        names = z.namelist()
    check("TargetPlatform" not in manifest, f"{universal.name}: universal (no target platform)")
    check("extension/client-vscode/server/papernotes.dll" in names and "extension/client-vscode/server/papernotes.runtimeconfig.json" in names,
          f"{universal.name}: holds the framework-dependent papernotes.dll")
    check(not any(n.endswith((".pdb", ".dbg")) for n in names), f"{universal.name}: no symbol files")

nupkg = dist / f"PaperNotes.{version}.nupkg"
check(nupkg.is_file(), f"{nupkg.name} exists")
if nupkg.is_file():
    with zipfile.ZipFile(nupkg) as z:
        names = z.namelist()
        settings = z.read("tools/net10.0/any/DotnetToolSettings.xml").decode() if "tools/net10.0/any/DotnetToolSettings.xml" in names else ""
    check('Command Name="papernotes"' in settings, f"{nupkg.name}: a dotnet tool with the command papernotes")

sums = dist / "SHA256SUMS"
listed = set(re.findall(r"^\w{64}\s+\*?(\S+)$", sums.read_text(), re.M)) if sums.is_file() else set()
files = {p.name for p in dist.iterdir() if p.name != "SHA256SUMS"}
check(listed == files, f"SHA256SUMS lists every file ({len(files)})")

print(f"check-release: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
