"""``python -m harmonia``: starts the Harmonia server binary in this process's place.

Tekton's launcher runs ``python -m harmonia`` (no arguments) in ``$TEKTON_ROOT/Harmonia``
and then watches that process: it must become the server, so this module replaces itself
with ``harmonia serve ...`` through :func:`os.execv` (same pid; signals and the exit status
are the server's). Standard library only: it must run in a Python without ``httpx``.

The binary, first found wins:

1. ``HARMONIA_BIN``;
2. ``bin/harmonia`` in the folder holding this package (the Tekton layout:
   ``$TEKTON_ROOT/Harmonia/{harmonia,bin}``, laid out by ``scripts/install-tekton.sh``);
3. in a source checkout (this package in ``python/harmonia``):
   ``.build/release/harmonia``, then ``.build/debug/harmonia``;
4. ``harmonia`` on ``PATH``.

The environment passes through untouched: the server reads ``HARMONIA_PORT``,
``HARMONIA_HOST``, ``HERMES_URL`` / ``HERMES_HOST`` / ``HERMES_PORT`` / ``TEKTON_HOST``
itself. The one thing added: with ``TEKTON_ROOT`` set and neither ``HARMONIA_DATA_DIR`` nor
``--data-dir`` given, the data directory is Tekton's ``$TEKTON_ROOT/.tekton/data/harmonia``.
Arguments go to ``harmonia serve`` (``--port``, ``--data-dir``, ``--log-level``,
``--config``...).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Mapping, Optional, Sequence

__all__ = ["find_binary", "build_command", "tekton_data_dir", "main", "EXIT_NO_BINARY"]

#: Exit status when no server binary is found (or HARMONIA_BIN is unusable).
EXIT_NO_BINARY = 2


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _candidates(package_dir: Path) -> list[Path]:
    """The places to look, in order, for a package living in ``package_dir``."""
    found: list[Path] = []
    for directory in dict.fromkeys([package_dir, package_dir.resolve()]):
        found.append(directory.parent / "bin" / "harmonia")
    for directory in dict.fromkeys([package_dir, package_dir.resolve()]):
        repository = directory.parent.parent
        if (repository / "Package.swift").is_file():
            found.append(repository / ".build" / "release" / "harmonia")
            found.append(repository / ".build" / "debug" / "harmonia")
    return list(dict.fromkeys(found))


def find_binary(
    environ: Optional[Mapping[str, str]] = None, package_dir: Optional[Path] = None
) -> tuple[Optional[str], list[str], Optional[str]]:
    """``(binary, places looked at, problem)``: the server to run, or None with why."""
    env = os.environ if environ is None else environ
    package = package_dir if package_dir is not None else Path(os.path.abspath(__file__)).parent
    explicit = env.get("HARMONIA_BIN")
    if explicit:
        path = Path(explicit)
        if _executable(path):
            return str(path), [explicit], None
        return None, [explicit], f"HARMONIA_BIN={explicit} is not an executable file"
    tried: list[str] = []
    for candidate in _candidates(package):
        tried.append(str(candidate))
        if _executable(candidate):
            return str(candidate), tried, None
    on_path = shutil.which("harmonia", path=env.get("PATH"))
    tried.append("harmonia on PATH")
    if on_path:
        return on_path, tried, None
    return None, tried, "no harmonia server binary found"


def tekton_data_dir(tekton_root: str) -> str:
    """Tekton's data layout: ``$TEKTON_ROOT/.tekton/data/<component>``."""
    return os.path.join(tekton_root, ".tekton", "data", "harmonia")


def _names_data_dir(arguments: Sequence[str]) -> bool:
    return any(argument == "--data-dir" or argument.startswith("--data-dir=") for argument in arguments)


def build_command(binary: str, arguments: Sequence[str], environ: Optional[Mapping[str, str]] = None) -> list[str]:
    """The server's argv: ``binary serve [--data-dir TEKTON_DATA] arguments...``."""
    env = os.environ if environ is None else environ
    command = [binary, "serve"]
    tekton_root = env.get("TEKTON_ROOT")
    if tekton_root and not env.get("HARMONIA_DATA_DIR") and not _names_data_dir(arguments):
        command += ["--data-dir", tekton_data_dir(tekton_root)]
    command += list(arguments)
    return command


def main(arguments: Optional[Sequence[str]] = None) -> int:
    """Finds the binary and execs it; returns only on failure (the exit status)."""
    args = list(sys.argv[1:] if arguments is None else arguments)
    binary, tried, problem = find_binary()
    if binary is None:
        print(f"harmonia: {problem}. Looked at:", file=sys.stderr)
        for place in tried:
            print(f"  {place}", file=sys.stderr)
        print(
            "Set HARMONIA_BIN to the server binary, install it into a Tekton checkout with "
            "scripts/install-tekton.sh TEKTON_ROOT, or build it with `swift build -c release`.",
            file=sys.stderr,
        )
        return EXIT_NO_BINARY
    command = build_command(binary, args)
    print(f"harmonia: exec {' '.join(command)}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(binary, command)
    except OSError as error:
        print(f"harmonia: cannot run {binary}: {error}", file=sys.stderr)
        return EXIT_NO_BINARY
    return EXIT_NO_BINARY  # not reached: execv does not return
