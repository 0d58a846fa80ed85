#!/usr/bin/env bash
# Runs the MCP tests (tools/mcp/test_mcp.py) with the official MCP Python SDK against the
# real `harmonia serve` (HARMONIA_BIN, else .build/release/harmonia, else .build/debug) and
# `harmonia mcp` on stdio. In their own virtual environment, with pinned requirements.
#
#   tools/mcp/run-tests.sh [pytest arguments]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q --timeout 300 "$@" test_mcp.py
