"""Warm answers served as stored bytes.

A JSON answer or a page is built once per key (which holds the dataset version) and, for a client that accepts
gzip, compressed once (:func:`stored`): a warm request sends the kept bytes, neither validated, serialised nor
compressed again. A public API answer that depends on nothing but its address and the dataset version is also
remembered by its address (:class:`Replay`): the next request for that address at the same version is answered
from memory before the framework resolves any dependency, which was most of a warm request's cost. Every worker
process builds its own bytes from the analysis stored with the data, so none recomputes the analysis.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import StoreProvider, matches
from ecograph.service import Service

GZIP_MINIMUM = 1024
"""Bodies shorter than this are sent as they are (compressing them saves little); the app's GZip middleware too."""
GZIP_LEVEL = 6
"""Not the 9 of Starlette's default: a large map page compresses in a third of the time for a few percent more."""
REPLAYABLE = "ecograph_replayable"
"""The request state flag :func:`replayable` sets."""


def accepts_gzip(headers: Headers) -> bool:
    """Whether the client takes gzip, judged as the app's GZip middleware judges it."""
    return "gzip" in headers.get("accept-encoding", "")


def stored(request: Request, service: Service, key: tuple[Hashable, ...], build: Callable[[], bytes]) -> tuple[
        bytes, bool]:
    """The body ``build()`` returns, built once per ``key`` (which must hold the dataset version), and whether it is
    gzip-compressed: it is, compressed once, when the client accepts gzip and the body is long enough.

    Cost: a cache look-up when warm; else ``build()``, plus about 15 ms per MB to compress.
    """
    body = service.cache.get(key, build)
    if not accepts_gzip(request.headers) or len(body) < GZIP_MINIMUM:
        return body, False
    return service.cache.get((*key, "gzip"), lambda: gzip.compress(body, GZIP_LEVEL, mtime=0)), True


def replayable(request: Request) -> None:
    """Mark the answer to ``request`` as depending on nothing but its address and the dataset version (not on who
    asks, nor on their language): :class:`Replay` keeps it for the next request of that address."""
    setattr(request.state, REPLAYABLE, True)


class Replay:
    """Answers again, from memory, the public API reads marked :func:`replayable`: a GET under ``prefix`` without an
    Authorization header, for the same address (path and query) at the same dataset version and with the same
    gzip acceptance, gets the recorded status, headers and body (or a 304 with the recorded ETag headers when
    ``If-None-Match`` matches, as :func:`api.deps.conditional` answers). Anything else, and every first request,
    goes to the app, whose answer is recorded if it is marked.

    Register it inside :class:`api.middleware.StorePerRequest` (the dataset version is read through the request's
    store) and inside the GZip and CORS middleware, which then treat a replayed answer as the app's own. Off when
    reads need a token: an answer then depends on who asks. Cost of a replay: reading the dataset version (a
    SQLite read; a Neo4j query in a worker thread) and a dictionary look-up.
    """

    def __init__(self, app: ASGIApp, stores: StoreProvider, prefix: str, entries: int, enabled: bool = True) -> None:
        self.app, self.stores, self.prefix, self.entries, self.enabled = app, stores, prefix, entries, enabled
        self.answers: OrderedDict[tuple[int, str, bytes, bool], tuple[Message, bytes, dict[str, str]]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (not self.enabled or scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(self.prefix)):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "authorization" in headers:  # a token must still be checked (a bad one is a 401)
            await self.app(scope, receive, send)
            return
        address = (scope["path"], scope["query_string"], accepts_gzip(headers))
        version = await self._version()
        found = self.answers.get((version, *address)) if version is not None else None
        if found is None:
            await self._record(scope, receive, send, address)
            return
        self.answers.move_to_end((version, *address))
        start, body, validators = found
        wanted = headers.get("if-none-match")
        if wanted and matches(wanted, validators["ETag"]):
            await Response(status_code=304, headers=validators)(scope, receive, send)
            return
        await send({**start, "headers": list(start["headers"])})  # outer middleware may change the headers
        await send({"type": "http.response.body", "body": body})

    async def _version(self) -> int | None:
        """The current dataset version, or None when the store fails (the app then answers the error)."""
        try:
            store = self.stores.get()
            if self.stores.kind == "sqlite":
                return store.version()
            return await anyio.to_thread.run_sync(store.version)
        except Exception:  # the app's own handlers answer the same failure properly
            return None

    async def _record(self, scope: Scope, receive: Receive, send: Send, address: tuple[str, bytes, bool]) -> None:
        state: dict[str, Any] = scope.setdefault("state", {})
        start: Message = {}

        async def recording(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = {**message, "headers": list(message.get("headers", []))}
            elif (message["type"] == "http.response.body" and not message.get("more_body") and start.get("status")
                  == 200 and state.get(REPLAYABLE) and "etag_headers" in state):
                validators = state["etag_headers"]
                self.answers[(int(validators["X-Dataset-Version"]), *address)] = (
                    start, message.get("body", b""), validators)
                while len(self.answers) > self.entries:
                    self.answers.popitem(last=False)
            await send(message)

        await self.app(scope, receive, recording)
