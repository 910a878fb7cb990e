"""Reads behind a token cover the pages too: sign in once for a session cookie; embeds by signed, expiring links."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.sessions import COOKIE, embed_allowed, embed_query, session_principal, session_value
from api.settings import ApiSettings
from api.tokens import TokenStore
from tests.test_api import sqlite_settings

DATA_PAGES = ("/", "/regions/06", "/actors/unc", "/compare?regions=06,08", "/import")


@pytest.fixture
def settings(tmp_path: Path) -> ApiSettings:
    return sqlite_settings(tmp_path, read_token_required=True)


@pytest.fixture
def client(settings: ApiSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def sign_in(client: TestClient, settings: ApiSettings, role: str = "reader") -> str:
    token, _ = TokenStore(settings.tokens).create(role)
    answer = client.post("/login", data={"token": token, "next": "/regions/06"})
    assert answer.status_code == 303 and answer.headers["location"] == "/regions/06"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and token not in cookie
    return token


def test_every_page_and_document_needs_a_session(client: TestClient) -> None:
    for path in DATA_PAGES:
        answer = client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")
    assert client.get("/embed/regions/06").status_code == 401
    assert "id=\"embed-locked\"" in client.get("/embed/actors/unc").text
    for path in ("/openapi.json", "/docs"):
        assert client.get(path).status_code == 401, path
    assert client.get("/login").status_code == 200 and client.get("/health").status_code == 200
    assert client.get("/static/app.css").status_code == 200  # no data in the style sheet


def test_a_session_opens_every_page_until_its_token_is_revoked(client: TestClient, settings: ApiSettings) -> None:
    sign_in(client, settings)
    for path in (*DATA_PAGES, "/openapi.json", "/docs", "/embed/regions/06"):
        assert client.get(path).status_code == 200, path
    token_id = TokenStore(settings.tokens).list()[0].id
    TokenStore(settings.tokens).revoke(token_id)
    assert client.get("/regions/06").status_code == 303


def test_a_wrong_token_and_a_forged_or_expired_cookie_open_nothing(client: TestClient,
                                                                   settings: ApiSettings) -> None:
    refused = client.post("/login", data={"token": "eg_guess", "next": "/"})
    assert refused.status_code == 401 and 'id="login-failed"' in refused.text
    _, info = TokenStore(settings.tokens).create("reader")
    principal = TokenStore(settings.tokens).principal(info.id)
    assert principal is not None
    good = session_value(settings, principal)
    assert session_principal(settings, good) == principal
    token_id, expires, signature = good.split(".")
    assert session_principal(settings, f"{token_id}.{int(expires) + 999}.{signature}") is None, "tampered expiry"
    assert session_principal(settings, session_value(settings, principal, now=time.time() - 9 * 3600)) is None
    client.cookies.set(COOKIE, f"{token_id}.{int(expires) + 999}.{signature}")
    assert client.get("/").status_code == 303


def test_sign_in_sends_people_back_only_to_this_site(client: TestClient, settings: ApiSettings) -> None:
    token, _ = TokenStore(settings.tokens).create("reader")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        answer = client.post("/login", data={"token": token, "next": target})
        assert answer.headers["location"] == "/", target


def test_region_pages_offer_a_signed_embed_link_that_expires(client: TestClient, settings: ApiSettings) -> None:
    sign_in(client, settings)
    page = html.unescape(client.get("/regions/06").text)  # the snippet is text in a textarea
    address = html.unescape(re.search(r'iframe src="([^"]+)"', page)[1])
    parts = urlsplit(address)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert {"until", "sig", "lang"} <= set(query)
    client.cookies.clear()
    assert client.get(f"{parts.path}?{parts.query}").status_code == 200, "the link works without a session"
    assert client.get(parts.path.replace("06", "08"), params=query).status_code == 401, "for one map only"
    assert client.get(parts.path, params={**query, "until": str(int(query["until"]) + 1)}).status_code == 401
    old = embed_query(settings, "/embed/regions/06", now=time.time() - 400 * 86400)
    assert not embed_allowed(settings, "/embed/regions/06", old["until"], old["sig"])


def test_public_reads_need_nothing(tmp_path: Path) -> None:
    with TestClient(create_app(sqlite_settings(tmp_path)), follow_redirects=False) as client:
        for path in (*DATA_PAGES, "/embed/regions/06", "/openapi.json", "/docs"):
            assert client.get(path).status_code == 200, path


HOLD_A_MOMENT = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("writing", flush=True)
time.sleep(0.5)
db.execute("COMMIT")
"""
"""Another process writing to a file for half a second."""


def test_the_tokens_file_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    # Six downloads at once each ask for the signing secret, a write: a busy file must be waited for.
    tokens = TokenStore(tmp_path / "tokens.db")
    secret = tokens.secret("sessions")
    other = subprocess.Popen([sys.executable, "-c", HOLD_A_MOMENT, str(tokens.path)], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert other.stdout is not None and other.stdout.readline() == "writing\n"
        token, _ = tokens.create("reader")
    finally:
        other.wait()
    assert tokens.check(token) is not None and tokens.secret("sessions") == secret
