"""Pure ASGI middleware: request size limits, applied before a body is read (413 as a problem document), and
``X-Content-Type-Options: nosniff`` on every response."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import StoreProvider
from api.errors import PROBLEM_JSON


class BodyTooLarge(HTTPException):
    pass


class BodyLimit:
    """Refuse bodies over ``limit`` bytes (``upload_limit`` on ``upload_paths``) under ``prefix``.

    A declared Content-Length over the limit is refused before reading; a chunked body is counted as
    it arrives and refused when it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int, upload_paths: tuple[str, ...],
                 prefix: str = "/api/") -> None:
        self.app, self.limit, self.upload_limit = app, limit, upload_limit
        self.upload_paths, self.prefix = upload_paths, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        upload = scope["path"].rstrip("/") in self.upload_paths
        limit = self.upload_limit if upload else self.limit
        # Multipart framing adds a little; allow for it on uploads so the file itself may reach the limit.
        allowed = limit + 64 * 1024 if upload else limit
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > allowed:
            await self._refuse(scope, send, limit, upload)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > allowed:
                    raise BodyTooLarge(413, self._detail(limit, upload))
            return message

        await self.app(scope, counted, send)

    @staticmethod
    def _detail(limit: int, upload: bool) -> str:
        setting = "ECOGRAPH_MAX_UPLOAD_BYTES" if upload else "ECOGRAPH_MAX_BODY_BYTES"
        what = "upload" if upload else "request body"
        return f"the {what} is larger than the {limit} bytes this service accepts ({setting})"

    async def _refuse(self, scope: Scope, send: Send, limit: int, upload: bool) -> None:
        body: dict[str, Any] = {"type": "about:blank", "title": "Content Too Large", "status": 413,
                                "detail": self._detail(limit, upload), "instance": scope["path"], "errors": []}
        content = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(content)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": content})


class NoSniff:
    """``X-Content-Type-Options: nosniff`` on every HTTP response (API JSON, static files, /docs, errors).

    Browsers then use the Content-Type sent and never guess another, so text the service echoes or
    serves cannot be taken for a script or a style sheet. Register it outermost, so it also marks
    responses that other middleware answers itself (such as :class:`BodyLimit`'s 413).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Content-Type-Options"] = "nosniff"
            await send(message)

        await self.app(scope, receive, marked)


class StorePerRequest:
    """Each HTTP request gets a SQLite connection of its own for its whole life (see
    :meth:`api.deps.StoreProvider.lease`): concurrent requests never share one."""

    def __init__(self, app: ASGIApp, stores: StoreProvider) -> None:
        self.app, self.stores = app, stores

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.stores.lease():
            await self.app(scope, receive, send)
