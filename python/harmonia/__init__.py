"""Harmonia for Python: the client of the Harmonia workflow server, and its launcher.

``from harmonia.client import get_harmonia_client`` (async) and ``harmonia.sync`` (blocking)
talk to a running server; ``python -m harmonia`` starts the server binary (what Tekton's
launcher runs). The names below are imported lazily, so ``python -m harmonia`` works in a
Python without ``httpx``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "HarmoniaClient",
    "HarmoniaStateClient",
    "HarmoniaSyncClient",
    "get_harmonia_client",
    "get_harmonia_state_client",
    "HarmoniaError",
    "NotFoundError",
    "ValidationError",
    "InvalidStateError",
    "ConflictError",
    "AuthenticationError",
    "UnavailableError",
    "ComponentError",
    "HarmoniaConnectionError",
    "HarmoniaTimeoutError",
    "InvalidResponseError",
    "UnsupportedError",
]

_WHERE = {
    "HarmoniaClient": "client",
    "HarmoniaStateClient": "client",
    "get_harmonia_client": "client",
    "get_harmonia_state_client": "client",
    "HarmoniaSyncClient": "sync",
}

if TYPE_CHECKING:
    from .client import HarmoniaClient, HarmoniaStateClient, get_harmonia_client, get_harmonia_state_client
    from .errors import (
        AuthenticationError,
        ComponentError,
        ConflictError,
        HarmoniaConnectionError,
        HarmoniaError,
        HarmoniaTimeoutError,
        InvalidResponseError,
        InvalidStateError,
        NotFoundError,
        UnavailableError,
        UnsupportedError,
        ValidationError,
    )
    from .sync import HarmoniaSyncClient


def __getattr__(name: str) -> Any:
    import importlib

    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    if name in __all__:
        return getattr(importlib.import_module(".errors", __name__), name)
    raise AttributeError(f"module 'harmonia' has no attribute {name!r}")
