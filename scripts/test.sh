#!/usr/bin/env bash
# Builds Harmonia with its tests and runs every test (unit, store, server routes, and the
# end-to-end CLI tests that run the real `harmonia` binary and kill -9 it mid-run).
#
#   scripts/test.sh [extra `swift test` arguments, e.g. --filter HarmoniaCLITests]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

# chromium: the dashboard test drives headless Chromium (it skips, loudly, without it).
harmonia_install_system_packages chromium
harmonia_require_swift

cd "$root"
# The adapter SDK is its own dependency-free package; its unit tests run first, unless the
# caller asked for particular tests.
if [ "$#" -eq 0 ]; then
    swift test --package-path Plugins/HarmoniaPluginKit
fi
swift build --build-tests
swift test --skip-build "$@"
