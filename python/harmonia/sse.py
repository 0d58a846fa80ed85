"""An incremental ``text/event-stream`` parser (WHATWG framing).

``field: value`` lines; a blank line ends a message; lines starting with ``:`` are comments
(the server's keepalives). Pure: feed it whatever chunks the network delivers, split
anywhere, even inside a multi-byte character.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["SSEMessage", "SSEParser"]


@dataclass(frozen=True)
class SSEMessage:
    """One dispatched message: its ``id:`` (if any), ``event:`` (default ``message``), ``data:``."""

    id: Optional[str]
    event: str
    data: str


class SSEParser:
    """Turns byte chunks into :class:`SSEMessage` s."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._id: Optional[str] = None
        self._event: Optional[str] = None
        self._data: list[str] = []
        #: Comment lines seen (keepalives).
        self.comments = 0

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        """Consumes ``chunk``; returns the messages it completes."""
        messages: list[SSEMessage] = []
        self._pending.extend(chunk)
        while True:
            newline = self._pending.find(b"\n")
            if newline < 0:
                break
            raw = bytes(self._pending[:newline])
            del self._pending[: newline + 1]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            message = self._line(raw.decode("utf-8", errors="replace"))
            if message is not None:
                messages.append(message)
        return messages

    def _line(self, line: str) -> Optional[SSEMessage]:
        if line == "":
            if not self._data:
                self._event = None
                return None
            message = SSEMessage(self._id, self._event or "message", "\n".join(self._data))
            self._event = None
            self._data = []
            return message
        if line.startswith(":"):
            self.comments += 1
            return None
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "id":
            self._id = value
        elif field == "event":
            self._event = value
        elif field == "data":
            self._data.append(value)
        return None
