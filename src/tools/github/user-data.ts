/**
 * The EC2 user data of deploy_ec2_repo: a bash script that downloads the package, checks its
 * SHA-256, installs the requirements in a virtual environment and runs uvicorn (a systemd unit
 * when systemd runs, nohup otherwise). Every path, the port and the Python command can be
 * overridden through the environment, so the same script runs in a test's scratch folder.
 */

export interface UserDataOptions {
  appName: string;
  /** Presigned GET URL of the package. */
  artifactUrl: string;
  /** Hex SHA-256 of the package, checked after download. */
  sha256: string;
  port: number;
  /** Folder of the package holding requirements.txt and the ASGI module, e.g. `backend`. */
  sourceDir: string;
  /** `module:attribute` of the ASGI app, e.g. `app.main:app`. */
  asgiApp: string;
  healthPath: string;
}

/** Single-quotes a value for bash: safe whatever it contains. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

const SCRIPT = `#!/bin/bash
# Installs and starts {{APP_NAME}} from its deployment package (rendered by aws-copilot deploy_ec2_repo).
# Overridable: APP_ROOT PORT HOST PYTHON LOG_FILE ARTIFACT_URL USE_SYSTEMD SYSTEMD_DIR HEALTH_TIMEOUT.
set -euo pipefail

APP_NAME={{APP_NAME_Q}}
ARTIFACT_SHA256={{SHA256_Q}}
DEFAULT_ARTIFACT_URL={{ARTIFACT_URL_Q}}
ARTIFACT_URL="\${ARTIFACT_URL:-$DEFAULT_ARTIFACT_URL}"
APP_ROOT="\${APP_ROOT:-/opt/$APP_NAME}"
PORT="\${PORT:-{{PORT}}}"
HOST="\${HOST:-0.0.0.0}"
SOURCE_DIR={{SOURCE_DIR_Q}}
ASGI_APP={{ASGI_APP_Q}}
HEALTH_PATH={{HEALTH_PATH_Q}}
HEALTH_TIMEOUT="\${HEALTH_TIMEOUT:-180}"
LOG_FILE="\${LOG_FILE:-/var/log/aws-copilot-$APP_NAME.log}"
USE_SYSTEMD="\${USE_SYSTEMD:-auto}"
SYSTEMD_DIR="\${SYSTEMD_DIR:-/etc/systemd/system}"

mkdir -p "$APP_ROOT/releases" "$(dirname "$LOG_FILE")"
exec >>"$LOG_FILE" 2>&1
log() { echo "[aws-copilot $(date -u +%Y-%m-%dT%H:%M:%SZ)] $*"; }
log "deploying $APP_NAME, package sha256 $ARTIFACT_SHA256"

find_python() {
  local candidate
  for candidate in python3.14 python3.13 python3.12 python3.11; do
    # Run it, not just look it up: version-manager shims exist for versions that are not installed.
    if "$candidate" -c 'import venv' >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  return 1
}

if [ -z "\${PYTHON:-}" ]; then
  if ! PYTHON="$(find_python)"; then
    # Amazon Linux ships an older python3 beside installable newer ones; Debian and Ubuntu need venv.
    if command -v dnf >/dev/null 2>&1; then
      dnf install -y python3.12 || dnf install -y python3.11 || true
    elif command -v apt-get >/dev/null 2>&1; then
      apt-get update -y && apt-get install -y python3 python3-venv || true
    fi
    PYTHON="$(find_python || echo python3)"
  fi
fi
log "using $("$PYTHON" --version 2>&1)"

RELEASE="$APP_ROOT/releases/$ARTIFACT_SHA256"
PACKAGE="$APP_ROOT/releases/$ARTIFACT_SHA256.zip"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 5 --retry-delay 3 --retry-connrefused -o "$PACKAGE" "$ARTIFACT_URL"
else
  "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$ARTIFACT_URL" "$PACKAGE"
fi
ACTUAL_SHA256="$("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$PACKAGE")"
if [ "$ACTUAL_SHA256" != "$ARTIFACT_SHA256" ]; then
  log "package checksum mismatch: expected $ARTIFACT_SHA256, got $ACTUAL_SHA256"
  exit 1
fi

rm -rf "$RELEASE"
mkdir -p "$RELEASE"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$PACKAGE" -d "$RELEASE"
else
  "$PYTHON" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$PACKAGE" "$RELEASE"
fi
WORKDIR="$RELEASE/$SOURCE_DIR"
VENV="$RELEASE/.venv"
"$PYTHON" -m venv "$VENV"
if [ -f "$WORKDIR/requirements.txt" ]; then
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$WORKDIR/requirements.txt"
fi
ln -sfn "$RELEASE" "$APP_ROOT/current"
log "installed into $RELEASE"

if [ "$USE_SYSTEMD" = auto ]; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then USE_SYSTEMD=yes; else USE_SYSTEMD=no; fi
fi

if [ "$USE_SYSTEMD" = yes ]; then
  UNIT="aws-copilot-$APP_NAME.service"
  CAPABILITY=""
  if [ "$PORT" -lt 1024 ]; then CAPABILITY="AmbientCapabilities=CAP_NET_BIND_SERVICE"; fi
  cat >"$SYSTEMD_DIR/$UNIT" <<UNIT
[Unit]
Description=$APP_NAME (deployed by aws-copilot)
After=network-online.target
Wants=network-online.target

[Service]
WorkingDirectory=$APP_ROOT/current/$SOURCE_DIR
ExecStart=$APP_ROOT/current/.venv/bin/python -m uvicorn $ASGI_APP --host $HOST --port $PORT
Environment=PYTHONUNBUFFERED=1
DynamicUser=yes
$CAPABILITY
Restart=always
RestartSec=2
StandardOutput=append:$LOG_FILE
StandardError=append:$LOG_FILE

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable "$UNIT"
  systemctl restart "$UNIT"
  log "started systemd unit $UNIT on port $PORT"
else
  PID_FILE="$APP_ROOT/$APP_NAME.pid"
  if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    kill -- "-$(cat "$PID_FILE")" 2>/dev/null || kill "$(cat "$PID_FILE")" || true
    sleep 1
  fi
  cd "$WORKDIR"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$VENV/bin/python" -m uvicorn "$ASGI_APP" --host "$HOST" --port "$PORT" </dev/null >>"$LOG_FILE" 2>&1 &
  else
    nohup "$VENV/bin/python" -m uvicorn "$ASGI_APP" --host "$HOST" --port "$PORT" </dev/null >>"$LOG_FILE" 2>&1 &
  fi
  echo "$!" >"$PID_FILE"
  log "started uvicorn (pid $!) on port $PORT"
fi

CHECK_URL="http://127.0.0.1:$PORT$HEALTH_PATH"
for _ in $(seq 1 "$HEALTH_TIMEOUT"); do
  if "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$CHECK_URL" 2>/dev/null; then
    log "healthy: $CHECK_URL"
    exit 0
  fi
  sleep 1
done
log "not healthy after $HEALTH_TIMEOUT s: $CHECK_URL"
exit 1
`;

/** The user data script for one package; values are shell-quoted, so none can break out of the script. */
export function renderUserData(options: UserDataOptions): string {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
    throw new Error(`port must be 1-65535, got ${options.port}`);
  const values: Record<string, string> = {
    APP_NAME: options.appName.replace(/[^A-Za-z0-9._-]/g, '-'),
    APP_NAME_Q: shellQuote(options.appName),
    SHA256_Q: shellQuote(options.sha256),
    ARTIFACT_URL_Q: shellQuote(options.artifactUrl),
    PORT: String(options.port),
    SOURCE_DIR_Q: shellQuote(options.sourceDir),
    ASGI_APP_Q: shellQuote(options.asgiApp),
    HEALTH_PATH_Q: shellQuote(options.healthPath),
  };
  return SCRIPT.replace(/\{\{([A-Z0-9_]+)\}\}/g, (match, name: string) => values[name] ?? match);
}
