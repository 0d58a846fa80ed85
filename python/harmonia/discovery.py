"""Where the Harmonia server is: explicit arguments, ``HARMONIA_URL``, Hermes, or the default.

The order (first that applies wins):

1. an explicit ``base_url``, or ``host``/``port`` arguments;
2. ``HARMONIA_URL``;
3. Hermes, when ``HERMES_URL`` is set, or any of ``HERMES_HOST``, ``TEKTON_HOST``,
   ``HERMES_PORT`` (then ``http://{HERMES_HOST|TEKTON_HOST|localhost}:{HERMES_PORT|8001}``):
   ``GET /api/components/harmonia`` gives the ``endpoint`` Harmonia registered. Any failure
   (Hermes down, Harmonia not listed, a listed endpoint that does not answer ``/health``)
   falls through to the default, because Hermes keeps dead components listed forever;
4. ``http://localhost:{HARMONIA_PORT|8007}``.
"""

from __future__ import annotations

import logging
import os
from typing import Mapping, Optional

import httpx

__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_HERMES_PORT",
    "default_base_url",
    "explicit_base_url",
    "hermes_url_from_env",
    "discover_from_hermes",
    "resolve_base_url",
]

logger = logging.getLogger("harmonia.client")

#: Harmonia's place in Tekton's port map.
DEFAULT_PORT = 8007
#: Hermes' place in Tekton's port map.
DEFAULT_HERMES_PORT = 8001


def _env(environ: Mapping[str, str], name: str) -> Optional[str]:
    """The variable's value, with an empty string counting as unset (as the server does)."""
    value = environ.get(name)
    return value if value else None


def _strip(url: str) -> str:
    return url.rstrip("/")


def default_base_url(environ: Optional[Mapping[str, str]] = None) -> str:
    """``http://localhost:{HARMONIA_PORT|8007}``."""
    env = os.environ if environ is None else environ
    return f"http://localhost:{_env(env, 'HARMONIA_PORT') or DEFAULT_PORT}"


def explicit_base_url(
    base_url: Optional[str] = None,
    host: Optional[str] = None,
    port: Optional[int] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Optional[str]:
    """The URL the caller or ``HARMONIA_URL`` names, without asking anyone; None if neither."""
    env = os.environ if environ is None else environ
    if base_url:
        return _strip(base_url)
    if host is not None or port is not None:
        return f"http://{host or 'localhost'}:{port if port is not None else _env(env, 'HARMONIA_PORT') or DEFAULT_PORT}"
    url = _env(env, "HARMONIA_URL")
    return _strip(url) if url else None


def hermes_url_from_env(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """Tekton's rule for the Hermes URL; None when nothing says where Hermes is."""
    env = os.environ if environ is None else environ
    url = _env(env, "HERMES_URL")
    if url:
        return _strip(url)
    host = _env(env, "HERMES_HOST") or _env(env, "TEKTON_HOST")
    port = _env(env, "HERMES_PORT")
    if host is None and port is None:
        return None
    return f"http://{host or 'localhost'}:{port or DEFAULT_HERMES_PORT}"


async def discover_from_hermes(
    hermes_url: str,
    *,
    timeout: float = 2.0,
    verify_health: bool = True,
    transport: Optional[httpx.AsyncBaseTransport] = None,
) -> Optional[str]:
    """Harmonia's endpoint as registered in Hermes, or None on any failure.

    Hermes mounts its registry at ``/api`` (``hermes_url`` may already end in ``/api``).
    With ``verify_health``, the endpoint must answer ``GET /health`` with 200: Hermes never
    drops a component that died, so "listed" does not mean "up".
    """
    base = _strip(hermes_url)
    lookup = f"{base}/components/harmonia" if base.endswith("/api") else f"{base}/api/components/harmonia"
    try:
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as http:
            answer = await http.get(lookup)
            if answer.status_code != 200:
                logger.debug("Hermes at %s does not list harmonia (HTTP %s)", base, answer.status_code)
                return None
            record = answer.json()
            endpoint = record.get("endpoint") if isinstance(record, dict) else None
            if not isinstance(endpoint, str) or not endpoint.startswith(("http://", "https://")):
                logger.debug("Hermes' harmonia record has no usable endpoint: %r", record)
                return None
            endpoint = _strip(endpoint)
            if verify_health:
                health = await http.get(f"{endpoint}/health")
                if health.status_code != 200:
                    logger.debug("harmonia's listed endpoint %s answered /health with %s", endpoint, health.status_code)
                    return None
            return endpoint
    except (httpx.HTTPError, ValueError) as error:
        logger.debug("Hermes lookup at %s failed: %s", base, error)
        return None


async def resolve_base_url(
    base_url: Optional[str] = None,
    host: Optional[str] = None,
    port: Optional[int] = None,
    hermes_url: Optional[str] = None,
    environ: Optional[Mapping[str, str]] = None,
    *,
    hermes_timeout: float = 2.0,
) -> str:
    """The server's base URL by the order in this module's docstring.

    An explicit ``hermes_url`` argument (a parameter of the original client) is asked
    before ``HARMONIA_URL``: arguments come before the environment.
    """
    env = os.environ if environ is None else environ
    if base_url or host is not None or port is not None:
        found = explicit_base_url(base_url, host, port, env)
        assert found is not None
        return found
    if hermes_url:
        endpoint = await discover_from_hermes(hermes_url, timeout=hermes_timeout)
        if endpoint:
            return endpoint
    from_env = explicit_base_url(None, None, None, env)
    if from_env:
        return from_env
    hermes = hermes_url_from_env(env)
    if hermes and hermes != (hermes_url and _strip(hermes_url)):
        endpoint = await discover_from_hermes(hermes, timeout=hermes_timeout)
        if endpoint:
            return endpoint
    return default_base_url(env)
