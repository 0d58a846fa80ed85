#!/usr/bin/env bash
# Builds Harmonia and the Tekton adapter plugins (release) and starts the server on the
# embedded default, adapters loaded: SQLite in ~/.harmonia, listening on 127.0.0.1:8007.
#
#   scripts/run.sh [--port N] [--host ADDR] [--data-dir DIR] [--log-level LEVEL] [--config FILE] [--api-key KEY]
#                  [--hermes-url URL]
#
# Every option is passed to `harmonia serve`; HARMONIA_PORT, HARMONIA_HOST and HERMES_URL work too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

args=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --port|--host|--data-dir|--log-level|--config|--api-key|--hermes-url)
            if [ "$#" -lt 2 ]; then
                echo "error: $1 needs a value" >&2
                exit 2
            fi
            args+=("$1" "$2")
            shift 2
            ;;
        --port=*|--host=*|--data-dir=*|--log-level=*|--config=*|--api-key=*|--hermes-url=*)
            args+=("$1")
            shift
            ;;
        -h|--help)
            sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "error: unknown option '$1' (see scripts/run.sh --help)" >&2
            exit 2
            ;;
    esac
done

harmonia_install_system_packages
harmonia_require_swift

cd "$root"
# The binary and the Tekton adapters next to it, so they load at start-up
# (config/harmonia.dev.yaml turns on Ergon's local mode).
harmonia_build_release
bin="$(harmonia_release_binary)"
exec "$bin" serve "${args[@]+"${args[@]}"}"
