#!/usr/bin/env bash
# Builds Harmonia with its tests and runs every test (unit, store, server routes, and the
# end-to-end CLI tests that run the real `harmonia` binary and kill -9 it mid-run), then
# builds the server and the Tekton adapters with -c release, runs a short smoke check of
# that build (serve, a workflow through the Ergon adapter, SIGTERM exits 0), and runs the
# Python package's tests (python/run-tests.sh), the OpenAPI contract test (tools/contract)
# and the MCP tests (tools/mcp) against that release binary.
#
#   scripts/test.sh [extra `swift test` arguments, e.g. --filter HarmoniaCLITests]
#
# With arguments only the selected tests run: no PluginKit tests, no release build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

# chromium: the dashboard test drives headless Chromium (it skips, loudly, without it);
# curl: the release smoke check waits for /health with it; python3-venv: the Python
# package's tests run in their own virtual environment.
harmonia_install_system_packages chromium curl python3 python3-venv
harmonia_require_swift

cd "$root"
# The adapter SDK is its own dependency-free package; its unit tests run first, unless the
# caller asked for particular tests.
if [ "$#" -eq 0 ]; then
    swift test --package-path Plugins/HarmoniaPluginKit
fi
# Every module a target imports is declared in Package.swift (tools/imports/check.py).
python3 tools/imports/check.py
swift build --build-tests
# Swift Testing starts every test at once by default; with ~800 tests (servers, child
# processes, browsers) on two cores the first minute starved tests past their time limits.
# Sixteen at a time finishes as fast and nothing starves.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-16}"
swift test --skip-build "$@"
# Hostile input: the HTTP fuzzer over every route and raw malformed HTTP, and a connection
# flood, against the debug binary, at a size that takes under a minute (tools/fuzz/README.md
# runs them bigger by hand). In their own virtual environment, with pinned requirements.
if [ "$#" -eq 0 ]; then
    fuzz_venv="$root/tools/fuzz/.venv"
    [ -x "$fuzz_venv/bin/python" ] || python3 -m venv "$fuzz_venv"
    "$fuzz_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tools/fuzz/requirements.txt
    "$fuzz_venv/bin/python" tools/fuzz/fuzz.py --binary .build/debug/harmonia --requests 1500 --raw 300
    "$fuzz_venv/bin/python" tools/fuzz/flood.py --binary .build/debug/harmonia --connections 3000 --cap 1000
    "$fuzz_venv/bin/python" tools/fuzz/flood.py --binary .build/debug/harmonia --slowloris 500
fi
# Release builds have crashed the compiler on code that debug builds accept
# (docs/plugin-abi.md), so the full run also builds -c release and smoke-tests the result.
if [ "$#" -eq 0 ]; then
    harmonia_release_check
    # The Python client, the README's Python examples and the Tekton launch, against the
    # release server and adapters just built (pytest in its own venv, pinned requirements).
    HARMONIA_BIN="$(harmonia_release_binary)" bash python/run-tests.sh
    # The OpenAPI document against the release server: schemathesis drives every operation
    # with valid and invalid inputs (about 23,500 cases in under 2 minutes at 20 per operation;
    # tools/contract/contract.py says what is excluded and why). Then the MCP tools through
    # the official MCP Python SDK, over Streamable HTTP and over `harmonia mcp` on stdio.
    python3 tools/openapi/generate.py --check
    bash tools/contract/run.sh --binary "$(harmonia_release_binary)" --max-examples 20
    HARMONIA_BIN="$(harmonia_release_binary)" bash tools/mcp/run-tests.sh
fi
