"""The async Python client for the Harmonia workflow server.

Names and shapes follow the original (Python) Harmonia's client, so Tekton components and
the original README's examples work unchanged::

    from harmonia.client import get_harmonia_client

    client = await get_harmonia_client()
    workflow = await client.create_workflow(name="hello", tasks=[
        {"name": "task1", "component": "harmonia", "action": "echo", "input": {"message": "hi"}}])
    execution = await client.execute_workflow(workflow_id=workflow["workflow_id"])
    status = await client.wait_for_execution(execution["execution_id"], timeout=60)
    await client.close()

Every call answers with the server's ``data`` (plain dicts and lists, snake_case keys) and
raises :class:`~harmonia.errors.HarmoniaError` (with the server's ``code`` and ``detail``)
on failure. See ``docs/python.md`` for every method.
"""

from __future__ import annotations

import asyncio
import json as _json
import logging
import os
import time
from types import TracebackType
from typing import Any, AsyncGenerator, Mapping, Optional, Sequence, Union
from urllib.parse import quote

import httpx

from .discovery import explicit_base_url, default_base_url, resolve_base_url
from .errors import (
    HarmoniaConnectionError,
    HarmoniaError,
    HarmoniaTimeoutError,
    InvalidResponseError,
    InvalidStateError,
    UnsupportedError,
    error_from_response,
)
from .sse import SSEParser

__all__ = [
    "HarmoniaClient",
    "HarmoniaStateClient",
    "get_harmonia_client",
    "get_harmonia_state_client",
    "TERMINAL_EXECUTION_STATUSES",
    "TERMINAL_EVENT_TYPES",
    "API_PREFIX",
]

logger = logging.getLogger("harmonia.client")

#: Business routes live under this prefix (``/api`` is an alias for older clients).
API_PREFIX = "/api/v1"
#: An execution in one of these states will not change again.
TERMINAL_EXECUTION_STATUSES = frozenset({"completed", "failed", "canceled"})
#: The per-execution event stream ends after one of these.
TERMINAL_EVENT_TYPES = frozenset({"workflow_completed", "workflow_failed", "workflow_canceled"})
#: The server's error-frame code for a stream that fell too far behind; the stream resumes.
_LAGGED = "subscriber_lagged"

JSON = Any
TaskList = Union[Sequence[Mapping[str, Any]], Mapping[str, Mapping[str, Any]]]


def _segment(value: str) -> str:
    """One path segment, percent-encoded (ids are UUIDs, names may be anything)."""
    return quote(str(value), safe="")


def _api_key_from_env() -> Optional[str]:
    key = os.environ.get("HARMONIA_API_KEY")
    if key:
        return key
    keys = [part.strip() for part in os.environ.get("HARMONIA_API_KEYS", "").split(",") if part.strip()]
    return keys[0] if keys else None


class HarmoniaClient:
    """An async client for one Harmonia server (``httpx.AsyncClient`` underneath).

    ``base_url`` wins; else ``host``/``port``; else ``HARMONIA_URL``; else
    ``http://localhost:{HARMONIA_PORT|8007}``. (Hermes discovery needs a network call, so it
    happens in :func:`get_harmonia_client`, not here.) ``api_key`` (else
    ``HARMONIA_API_KEY``, else the first of ``HARMONIA_API_KEYS``) is sent as
    ``Authorization: Bearer <key>``.

    Use it as ``async with HarmoniaClient(...) as client:``, or call :meth:`close` when done.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        *,
        host: Optional[str] = None,
        port: Optional[int] = None,
        api_key: Optional[str] = None,
        timeout: float = 30.0,
        headers: Optional[Mapping[str, str]] = None,
        transport: Optional[httpx.AsyncBaseTransport] = None,
    ) -> None:
        self.base_url: str = explicit_base_url(base_url, host, port) or default_base_url()
        self.api_key: Optional[str] = api_key if api_key is not None else _api_key_from_env()
        self.timeout = timeout
        request_headers = {"User-Agent": "harmonia-python-client", "Accept": "application/json"}
        if self.api_key:
            request_headers["Authorization"] = f"Bearer {self.api_key}"
        request_headers.update(headers or {})
        self._http = httpx.AsyncClient(
            base_url=self.base_url, headers=request_headers, timeout=timeout, transport=transport
        )

    # -- lifecycle ------------------------------------------------------------------------

    async def close(self) -> None:
        """Closes the connection pool. The client cannot be used afterwards."""
        await self._http.aclose()

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    async def __aenter__(self) -> "HarmoniaClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- transport ------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: JSON = None,
        params: Optional[Mapping[str, Any]] = None,
        content: Optional[Union[str, bytes]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> httpx.Response:
        query = {key: value for key, value in (params or {}).items() if value is not None}
        try:
            return await self._http.request(
                method, path, json=json, params=query or None, content=content, headers=headers
            )
        except httpx.TimeoutException as error:
            raise HarmoniaTimeoutError(
                "timeout", f"{method} {self.base_url}{path} timed out after {self.timeout} s ({error!r})"
            ) from error
        except httpx.TransportError as error:
            raise HarmoniaConnectionError(
                "connection_failed", f"cannot reach Harmonia at {self.base_url} ({method} {path}): {error}"
            ) from error

    @staticmethod
    def _body(response: httpx.Response) -> JSON:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: JSON = None,
        params: Optional[Mapping[str, Any]] = None,
        content: Optional[Union[str, bytes]] = None,
        headers: Optional[Mapping[str, str]] = None,
        envelope: bool = True,
    ) -> dict[str, Any]:
        """One request; the envelope's ``data`` (or the whole body when ``envelope`` is off),
        which is always a JSON object on this server."""
        response = await self._send(method, path, json=json, params=params, content=content, headers=headers)
        body = self._body(response)
        if not response.is_success:
            raise error_from_response(
                response.status_code, body, fallback=response.text[:500] if body is None else ""
            )
        value = body.get("data") if envelope and isinstance(body, dict) else body
        if not isinstance(value, dict) or (envelope and "status" not in body):
            what = "the {status, message, data} envelope with an object" if envelope else "a JSON object"
            raise InvalidResponseError(
                "invalid_response",
                f"{method} {path} answered HTTP {response.status_code} without {what}",
                response.status_code,
            )
        return value

    async def _api(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return await self._call(method, API_PREFIX + path, **kwargs)

    # -- infrastructure -------------------------------------------------------------------

    async def health(self) -> dict[str, Any]:
        """``GET /health``: ``{"status": "healthy", "component": "harmonia", "port", ...}``."""
        return await self._call("GET", "/health", envelope=False)

    async def is_ready(self) -> bool:
        """``GET /ready``: True once recovery finished and until shutdown starts."""
        response = await self._send("GET", "/ready")
        return response.status_code == 200

    async def status(self) -> dict[str, Any]:
        """``GET /api/v1/status``: engine status, counts, components."""
        return await self._api("GET", "/status")

    async def shutdown(self) -> dict[str, Any]:
        """``POST /shutdown``: the server stops gracefully (as on SIGTERM) and exits 0."""
        return await self._call("POST", "/shutdown", json={}, envelope=False)

    async def discovery(self) -> dict[str, Any]:
        """``GET /discovery``: the component description for Tekton."""
        return await self._call("GET", "/discovery", envelope=False)

    # -- workflows ------------------------------------------------------------------------

    async def create_workflow(
        self,
        name: Optional[str] = None,
        tasks: Optional[TaskList] = None,
        description: Optional[str] = None,
        input_schema: Optional[Mapping[str, Any]] = None,
        output_schema: Optional[Mapping[str, Any]] = None,
        *,
        definition: Optional[Mapping[str, Any]] = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Stores a workflow definition; answers it with ``workflow_id`` (and ``id``, ``version``...).

        ``tasks`` is a list of tasks with ``name`` (the original's form: ``name``,
        ``component``, ``action``, ``input``, ``depends_on``) or a dict keyed by task id.
        Other definition fields (``timeout``, ``max_concurrency``, ``retry_policy``,
        ``metadata``, ``default_input``, ``fail_fast``, ...) go in ``extra``; or pass a whole
        ``definition`` dict (the named arguments are laid over it).
        """
        body: dict[str, Any] = dict(definition or {})
        if name is not None:
            body["name"] = name
        if tasks is not None:
            if isinstance(tasks, Mapping):
                body["tasks"] = {str(key): dict(task) for key, task in tasks.items()}
            else:
                body["tasks"] = [dict(task) for task in tasks]
        if description is not None:
            body["description"] = description
        if input_schema is not None:
            body["input_schema"] = dict(input_schema)
        if output_schema is not None:
            body["output_schema"] = dict(output_schema)
        body.update(extra)
        return await self._api("POST", "/workflows", json=body)

    async def create_workflow_from_yaml(self, yaml_text: str) -> dict[str, Any]:
        """Stores a workflow written in YAML (the server parses it)."""
        return await self._api(
            "POST", "/workflows", content=yaml_text.encode("utf-8"), headers={"Content-Type": "application/yaml"}
        )

    async def update_workflow(self, workflow_id: str, definition: Mapping[str, Any]) -> dict[str, Any]:
        """Stores ``definition`` as the workflow's next version."""
        return await self._api("PUT", f"/workflows/{_segment(workflow_id)}", json=dict(definition))

    async def get_workflow(self, workflow_id: str) -> dict[str, Any]:
        """The workflow's newest version."""
        return await self._api("GET", f"/workflows/{_segment(workflow_id)}")

    async def list_workflows(
        self, name: Optional[str] = None, limit: Optional[int] = None, offset: Optional[int] = None
    ) -> list[dict[str, Any]]:
        """The newest version of each workflow, most recently updated first."""
        data = await self._api("GET", "/workflows", params={"name": name, "limit": limit, "offset": offset})
        return list(data.get("workflows", []))

    async def delete_workflow(self, workflow_id: str) -> dict[str, Any]:
        """Hides the workflow; answers ``{"workflow_id", "deleted": True}``."""
        return await self._api("DELETE", f"/workflows/{_segment(workflow_id)}")

    # -- executions -----------------------------------------------------------------------

    async def execute_workflow(
        self,
        workflow_id: str,
        input: Optional[Mapping[str, Any]] = None,
        *,
        input_data: Optional[Mapping[str, Any]] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        workflow_version: Optional[int] = None,
    ) -> dict[str, Any]:
        """Starts an execution; answers ``{"execution_id", "status", "execution"}`` at once.

        ``input_data`` is the original client's name for ``input``. The execution runs in
        the background: follow it with :meth:`get_workflow_status`,
        :meth:`wait_for_execution` or :meth:`stream_events`.
        """
        body: dict[str, Any] = {"workflow_id": workflow_id}
        given = input if input is not None else input_data
        if given is not None:
            body["input"] = dict(given)
        if metadata is not None:
            body["metadata"] = dict(metadata)
        if idempotency_key is not None:
            body["idempotency_key"] = idempotency_key
        if workflow_version is not None:
            body["workflow_version"] = workflow_version
        return await self._api("POST", "/executions", json=body)

    async def get_execution(self, execution_id: str) -> dict[str, Any]:
        """The server's answer as is: ``{"execution", "workflow_definition", "summary"}``."""
        return await self._api("GET", f"/executions/{_segment(execution_id)}")

    async def get_workflow_status(self, execution_id: str) -> dict[str, Any]:
        """The execution, flattened: its fields (``status``, ``execution_id``, ``tasks``,
        ``input``, ``error``...) at the top, plus ``summary`` and ``workflow_definition``."""
        data = await self.get_execution(execution_id)
        execution = data.get("execution") if isinstance(data, dict) else None
        if not isinstance(execution, dict) or "status" not in execution:
            raise InvalidResponseError("invalid_response", f"execution {execution_id}: answer without execution.status")
        flattened = dict(execution)
        flattened["summary"] = data.get("summary", {})
        flattened["workflow_definition"] = data.get("workflow_definition")
        return flattened

    async def list_executions(
        self,
        status: Optional[str] = None,
        workflow_id: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        parent_execution_id: Optional[str] = None,
    ) -> list[dict[str, Any]]:
        """Execution rows (without tasks), newest first; ``parent_execution_id`` keeps only the
        child executions (``harmonia.run_workflow``) of that execution."""
        data = await self._api(
            "GET",
            "/executions",
            params={
                "status": status,
                "workflow_id": workflow_id,
                "limit": limit,
                "offset": offset,
                "parent_execution_id": parent_execution_id,
            },
        )
        return list(data.get("executions", []))

    async def cancel_execution(self, execution_id: str, reason: Optional[str] = None) -> dict[str, Any]:
        """Cancels the execution; raises :class:`InvalidStateError` if it already finished."""
        body = {"reason": reason} if reason is not None else {}
        return await self._api("POST", f"/executions/{_segment(execution_id)}/cancel", json=body)

    async def cancel_workflow(self, execution_id: str) -> bool:
        """The original client's cancel: True if canceled, False if it had already finished."""
        try:
            await self.cancel_execution(execution_id)
        except InvalidStateError:
            return False
        return True

    async def pause_execution(self, execution_id: str) -> dict[str, Any]:
        """Stops new dispatches (running tasks finish); ``status`` becomes ``paused``."""
        return await self._api("POST", f"/executions/{_segment(execution_id)}/pause", json={})

    async def resume_execution(self, execution_id: str) -> dict[str, Any]:
        """Continues a paused execution."""
        return await self._api("POST", f"/executions/{_segment(execution_id)}/resume", json={})

    pause_workflow = pause_execution
    resume_workflow = resume_execution

    async def send_signal(self, execution_id: str, name: str, payload: JSON = None) -> dict[str, Any]:
        """Sends signal ``name`` with ``payload`` (any JSON value; ``None`` is ``null``). The first
        ``harmonia.wait_for_signal`` task waiting for ``name`` completes with the payload; when
        none waits the signal is kept for the next one (``status`` ``pending``). Raises
        :class:`InvalidStateError` once the execution has ended, :class:`NotFoundError` for an
        unknown id, and a 400 error for a bad name."""
        return await self._api(
            "POST", f"/executions/{_segment(execution_id)}/signals/{_segment(name)}", json=payload
        )

    async def retry_execution(self, execution_id: str) -> dict[str, Any]:
        """Re-runs a failed or canceled execution from where it stopped: a new execution with
        the same version, input and metadata (plus ``retried_from``) that keeps every completed
        task's output and runs the rest. Raises :class:`InvalidStateError` for an execution that
        completed or has not ended."""
        return dict(await self._api("POST", f"/executions/{_segment(execution_id)}/retry", json={}))

    async def explain_execution(self, execution_id: str) -> dict[str, Any]:
        """Why the execution is (not) moving: ``can_progress``, ``stuck_tasks``, ``summary``
        and, per unfinished task, ``waiting_for`` (``dependencies``, ``component``,
        ``unknown_component``, ``concurrency_slot``, ``retry_timer``, ``paused``, ``running``,
        ``dispatch``, ``signal``, ``child_execution``, ``map_instances``) with its details."""
        return dict(await self._api("GET", f"/executions/{_segment(execution_id)}/explain"))

    async def get_task_instances(
        self, execution_id: str, task_id: str, offset: int = 0, limit: Optional[int] = None
    ) -> dict[str, Any]:
        """One page of a map task's (``for_each``) instances, in item order: ``counts`` (by
        status, with ``total``), ``offset``, ``limit`` and ``instances`` (each with ``index``,
        ``item``, ``status``, ``attempt``, ``retries``, ``input``, ``output`` or ``error``).
        Raises :class:`NotFoundError` for an unknown execution or a task that is not a map."""
        return dict(
            await self._api(
                "GET",
                f"/executions/{_segment(execution_id)}/tasks/{_segment(task_id)}/instances",
                params={"offset": offset, "limit": limit},
            )
        )

    async def get_execution_events(
        self, execution_id: str, after_seq: int = 0, limit: Optional[int] = None
    ) -> list[dict[str, Any]]:
        """One page of the execution's event log: events with ``seq`` > ``after_seq``, in order."""
        data = await self._api(
            "GET", f"/executions/{_segment(execution_id)}/events", params={"after_seq": after_seq, "limit": limit}
        )
        return list(data.get("events", []))

    async def get_all_execution_events(self, execution_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """The whole log after ``after_seq``, page by page."""
        events: list[dict[str, Any]] = []
        cursor = after_seq
        while True:
            page = await self.get_execution_events(execution_id, after_seq=cursor)
            if not page:
                return events
            events.extend(page)
            cursor = int(page[-1]["seq"])

    async def wait_for_execution(
        self, execution_id: str, timeout: float = 300.0, poll_interval: float = 0.5
    ) -> dict[str, Any]:
        """Waits until the execution is ``completed``, ``failed`` or ``canceled``; answers
        :meth:`get_workflow_status`. Polls (first quickly, then every ``poll_interval``
        seconds) until the deadline; raises :class:`HarmoniaTimeoutError` after ``timeout``."""
        deadline = time.monotonic() + timeout
        interval = min(0.02, poll_interval)
        while True:
            status = await self.get_workflow_status(execution_id)
            if status["status"] in TERMINAL_EXECUTION_STATUSES:
                return status
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise HarmoniaTimeoutError(
                    "timeout",
                    f"execution {execution_id} is still {status['status']} after {timeout} s",
                )
            await asyncio.sleep(min(interval, remaining))
            interval = min(interval * 2, poll_interval)

    async def stream_events(
        self,
        execution_id: str,
        after_seq: Optional[int] = None,
        *,
        max_reconnects: int = 10,
        reconnect_delay: float = 0.2,
        read_timeout: float = 60.0,
    ) -> AsyncGenerator[dict[str, Any], None]:
        """The execution's events live over SSE (``/events/executions/{id}``), each once, in
        order, from ``after_seq`` (default: the beginning), ending after the terminal event.

        When the connection drops (or the server says this client lagged), it reconnects
        with the last ``seq`` it yielded (``Last-Event-ID``) and the server's log fills the
        gap: no event is lost or repeated. ``max_reconnects`` failures in a row (a
        ``connected`` frame resets the count) raise :class:`HarmoniaConnectionError`. The
        server sends a keepalive every 15 s, so ``read_timeout`` seconds of silence count as
        a dropped connection. An unknown execution raises :class:`NotFoundError`.
        """
        last_seq = after_seq or 0
        failures = 0
        path = f"/events/executions/{_segment(execution_id)}"
        timeout = httpx.Timeout(self.timeout, read=read_timeout)
        while True:
            headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
            if last_seq > 0:
                headers["Last-Event-ID"] = str(last_seq)
            problem: Optional[BaseException] = None
            try:
                async with self._http.stream(
                    "GET", path, params={"after_seq": last_seq}, headers=headers, timeout=timeout
                ) as response:
                    if response.status_code != 200:
                        await response.aread()
                        raise error_from_response(response.status_code, self._body(response))
                    parser = SSEParser()
                    async for chunk in response.aiter_bytes():
                        for message in parser.feed(chunk):
                            if message.event in ("connected", "state"):
                                failures = 0
                                continue
                            if message.event == "error":
                                frame = _parse_json(message.data)
                                code = str(frame.get("code") or "stream_error")
                                if code == _LAGGED:
                                    raise _Lagged(str(frame.get("detail", "")))
                                raise HarmoniaError(code, str(frame.get("detail") or message.data), 0, body=frame)
                            event = _parse_json(message.data)
                            seq = event.get("seq")
                            if not isinstance(seq, int) or seq <= last_seq:
                                continue  # a repeat after a reconnect, or not an event frame
                            last_seq = seq
                            yield event
                            if event.get("event_type") in TERMINAL_EVENT_TYPES:
                                return
            except _Lagged as lagged:
                problem = lagged
            except (httpx.TransportError, httpx.StreamError) as error:
                problem = error
            if problem is None:
                # The server ended the stream without a terminal event: the execution was
                # already over (the cursor past its end), or the connection was cut
                # cleanly. The log tells which.
                if await self._is_over(execution_id, last_seq):
                    return
                problem = HarmoniaConnectionError("connection_failed", "the event stream ended early")
            failures += 1
            if failures > max_reconnects:
                raise HarmoniaConnectionError(
                    "connection_failed",
                    f"the event stream of execution {execution_id} dropped {failures - 1} times in a row: {problem!r}",
                ) from problem
            logger.debug("event stream of %s dropped after seq %s (%r); reconnecting", execution_id, last_seq, problem)
            await asyncio.sleep(reconnect_delay * failures)

    async def _is_over(self, execution_id: str, last_seq: int) -> bool:
        """Whether the execution finished and nothing after ``last_seq`` is left to read."""
        try:
            status = await self.get_workflow_status(execution_id)
            if status["status"] not in TERMINAL_EXECUTION_STATUSES:
                return False
            return not await self.get_execution_events(execution_id, after_seq=last_seq, limit=1)
        except HarmoniaError:
            return False

    # -- templates ------------------------------------------------------------------------

    async def create_template(
        self,
        name: Optional[str] = None,
        workflow_definition_id: Optional[str] = None,
        parameters: Optional[Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]] = None,
        definition: Optional[Mapping[str, Any]] = None,
        description: Optional[str] = None,
        tags: Optional[Sequence[str]] = None,
        workflow_definition_version: Optional[int] = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Stores a template; answers it with ``template_id``.

        Either ``definition`` (a workflow definition with ``${params.NAME}`` placeholders)
        or ``workflow_definition_id`` (copies a saved workflow; the parameter values then
        become the new workflow's input: the workflow reads them as ``${input.NAME}``).
        ``parameters`` maps names to ``{"type", "required", "default", "description", ...}``.
        """
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if workflow_definition_id is not None:
            body["workflow_definition_id"] = workflow_definition_id
        if workflow_definition_version is not None:
            body["workflow_definition_version"] = workflow_definition_version
        if parameters is not None:
            body["parameters"] = (
                dict(parameters) if isinstance(parameters, Mapping) else [dict(item) for item in parameters]
            )
        if definition is not None:
            body["definition"] = dict(definition)
        if description is not None:
            body["description"] = description
        if tags is not None:
            body["tags"] = list(tags)
        body.update(extra)
        return await self._api("POST", "/templates", json=body)

    async def list_templates(
        self,
        tag: Optional[str] = None,
        name: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> list[dict[str, Any]]:
        """Newest template versions, most recently updated first."""
        data = await self._api("GET", "/templates", params={"tag": tag, "name": name, "limit": limit, "offset": offset})
        return list(data.get("templates", []))

    async def get_template(self, template_id: str, version: Optional[int] = None) -> dict[str, Any]:
        return await self._api("GET", f"/templates/{_segment(template_id)}", params={"version": version})

    async def update_template(self, template_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Stores the next version; fields left out keep their values."""
        return await self._api("PUT", f"/templates/{_segment(template_id)}", json=dict(changes))

    async def delete_template(self, template_id: str) -> dict[str, Any]:
        return await self._api("DELETE", f"/templates/{_segment(template_id)}")

    async def instantiate_template(
        self,
        template_id: str,
        parameter_values: Optional[Mapping[str, Any]] = None,
        name: Optional[str] = None,
        template_version: Optional[int] = None,
    ) -> dict[str, Any]:
        """Makes a workflow from the template; answers ``{"workflow_id", "template_id",
        "template_version", "workflow"}``. Bad values raise :class:`ValidationError`
        (``invalid_parameters``) whose ``problems`` name each parameter."""
        body: dict[str, Any] = {"parameter_values": dict(parameter_values or {})}
        if name is not None:
            body["name"] = name
        if template_version is not None:
            body["template_version"] = template_version
        return await self._api("POST", f"/templates/{_segment(template_id)}/instantiate", json=body)

    async def export_template(self, template_id: str, version: Optional[int] = None) -> dict[str, Any]:
        """A portable document (``"harmonia_template": 1``) for :meth:`import_template`."""
        return await self._api("GET", f"/templates/{_segment(template_id)}/export", params={"version": version})

    async def import_template(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return await self._api("POST", "/templates/import", json=dict(document))

    # -- checkpoints ----------------------------------------------------------------------

    async def create_checkpoint(self, execution_id: str, reason: Optional[str] = None) -> dict[str, Any]:
        """Snapshots the execution (any status); answers it with ``checkpoint_id``."""
        body = {"reason": reason} if reason is not None else {}
        return await self._api("POST", f"/executions/{_segment(execution_id)}/checkpoint", json=body)

    async def list_checkpoints(self, execution_id: str) -> list[dict[str, Any]]:
        """The execution's checkpoints, oldest first (manual, pause, cancel, interval)."""
        data = await self._api("GET", f"/executions/{_segment(execution_id)}/checkpoints")
        return list(data.get("checkpoints", []))

    async def get_checkpoint(self, checkpoint_id: str) -> dict[str, Any]:
        return await self._api("GET", f"/checkpoints/{_segment(checkpoint_id)}")

    async def restore_from_checkpoint(self, checkpoint_id: str) -> dict[str, Any]:
        """Starts a new execution that keeps the checkpoint's completed tasks; answers
        ``{"execution_id", "restored_from", "checkpoint_id", "kept_tasks", ...}``."""
        return await self._api("POST", f"/checkpoints/{_segment(checkpoint_id)}/restore", json={})

    # -- schedules ------------------------------------------------------------------------

    async def create_schedule(
        self,
        workflow_id: str,
        *,
        cron: Optional[str] = None,
        timezone: Optional[str] = None,
        interval: Optional[int] = None,
        input: Optional[Mapping[str, Any]] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        missed_runs: Optional[str] = None,
        overlap: Optional[str] = None,
        workflow_version: Optional[int] = None,
        schedule_id: Optional[str] = None,
        name: Optional[str] = None,
        paused: Optional[bool] = None,
    ) -> dict[str, Any]:
        """Creates a schedule that starts ``workflow_id`` by ``cron`` (read in the IANA
        ``timezone``, default UTC) or every ``interval`` seconds. ``missed_runs`` is
        ``skip`` (default) or ``run_once``; ``overlap`` is ``skip`` (default), ``allow`` or
        ``cancel_previous``. Answers the schedule with its ``next_runs``; a bad field raises
        :class:`ValidationError` (``invalid_schedule``) naming it, an unknown workflow
        :class:`NotFoundError`."""
        body: dict[str, Any] = {"workflow_id": workflow_id}
        for key, value in (
            ("cron", cron), ("timezone", timezone), ("interval", interval), ("missed_runs", missed_runs),
            ("overlap", overlap), ("workflow_version", workflow_version), ("id", schedule_id), ("name", name),
            ("paused", paused),
        ):
            if value is not None:
                body[key] = value
        if input is not None:
            body["input"] = dict(input)
        if metadata is not None:
            body["metadata"] = dict(metadata)
        return await self._api("POST", "/schedules", json=body)

    async def list_schedules(self, limit: Optional[int] = None, offset: Optional[int] = None) -> list[dict[str, Any]]:
        """Schedules, oldest first, each with its next runs and latest run record."""
        data = await self._api("GET", "/schedules", params={"limit": limit, "offset": offset})
        return list(data.get("schedules", []))

    async def get_schedule(self, schedule_id: str) -> dict[str, Any]:
        """A schedule with ``next_runs`` (the next 5 due times) and ``last_runs``."""
        return await self._api("GET", f"/schedules/{_segment(schedule_id)}")

    async def update_schedule(self, schedule_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Changes the given fields (a new cron, timezone or interval is due from now)."""
        return await self._api("PATCH", f"/schedules/{_segment(schedule_id)}", json=dict(changes))

    async def pause_schedule(self, schedule_id: str) -> dict[str, Any]:
        return await self._api("POST", f"/schedules/{_segment(schedule_id)}/pause", json={})

    async def resume_schedule(self, schedule_id: str) -> dict[str, Any]:
        """Due again from now; nothing that came due while paused is caught up."""
        return await self._api("POST", f"/schedules/{_segment(schedule_id)}/resume", json={})

    async def delete_schedule(self, schedule_id: str) -> dict[str, Any]:
        """Deletes the schedule and its run records; its executions stay."""
        return await self._api("DELETE", f"/schedules/{_segment(schedule_id)}")

    async def list_schedule_runs(self, schedule_id: str, limit: Optional[int] = None) -> list[dict[str, Any]]:
        """Run records (``started``, ``skipped``, ``missed``, ``failed``), newest first."""
        data = await self._api("GET", f"/schedules/{_segment(schedule_id)}/runs", params={"limit": limit})
        return list(data.get("runs", []))

    # -- components -----------------------------------------------------------------------

    async def list_components(self) -> list[dict[str, Any]]:
        """Every component (``name``, ``available``, ``reason``, ``actions``, ``source``...)."""
        data = await self.get_component_catalog()
        return list(data.get("components", []))

    async def get_component_catalog(self) -> dict[str, Any]:
        """``GET /components`` as is: ``components``, ``loaded``, ``refused``, ``directories``."""
        return await self._api("GET", "/components")

    async def get_component_actions(self, component: str) -> list[dict[str, Any]]:
        """The component's actions (``name``, ``description``, ``input_schema``)."""
        data = await self._api("GET", f"/components/{_segment(component)}/actions")
        return list(data.get("actions", []))

    async def get_component_action(self, component: str, action: str) -> dict[str, Any]:
        """One action's description and input schema."""
        return await self._api("GET", f"/components/{_segment(component)}/actions/{_segment(action)}")

    async def execute_component_action(
        self, component: str, action: str, input: Optional[Mapping[str, Any]] = None
    ) -> dict[str, Any]:
        """Runs one action directly, outside any workflow; answers ``{"component", "action",
        "output", "duration_ms"}``. An adapter's failure raises with its own code."""
        return await self._api(
            "POST", f"/components/{_segment(component)}/actions/{_segment(action)}", json=dict(input or {})
        )

    async def reload_components(self) -> dict[str, Any]:
        """Rescans the plugin directories (like ``SIGHUP``)."""
        return await self._api("POST", "/components/reload", json={})


class HarmoniaStateClient(HarmoniaClient):
    """The original's state client: checkpoints and execution state. Every
    :class:`HarmoniaClient` method works here too."""

    async def load_state(self, execution_id: str) -> dict[str, Any]:
        """The execution's state (as :meth:`get_workflow_status`)."""
        return await self.get_workflow_status(execution_id)

    async def save_state(self, execution_id: str, state: Mapping[str, Any]) -> bool:
        """Not offered: the engine owns execution state, a client cannot overwrite it."""
        raise UnsupportedError(
            "unsupported",
            "save_state is not offered: Harmonia's engine owns execution state; "
            "use create_checkpoint and restore_from_checkpoint",
        )


async def get_harmonia_client(
    component_id: Optional[str] = None,
    hermes_url: Optional[str] = None,
    *,
    base_url: Optional[str] = None,
    host: Optional[str] = None,
    port: Optional[int] = None,
    api_key: Optional[str] = None,
    timeout: float = 30.0,
    **_ignored: Any,
) -> HarmoniaClient:
    """A client for the Harmonia that this environment points at.

    Order: ``base_url`` / ``host`` / ``port`` arguments; a ``hermes_url`` argument;
    ``HARMONIA_URL``; Hermes from the environment (``HERMES_URL``, or ``HERMES_HOST`` /
    ``TEKTON_HOST`` / ``HERMES_PORT``); ``http://localhost:{HARMONIA_PORT|8007}``. Hermes
    failures fall through. ``component_id`` and other keyword arguments of the original
    (``security_context``, ``retry_policy``) are accepted and ignored.

    The client needs no ``async with``; call ``await client.close()`` when done with it.
    """
    url = await resolve_base_url(base_url, host, port, hermes_url)
    return HarmoniaClient(url, api_key=api_key, timeout=timeout)


async def get_harmonia_state_client(
    component_id: Optional[str] = None,
    hermes_url: Optional[str] = None,
    *,
    base_url: Optional[str] = None,
    host: Optional[str] = None,
    port: Optional[int] = None,
    api_key: Optional[str] = None,
    timeout: float = 30.0,
    **_ignored: Any,
) -> HarmoniaStateClient:
    """Like :func:`get_harmonia_client`, for a :class:`HarmoniaStateClient`."""
    url = await resolve_base_url(base_url, host, port, hermes_url)
    return HarmoniaStateClient(url, api_key=api_key, timeout=timeout)


class _Lagged(Exception):
    """The server cut this stream because it fell behind; resume from the last seq."""


def _parse_json(text: str) -> dict[str, Any]:
    try:
        value = _json.loads(text)
    except ValueError as error:
        raise InvalidResponseError("invalid_response", f"an SSE frame is not JSON: {text[:200]!r}") from error
    if not isinstance(value, dict):
        raise InvalidResponseError("invalid_response", f"an SSE frame is not a JSON object: {text[:200]!r}")
    return value
