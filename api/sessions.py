"""Reads behind a token for the pages too (``ECOGRAPH_READ_TOKEN_REQUIRED=true``): browser sessions, signed embeds.

A person signs in once at ``/login`` with an API token of any role. The service answers with a cookie
holding the token's public id, an expiry and an HMAC-SHA256 signature (HttpOnly, SameSite=Strict, and
Secure on https and on localhost); revoking the token ends its sessions at once. An iframe on another
site cannot sign in, so the region page offers a signed, expiring, read-only link for one map
(``?until=...&sig=...``). The signing keys are random secrets kept in the tokens file, so every worker
and server sharing that file accepts the same cookies and links.

With reads public (the default) none of this applies: every page answers as before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, principal_of
from api.errors import ApiError
from api.settings import ApiSettings
from api.tokens import Principal, TokenStore
from ecograph.i18n import Message

COOKIE = "ecograph_session"
SESSION_SECONDS = 8 * 3600
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class SignInNeeded(Exception):
    """A page needs a session: the pages answer with the sign-in form (embeds: a notice)."""


def _signature(settings: ApiSettings, purpose: str, text: str) -> str:
    key = TokenStore(settings.tokens).secret(purpose)
    return base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def session_value(settings: ApiSettings, principal: Principal, now: float | None = None) -> str:
    """The cookie value of a new session of ``principal``: token id, expiry and signature."""
    text = f"{principal.id}.{int((now or time.time()) + SESSION_SECONDS)}"
    return f"{text}.{_signature(settings, 'session', text)}"


def session_principal(settings: ApiSettings, value: str | None, now: float | None = None) -> Principal | None:
    """Who a session cookie belongs to, if it is signed by this service, not expired, and its token not revoked."""
    token_id, _, rest = (value or "").partition(".")
    expires, _, signature = rest.partition(".")
    if not (token_id and expires.isdigit() and signature):
        return None
    expected = _signature(settings, "session", f"{token_id}.{expires}")
    if not hmac.compare_digest(signature, expected) or int(expires) < (now or time.time()):
        return None
    return TokenStore(settings.tokens).principal(token_id)


def secure_cookie(request: Request) -> bool:
    """Browsers keep Secure cookies on https and on localhost; a plain-http address elsewhere would lose them."""
    return request.url.scheme == "https" or request.url.hostname in LOCAL_HOSTS


def embed_query(settings: ApiSettings, path: str, now: float | None = None) -> dict[str, str]:
    """The query that lets ``path`` (an embed address) be read without a session until it expires."""
    until = str(int((now or time.time()) + settings.embed_link_days * 86400))
    return {"until": until, "sig": _signature(settings, "embed", f"{path}|{until}")}


def embed_allowed(settings: ApiSettings, path: str, until: str | None, sig: str | None,
                  now: float | None = None) -> bool:
    if not (until and until.isdigit() and sig) or int(until) < (now or time.time()):
        return False
    return hmac.compare_digest(sig, _signature(settings, "embed", f"{path}|{until}"))


async def page_reader(request: Request, settings: SettingsDep) -> Principal | None:
    """Who reads a page (see :func:`reader`); public reads need no trip to the thread pool."""
    if not settings.read_token_required:
        return None
    return await run_in_threadpool(reader, request, settings)


def reader(request: Request, settings: ApiSettings) -> Principal | None:
    """Who reads a page: anybody while reads are public; else a bearer token, a session, or (for an embed) a
    signed link. Raises :class:`SignInNeeded` otherwise."""
    if not settings.read_token_required:
        return None
    principal = principal_of(request, settings) or session_principal(settings, request.cookies.get(COOKIE))
    if principal is not None:
        return principal
    query = request.query_params
    if request.url.path.startswith("/embed/") and embed_allowed(settings, request.url.path, query.get("until"),
                                                                 query.get("sig")):
        return None
    raise SignInNeeded


def document_reader(request: Request, settings: SettingsDep) -> Principal | None:
    """The API documentation (``/openapi.json``, ``/docs``) describes the data: a token or a session when reads
    need one (a 401 problem otherwise)."""
    try:
        return reader(request, settings)
    except SignInNeeded:
        raise ApiError(401, Message("api.auth.read_needs_token"),
                       headers={"WWW-Authenticate": 'Bearer realm="ecograph"'}) from None


PageReader = Annotated[Principal | None, Depends(page_reader)]
