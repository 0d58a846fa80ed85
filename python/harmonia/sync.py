"""A blocking wrapper of :class:`~harmonia.client.HarmoniaClient`, for scripts.

Same methods, same answers, same errors; each call blocks until done::

    from harmonia.sync import get_harmonia_client

    with get_harmonia_client() as client:
        workflow = client.create_workflow(name="hi", tasks=[...])
        run = client.execute_workflow(workflow["workflow_id"])
        print(client.wait_for_execution(run["execution_id"])["status"])

The async client runs on a private event loop in a daemon thread, so this works in plain
scripts and also where an event loop is already running (a notebook, a thread of an async
program) — but never call it from a coroutine on a loop you need to stay responsive.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any, Awaitable, Callable, Iterator, Optional, TypeVar

from .client import HarmoniaClient, HarmoniaStateClient
from .discovery import resolve_base_url

__all__ = ["HarmoniaSyncClient", "HarmoniaSyncStateClient", "get_harmonia_client", "get_harmonia_state_client"]

T = TypeVar("T")


class _LoopThread:
    """An event loop running forever in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name="harmonia-sync-client", daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coroutine: Awaitable[T]) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("HarmoniaSyncClient called from its own event loop thread")
        future = asyncio.run_coroutine_threadsafe(_await(coroutine), self.loop)
        return future.result()

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


class HarmoniaSyncClient:
    """Every :class:`~harmonia.client.HarmoniaClient` method, blocking.

    Takes the same arguments as ``HarmoniaClient`` (``base_url``, ``host``, ``port``,
    ``api_key``, ``timeout``). Use ``with HarmoniaSyncClient(...) as client:`` or call
    :meth:`close`. Methods are looked up on the async client by name, so they always match
    it; ``stream_events`` becomes a plain generator.
    """

    _client_class: type[HarmoniaClient] = HarmoniaClient

    def __init__(self, base_url: Optional[str] = None, **options: Any) -> None:
        self._loop = _LoopThread()
        cls = self._client_class

        async def make() -> HarmoniaClient:
            return cls(base_url, **options)

        try:
            self._client: HarmoniaClient = self._loop.run(make())
        except BaseException:
            self._loop.stop()
            raise

    @property
    def base_url(self) -> str:
        return self._client.base_url

    @property
    def async_client(self) -> HarmoniaClient:
        """The wrapped async client (only usable on this wrapper's loop)."""
        return self._client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        target = getattr(self._client, name)
        if not callable(target):
            return target  # type: ignore[no-any-return]

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run(target(*args, **kwargs))

        call.__name__ = name
        call.__doc__ = getattr(target, "__doc__", None)
        return call

    def stream_events(self, execution_id: str, after_seq: Optional[int] = None, **options: Any) -> Iterator[dict[str, Any]]:
        """The execution's events as a blocking generator (see ``HarmoniaClient.stream_events``)."""
        stream = self._client.stream_events(execution_id, after_seq, **options)
        try:
            while True:
                try:
                    yield self._loop.run(stream.__anext__())
                except StopAsyncIteration:
                    return
        finally:
            if not self._loop.loop.is_closed():
                self._loop.run(stream.aclose())

    def close(self) -> None:
        """Closes the connections and stops the private loop."""
        if self._loop.loop.is_closed():
            return
        try:
            self._loop.run(self._client.close())
        finally:
            self._loop.stop()

    def __enter__(self) -> "HarmoniaSyncClient":
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HarmoniaSyncClient(base_url={self.base_url!r})"


class HarmoniaSyncStateClient(HarmoniaSyncClient):
    """The blocking :class:`~harmonia.client.HarmoniaStateClient`."""

    _client_class = HarmoniaStateClient


def get_harmonia_client(
    component_id: Optional[str] = None, hermes_url: Optional[str] = None, **options: Any
) -> HarmoniaSyncClient:
    """Blocking :func:`harmonia.client.get_harmonia_client` (same discovery order)."""
    return _discover(HarmoniaSyncClient, hermes_url, options)


def get_harmonia_state_client(
    component_id: Optional[str] = None, hermes_url: Optional[str] = None, **options: Any
) -> HarmoniaSyncStateClient:
    """Blocking :func:`harmonia.client.get_harmonia_state_client`."""
    client = _discover(HarmoniaSyncStateClient, hermes_url, options)
    assert isinstance(client, HarmoniaSyncStateClient)
    return client


def _discover(cls: type[HarmoniaSyncClient], hermes_url: Optional[str], options: dict[str, Any]) -> HarmoniaSyncClient:
    base_url = options.pop("base_url", None)
    host = options.pop("host", None)
    port = options.pop("port", None)
    for ignored in ("security_context", "retry_policy"):
        options.pop(ignored, None)
    loop = _LoopThread()  # not asyncio.run: the caller may be inside a running loop
    try:
        url = loop.run(resolve_base_url(base_url, host, port, hermes_url))
    finally:
        loop.stop()
    return cls(url, **options)
