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
