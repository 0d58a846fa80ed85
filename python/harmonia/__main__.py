"""``python -m harmonia [serve options]``: run the Harmonia server (see :mod:`harmonia.launcher`)."""

from .launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
