# Shared helpers for scripts/run.sh and scripts/test.sh. Source it; do not run it.

# Installs the Debian packages Harmonia links against, only when one is missing.
# Skips (with a note) when not root or when apt-get is absent: a developer on another
# system installs the equivalents (SQLite, OpenSSL and libffi headers) by hand.
# Extra package names (e.g. chromium for the dashboard's browser test) are added to the list.
harmonia_install_system_packages() {
    local wanted=(libsqlite3-dev libssl-dev libffi-dev "$@")
    local missing=()
    local pkg
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "note: dpkg-query not found; make sure SQLite, OpenSSL and libffi headers are installed" >&2
        return 0
    fi
    for pkg in "${wanted[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "note: missing system packages: ${missing[*]} (not root or no apt-get: install them yourself)" >&2
        return 0
    fi
    echo "installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
}

# Fails early with a clear message when no Swift toolchain is on PATH.
harmonia_require_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            echo "error: swift not found on PATH (Swift 6.2 or later is required)" >&2
            exit 1
        fi
    fi
}

# The repository root, for the functions below (lib.sh lives in scripts/).
harmonia_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The release build: the `harmonia` executable and the Tekton adapters, as
# libHarmonia<Name>.so next to it. The executable's directory is a default plugin
# directory, so the adapters load at start-up (components: in the configuration selects
# which serve). Arguments are added to every `swift build` (e.g. --scratch-path DIR).
harmonia_build_release() {
    local product
    for product in harmonia HarmoniaErgon HarmoniaPrometheus HarmoniaRhetor HarmoniaEngram HarmoniaSynthesis; do
        swift build -c release --product "$product" "$@"
    done
}

# Prints the path of the release `harmonia` (arguments as for harmonia_build_release).
harmonia_release_binary() {
    echo "$(swift build -c release --show-bin-path "$@")/harmonia"
}

# A short check of a release build: starts BINARY serve with config/harmonia.dev.yaml on a
# free loopback port (--port 0; the server prints the port it bound) and a temporary data
# directory, waits for /health, runs a two-task workflow whose first task goes through the
# Ergon adapter's .so (local mode runs `echo Hello World` on this host) and whose second
# reads its output, checks that it completed, then stops the server with SIGTERM and checks
# that it exits 0. Every wait has a deadline; on failure the server's log is printed.
# Runs in a subshell so its trap cleans up whatever happens.
harmonia_release_smoke() (
    set -euo pipefail
    local bin="$1"
    local work pid="" url="" deadline status
    work="$(mktemp -d "${TMPDIR:-/tmp}/harmonia-smoke.XXXXXX")"
    trap 'if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
    fail() {
        echo "release smoke: $*" >&2
        echo "--- server stdout" >&2; tail -n 20 "$work/stdout" >&2 || true
        echo "--- server stderr" >&2; tail -n 40 "$work/stderr" >&2 || true
        exit 1
    }

    "$bin" serve --config "$harmonia_root/config/harmonia.dev.yaml" --host 127.0.0.1 --port 0 \
        --data-dir "$work/data" >"$work/stdout" 2>"$work/stderr" &
    pid=$!
    deadline=$((SECONDS + 60))
    while [ -z "$url" ]; do
        url="$(sed -n 's/^harmonia listening on \(http[^ ]*\)$/\1/p' "$work/stdout" | head -n 1)"
        [ -n "$url" ] && break
        kill -0 "$pid" 2>/dev/null || fail "harmonia serve exited before listening"
        [ "$SECONDS" -lt "$deadline" ] || fail "no 'harmonia listening on' line within 60 s"
        sleep 0.1
    done
    deadline=$((SECONDS + 30))
    until curl -fsS --max-time 5 "$url/health" >"$work/health" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || fail "$url/health did not answer 200 within 30 s"
        sleep 0.1
    done

    cat >"$work/smoke.json" <<'JSON'
{"name": "release-smoke", "tasks": {
  "task1": {"component": "ergon", "action": "execute_command", "input": {"command": "echo Hello World"}},
  "task2": {"component": "harmonia", "action": "transform", "depends_on": ["task1"],
            "input": {"value": "${tasks.task1.output.result}"}}}}
JSON
    if ! timeout 120 "$bin" run "$work/smoke.json" --wait --url "$url" >"$work/run" 2>&1; then
        cat "$work/run" >&2
        fail "the two-task workflow through the Ergon adapter did not complete"
    fi
    if ! grep -q "task2 .*completed.*Hello World" "$work/run"; then
        cat "$work/run" >&2
        fail "task2 did not complete with task1's output (Hello World)"
    fi
    cat "$work/run"

    kill -TERM "$pid"
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || fail "harmonia serve did not stop within 30 s of SIGTERM"
        sleep 0.1
    done
    if wait "$pid"; then status=0; else status=$?; fi
    pid=""
    [ "$status" -eq 0 ] || fail "harmonia serve exited $status after SIGTERM (expected 0)"
    echo "release smoke: passed ($bin)"
)

# The release build of harmonia_build_release, timed, then harmonia_release_smoke on it:
# Swift release builds have crashed the compiler on code that debug builds accept, so CI
# builds both. Arguments are added to every `swift build`.
harmonia_release_check() {
    local started=$SECONDS
    harmonia_build_release "$@"
    echo "release build: $((SECONDS - started)) s"
    harmonia_release_smoke "$(harmonia_release_binary "$@")"
}
