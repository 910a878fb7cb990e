"""FastAPI dependencies: the store, the service, the caller's token, query checking and conditional requests.

``get_store`` is the one override point for tests and for the web pages mounted on the same app.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError, Message, NotModified
from api.settings import APP_VERSION, ApiSettings
from api.tokens import Principal, TokenStore
from ecograph.model import shown
from ecograph.service import Service
from ecograph.stores import NEO4J_SCHEMES, Store, StoreError, StoreUnavailable, open_store
from ecograph.stores.base import MayWrite


@dataclass
class Lease:
    """The SQLite store one HTTP request uses, opened at its first use (see :class:`StoreProvider`)."""

    store: Store | None = None
    generation: int = 0


_lease: ContextVar[Lease | None] = ContextVar("ecograph_store_lease", default=None)


class StoreProvider:
    """Opens the configured store lazily and reopens it after a failure, so the service outlives outages.

    A Neo4j store (a thread-safe driver with its own connection pool) is shared. A SQLite connection must
    never be used by two threads at once, and FastAPI may resolve a request's dependencies in one worker
    thread and run its endpoint in another: so each HTTP request leases a connection of its own for its
    whole life (:meth:`lease`, from :class:`api.middleware.StorePerRequest`), taken from a small pool of
    idle ones. Outside a request (the background analysis) each thread keeps its own.
    """

    def __init__(self, settings: ApiSettings, opener: Callable[[str, ApiSettings], Store] | None = None) -> None:
        self.settings = settings
        self.location = settings.store
        self.kind = "neo4j" if self.location.startswith(NEO4J_SCHEMES) else "sqlite"
        self.opener = opener or (lambda location, settings: open_store(location, settings))
        self._lock = threading.Lock()
        self._local = threading.local()
        self._shared: Store | None = None
        self._opened: list[Store] = []
        self._idle: list[Store] = []
        self._generation = 0

    def _open(self) -> Store:
        try:
            store = self.opener(self.location, self.settings)
        except StoreUnavailable:
            raise
        except StoreError as error:
            raise StoreUnavailable(error.key, **error.values) from None
        except (ImportError, OSError) as error:
            raise StoreUnavailable("store.open_failed", reason=str(error)) from None
        with self._lock:
            self._opened.append(store)
        return store

    @contextlib.contextmanager
    def lease(self) -> Iterator[None]:
        """For the length of one request, :meth:`get` answers the same SQLite connection, used by no other."""
        if self.kind == "neo4j":
            yield
            return
        lease = Lease(generation=self._generation)
        token = _lease.set(lease)
        try:
            yield
        finally:
            _lease.reset(token)
            if lease.store is not None:
                with self._lock:
                    keep = lease.generation == self._generation and len(self._idle) < IDLE_CONNECTIONS
                    if keep:
                        self._idle.append(lease.store)
                if not keep:
                    self._forget(lease.store)

    def get(self) -> Store:
        if self.kind == "neo4j":
            with self._lock:
                shared = self._shared
            if shared is None:
                shared = self._open()
                with self._lock:
                    self._shared, shared = self._shared or shared, self._shared or shared
            return shared
        lease = _lease.get()
        if lease is not None:
            if lease.store is None:
                with self._lock:
                    idle = self._idle.pop() if self._idle else None
                lease.store = idle or self._open()
            return lease.store
        local = self._local
        if getattr(local, "store", None) is None or local.generation != self._generation:
            if getattr(local, "store", None) is not None:
                self._forget(local.store)
            local.store = None
            local.store, local.generation = self._open(), self._generation
        return local.store

    def _forget(self, store: Store) -> None:
        with self._lock:
            if store in self._opened:
                self._opened.remove(store)
        with contextlib.suppress(Exception):  # a broken connection may fail to close too
            store.close()

    def reset(self) -> None:
        """After a store failure: every SQLite connection is reopened on its next use.

        The Neo4j driver reconnects by itself, so the shared store is kept.
        """
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for store in idle:
            self._forget(store)

    def close(self) -> None:
        with self._lock:
            opened, self._opened, self._shared, self._idle = self._opened, [], None, []
            self._generation += 1
        for store in opened:
            with contextlib.suppress(Exception):
                store.close()


IDLE_CONNECTIONS = 16
"""Idle SQLite connections kept for the next requests."""


# Dependencies that do no I/O are coroutines: FastAPI then calls them on the event loop, where a plain function
# would cost a trip to the thread pool on every request (about 0.2 ms each).
async def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    """The configured store (``ECOGRAPH_STORE`` or ``serve --store``)."""
    return request.app.state.stores.get()


async def get_service(request: Request) -> Service:
    """The service that reads graphs and serves their analysis (see :mod:`ecograph.service`)."""
    return request.app.state.service


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ServiceDep = Annotated[Service, Depends(get_service)]

bearer = HTTPBearer(auto_error=False, description="an API token from `ecograph token create`",
                    scheme_name="token")


def _unauthorized(key: str) -> ApiError:
    return ApiError(401, Message(key), headers={"WWW-Authenticate": 'Bearer realm="ecograph"'})


async def get_principal(request: Request, settings: SettingsDep) -> Principal | None:
    """The caller's token (see :func:`principal_of`); a request without one needs no trip to the thread pool."""
    if "authorization" not in request.headers:
        return None
    return await run_in_threadpool(principal_of, request, settings)


def principal_of(request: Request, settings: ApiSettings) -> Principal | None:
    """The caller's token, if it sent one; a malformed, unknown or revoked token is a 401."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("api.auth.malformed")
    found = TokenStore(settings.tokens).check(token.strip())
    if found is None:
        raise _unauthorized("api.auth.unknown")
    return found


PrincipalDep = Annotated[Principal | None, Depends(get_principal)]


async def public_read(principal: PrincipalDep) -> Principal | None:
    """Reads are public (a token, if sent, must still be valid)."""
    return principal


def require_writer(principal: PrincipalDep, _: Annotated[HTTPAuthorizationCredentials | None,
                                                         Depends(bearer)] = None) -> Principal:
    """Writes need an admin or editor token."""
    if principal is None:
        raise _unauthorized("api.auth.write_needs_token")
    if not principal.writes:
        raise ApiError(403, Message("api.auth.cannot_write", role=principal.role))
    return principal


def require_admin(principal: Annotated[Principal, Depends(require_writer)]) -> Principal:
    if principal.role != "admin":
        raise ApiError(403, Message("api.auth.admin_only"))
    return principal


WriterDep = Annotated[Principal, Depends(require_writer)]


def scope(principal: Principal) -> MayWrite | None:
    """What a writer may write: everything for an admin, its regions for an editor (see Store.write)."""
    return None if principal.role == "admin" else principal.may_write


async def reject_unknown_query(request: Request) -> None:
    """400 naming any query parameter the endpoint does not take (a typo would otherwise be ignored)."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = getattr(route, "_ecograph_query_names", None)
    if allowed is None:
        allowed = frozenset(_query_names(dependant))
        route._ecograph_query_names = allowed  # type: ignore[union-attr]
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in allowed]
    if unknown:
        takes = ", ".join(sorted(allowed)) or Message("api.query.none")
        raise ApiError(400, Message("api.query.unknown", name=shown(unknown[0]), takes=takes),
                       errors=[{"field": f"query.{name}", "message": Message("api.query.unknown_field")}
                               for name in unknown])


def _query_names(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def conditional(request: Request, response: Response, store: StoreDep) -> int:
    """The dataset version, with ETag and If-None-Match: a 304 when the client's copy is current.

    The ETag is the dataset version plus a hash of the URL (path and query) and the app version,
    so it changes whenever the data, the question or the code does.
    """
    version = store.version()
    key = f"{APP_VERSION}|{store.url}|{request.url.path}?{request.url.query}".encode()
    etag = f'W/"{version}-{hashlib.sha256(key).hexdigest()[:16]}"'
    headers = {"ETag": etag, "X-Dataset-Version": str(version),
               "Cache-Control": "private, no-cache" if request.app.state.settings.read_token_required
               else "no-cache"}
    wanted = request.headers.get("if-none-match")
    if wanted and matches(wanted, etag):
        raise NotModified(headers)
    response.headers.update(headers)
    request.state.etag_headers = headers
    return version


def matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison, as RFC 9110 asks for GET)."""
    if header.strip() == "*":
        return True
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag.removeprefix("W/") in tags


VersionDep = Annotated[int, Depends(conditional)]
