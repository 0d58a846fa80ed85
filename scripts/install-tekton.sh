#!/usr/bin/env bash
# Installs this Harmonia into a Tekton checkout, in place of Tekton's Python Harmonia, so
# Tekton's launcher (`python -m harmonia` in $TEKTON_ROOT/Harmonia) starts this server.
#
#   scripts/install-tekton.sh [--skip-build BIN_DIR] TEKTON_ROOT
#
# Builds the release server and the Tekton adapters (unless --skip-build names a folder
# holding an already built `harmonia` and its libHarmonia*.so), then lays out
#   $TEKTON_ROOT/Harmonia/harmonia/           the Python package (client + launcher)
#   $TEKTON_ROOT/Harmonia/bin/harmonia        the server
#   $TEKTON_ROOT/Harmonia/bin/libHarmonia*.so the adapters (loaded from the binary's folder)
# A $TEKTON_ROOT/Harmonia that this script did not lay out is moved aside first, to
# $TEKTON_ROOT/Harmonia.original-<timestamp>. Running it again updates the install.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

bin_dir=""
tekton_root=""
while [ "$#" -gt 0 ]; do
    case "$1" in
        --skip-build)
            if [ "$#" -lt 2 ]; then echo "error: --skip-build needs a folder" >&2; exit 2; fi
            bin_dir="$2"
            shift 2
            ;;
        --skip-build=*) bin_dir="${1#--skip-build=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "error: unknown option '$1' (see scripts/install-tekton.sh --help)" >&2; exit 2 ;;
        *)
            if [ -n "$tekton_root" ]; then echo "error: one TEKTON_ROOT only (got '$tekton_root' and '$1')" >&2; exit 2; fi
            tekton_root="$1"
            shift
            ;;
    esac
done
if [ -z "$tekton_root" ]; then
    echo "error: TEKTON_ROOT missing (see scripts/install-tekton.sh --help)" >&2
    exit 2
fi
if [ ! -d "$tekton_root" ]; then
    echo "error: $tekton_root is not a folder (TEKTON_ROOT must be an existing Tekton checkout)" >&2
    exit 2
fi
tekton_root="$(cd "$tekton_root" && pwd)"

if [ -z "$bin_dir" ]; then
    harmonia_install_system_packages
    harmonia_require_swift
    (cd "$root" && harmonia_build_release)
    bin_dir="$(dirname "$(cd "$root" && harmonia_release_binary)")"
fi
if [ ! -x "$bin_dir/harmonia" ] || [ -d "$bin_dir/harmonia" ]; then
    echo "error: $bin_dir/harmonia is not an executable file" >&2
    exit 2
fi
bin_dir="$(cd "$bin_dir" && pwd)"
shopt -s nullglob
adapters=("$bin_dir"/libHarmonia*.so)
shopt -u nullglob
if [ "${#adapters[@]}" -eq 0 ]; then
    echo "warning: no libHarmonia*.so next to $bin_dir/harmonia: only the built-in component will be served" >&2
fi

target="$tekton_root/Harmonia"
marker=".harmonia-swift-install"
if [ -e "$target" ] && [ ! -f "$target/$marker" ]; then
    base="$tekton_root/Harmonia.original-$(date -u +%Y%m%dT%H%M%SZ)"
    aside="$base"
    n=1
    while [ -e "$aside" ]; do aside="$base.$n"; n=$((n + 1)); done
    mv "$target" "$aside"
    echo "moved Tekton's own Harmonia aside: $aside (move it back to undo this install)"
fi

# Build the new layout next to the target, then swap each part in, so a failed copy
# never leaves a half-written package behind.
staging="$(mktemp -d "$tekton_root/.Harmonia-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/harmonia" "$staging/bin"
(cd "$root/python/harmonia" && find . -name '__pycache__' -prune -o -type f \( -name '*.py' -o -name 'py.typed' \) -print) |
    while IFS= read -r file; do
        mkdir -p "$staging/harmonia/$(dirname "$file")"
        cp "$root/python/harmonia/$file" "$staging/harmonia/$file"
    done
cp "$root/python/pyproject.toml" "$staging/pyproject.toml"
cp "$bin_dir/harmonia" "$staging/bin/harmonia"
chmod 755 "$staging/bin/harmonia"
for adapter in "${adapters[@]+"${adapters[@]}"}"; do
    cp "$adapter" "$staging/bin/"
done
cat >"$staging/requirements.txt" <<'EOF'
# The Python client (harmonia.client) needs httpx; the launcher (python -m harmonia) needs nothing.
httpx>=0.27,<0.29
EOF
cat >"$staging/README.md" <<EOF
# Harmonia (Swift server)

Installed by \`scripts/install-tekton.sh\` from a Harmonia source checkout; do not edit
by hand (running the script again replaces \`harmonia/\` and \`bin/\`).

- \`python -m harmonia\` (what Tekton's launcher runs here) execs \`bin/harmonia serve\`,
  with its data in \`\$TEKTON_ROOT/.tekton/data/harmonia\`.
- \`harmonia/\` is the Python client: \`from harmonia.client import get_harmonia_client\`
  (\`pip install ./Harmonia\` installs it elsewhere; it needs httpx).
- \`bin/libHarmonia*.so\` are the Tekton component adapters the server loads.
EOF
{
    echo "installed_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "source=$root"
    echo "source_commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "binary=$bin_dir/harmonia"
} >"$staging/$marker"

mkdir -p "$target"
for part in harmonia bin; do
    rm -rf "$target/$part.old"
    if [ -e "$target/$part" ]; then mv "$target/$part" "$target/$part.old"; fi
    mv "$staging/$part" "$target/$part"
    rm -rf "$target/$part.old"
done
for file in pyproject.toml requirements.txt README.md "$marker"; do
    mv -f "$staging/$file" "$target/$file"
done

echo "installed Harmonia into $target"
echo "  server:   $target/bin/harmonia (${#adapters[@]} adapter(s) next to it)"
echo "  launcher: cd $target && python -m harmonia   (Tekton's launcher does exactly this)"
echo "  data:     $tekton_root/.tekton/data/harmonia"
