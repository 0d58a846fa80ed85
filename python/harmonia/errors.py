"""Errors raised by the Harmonia client.

Every failure is a :class:`HarmoniaError` carrying the server's stable ``code`` (branch on
it, never on ``detail``), its human-readable ``detail`` and the HTTP ``status`` (0 when no
response came back). Subclasses group the codes callers usually handle differently.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

__all__ = [
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
    "error_from_response",
]


class HarmoniaError(Exception):
    """A failed call: the server's ``code`` and ``detail``, and the HTTP ``status``.

    ``path`` and ``problems`` are set for validation errors (the JSON path of the offending
    value, and every problem found, each ``{"code", "message", "path"}``). ``body`` is the
    whole error object the server sent.
    """

    def __init__(
        self,
        code: str,
        detail: str,
        status: int = 0,
        *,
        path: Optional[str] = None,
        problems: Optional[list[dict[str, Any]]] = None,
        body: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(f"{code}: {detail}" if status == 0 else f"HTTP {status} {code}: {detail}")
        self.code = code
        self.detail = detail
        self.status = status
        self.path = path
        self.problems: list[dict[str, Any]] = list(problems or [])
        self.body: dict[str, Any] = dict(body or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, detail={self.detail!r}, status={self.status})"


class NotFoundError(HarmoniaError):
    """404: an unknown workflow, execution, template, checkpoint, component or path."""


class ValidationError(HarmoniaError):
    """400/413/422: the request or the definition is wrong (``problems`` lists each issue)."""


class InvalidStateError(HarmoniaError):
    """409 ``invalid_state``: cancel, pause or resume not allowed in the execution's state."""


class ConflictError(HarmoniaError):
    """409 ``conflict``: a workflow id and version already exist; or 409
    ``idempotency_key_reused``: an idempotency key came back with a different request."""


class AuthenticationError(HarmoniaError):
    """401 ``unauthorized`` (API keys are configured and the key is missing or wrong) or
    403 ``forbidden`` (e.g. ``POST /shutdown`` from another machine)."""


class UnavailableError(HarmoniaError):
    """503: the engine is not ready (``not_ready``) or a component cannot be called now."""


class ComponentError(HarmoniaError):
    """502: a component action run directly failed (``code`` is the adapter's own)."""


class HarmoniaConnectionError(HarmoniaError, ConnectionError):
    """No answer from the server (``connection_failed``; ``status`` is 0).

    Also a built-in :class:`ConnectionError`, so ``except ConnectionError`` catches it.
    """


class HarmoniaTimeoutError(HarmoniaError, TimeoutError):
    """A deadline passed (``timeout``): a request, or ``wait_for_execution``.

    Also a built-in :class:`TimeoutError`.
    """


class InvalidResponseError(HarmoniaError):
    """The server answered something this client cannot read (``invalid_response``)."""


class UnsupportedError(HarmoniaError):
    """A call of the original Python client this server has no equivalent for."""


#: HTTP status → the subclass used when the code alone does not decide.
_BY_STATUS: dict[int, type[HarmoniaError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    405: ValidationError,
    409: ConflictError,
    413: ValidationError,
    422: ValidationError,
    502: ComponentError,
    503: UnavailableError,
}


def error_from_response(status: int, body: Any, fallback: str = "") -> HarmoniaError:
    """Builds the error for a non-2xx answer from its JSON body (``{"code", "detail"}``).

    A body that is not the server's error object (a proxy's HTML page, say) still gives a
    readable error with code ``http_<status>``.
    """
    if isinstance(body, Mapping) and isinstance(body.get("code"), str):
        code = body["code"]
        detail = body.get("detail")
        detail_text = detail if isinstance(detail, str) else str(detail if detail is not None else fallback)
        problems = body.get("problems")
        path = body.get("path")
        cls = InvalidStateError if code == "invalid_state" else _BY_STATUS.get(status, HarmoniaError)
        return cls(
            code,
            detail_text,
            status,
            path=path if isinstance(path, str) else None,
            problems=problems if isinstance(problems, list) else None,
            body=body,
        )
    detail_text = fallback
    if isinstance(body, Mapping) and body.get("detail") is not None:
        detail_text = str(body["detail"])
    cls = _BY_STATUS.get(status, HarmoniaError)
    return cls(f"http_{status}", detail_text or f"the server answered HTTP {status}", status)
