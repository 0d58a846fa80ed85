#!/usr/bin/env bash
# Runs the Python package's tests (python/tests) against the real `harmonia serve`.
#
#   python/run-tests.sh [pytest arguments, e.g. -k streaming]
#
# Makes (or reuses) the virtual environment python/.venv-python, installs the pinned test
# requirements and this package into it, and runs pytest. The server binary is
# HARMONIA_BIN, else .build/release/harmonia, else .build/debug/harmonia; without one the
# server tests are skipped loudly, or fail under CI=true. Exits non-zero when any test
# fails, and also when no test ran (pytest's exit 5).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${HARMONIA_PYTHON_VENV:-$here/.venv-python}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-test.txt"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$here"

cd "$here"
status=0
"$venv/bin/python" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "python/run-tests.sh: no tests ran (pytest exit 5): counted as a failure" >&2
    exit 1
fi
exit "$status"
