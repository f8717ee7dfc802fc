# Shared by run.sh and measure.sh: a private X display, WebKitWebDriver, and the cleanup of
# every process group started here. Source it after setting ROOT and WORK.

PIDS=$WORK/pids   # process groups started here, one per line

log() { printf 'e2e : %s\n' "$*" >&2; }

# Kills every process group this script started (Xvfb; WebKitWebDriver with the app and its
# WebKit processes), then removes the temporary directory.
cleanup() {
  if [ -f "$PIDS" ]; then
    while read -r pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done < "$PIDS"
    sleep 0.5
    while read -r pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done < "$PIDS"
  fi
  rm -rf "$WORK"
}

# Starts "$@" in a new session (its own process group) and records it for cleanup.
start() {
  local logfile=$1
  shift
  setsid "$@" >"$logfile" 2>&1 &
  echo $! >>"$PIDS"
  echo $!
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { log "outil absent : $tool (lancez « make setup »)"; return 1; }
  done
}

# Starts Xvfb and sets DISPLAY_NAME (whatever the session has: X11, Wayland or nothing).
start_display() {
  local display_file=$WORK/display i
  start "$WORK/xvfb.log" Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp 3>"$display_file" >/dev/null
  for i in $(seq 1 100); do
    [ -s "$display_file" ] && break
    sleep 0.1
  done
  [ -s "$display_file" ] || { log "Xvfb n'a pas démarré"; cat "$WORK/xvfb.log" >&2; return 1; }
  DISPLAY_NAME=:$(head -n 1 "$display_file")
  log "Xvfb sur l'écran $DISPLAY_NAME"
}

# Starts WebKitWebDriver, which starts the app with this environment (data directory $1), and
# sets WEBDRIVER_PORT.
start_webdriver() {
  local data=$1
  WEBDRIVER_PORT=$(free_port)
  mkdir -p "$WORK/home"
  start "$WORK/webdriver.log" env -u WAYLAND_DISPLAY \
    DISPLAY="$DISPLAY_NAME" GDK_BACKEND=x11 \
    TAURI_WEBVIEW_AUTOMATION=true \
    PERMANENCE_DATA="$data" \
    PERMANENCE_LOG="${PERMANENCE_LOG:-info}" \
    PDFIUM_DYNAMIC_LIB_PATH="$PDFIUM_DIR" \
    XDG_DATA_HOME="$WORK/home/data" XDG_CACHE_HOME="$WORK/home/cache" \
    XDG_CONFIG_HOME="$WORK/home/config" \
    WebKitWebDriver --port="$WEBDRIVER_PORT" >/dev/null
  log "WebKitWebDriver sur le port $WEBDRIVER_PORT"
}
