#!/usr/bin/env bash
# The schemathesis contract test (tools/contract/contract.py) in its own virtual
# environment with pinned requirements.
#
#   tools/contract/run.sh --binary .build/release/harmonia [--max-examples 20]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
exec "$venv/bin/python" "$here/contract.py" "$@"
