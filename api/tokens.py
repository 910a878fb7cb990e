"""API tokens: random secrets shown once, of which only a SHA-256 hash is kept, in a small SQLite file.

A token has a role: ``admin`` (every write), ``editor`` (writes in its regions only) or ``reader``
(reads, for when reads need a token). The token text is ``eg_`` followed by 43 URL-safe characters;
its public id (for listing and revoking) is the first 12 characters of its hash.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import apsw

from ecograph.model import Invalid, closest_region
from ecograph.stores.sqlite import BUSY_TIMEOUT_S

ROLES = ("admin", "editor", "reader")
PREFIX = "eg_"

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, regions TEXT NOT NULL,
    name TEXT, created TEXT NOT NULL, revoked TEXT);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class TokenError(Invalid):
    """A token cannot be created or revoked: a message of the ``cli`` catalog says why (``error.text(lang)``)."""


def check_regions(regions: Collection[str], known: Collection[str]) -> None:
    """Refuse region codes that are not among the store's ``known`` ones, naming the likely one (``6`` → ``06``)."""
    for region in regions:
        if region not in known:
            guess = closest_region(region, known)
            if guess:
                raise TokenError("cli.unknown_region_guess", region=region, guess=guess)
            raise TokenError("cli.unknown_region", region=region)


@dataclass(frozen=True)
class Principal:
    """Who a request comes from: a token's id, role and region scope (editors only)."""

    id: str
    role: str
    regions: frozenset[str] = field(default_factory=frozenset)
    name: str | None = None

    @property
    def writes(self) -> bool:
        return self.role in ("admin", "editor")

    def may_write(self, region: str | None) -> bool:
        """Whether this token may write a record whose home region is ``region`` (None: national)."""
        if self.role == "admin":
            return True
        return self.role == "editor" and region is not None and region in self.regions


@dataclass(frozen=True)
class TokenInfo:
    id: str
    role: str
    regions: list[str]
    name: str | None
    created: str
    revoked: str | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenStore:
    """The tokens file (``ECOGRAPH_TOKENS``). Opened per use: cheap, and revocation takes effect at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _connect(self) -> apsw.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = apsw.Connection(str(self.path))
        db.set_busy_timeout(BUSY_TIMEOUT_S * 1000)  # concurrent requests write the secrets: wait, as the store does
        db.execute(SCHEMA)
        return db

    def create(self, role: str, regions: list[str] | None = None, name: str | None = None) -> tuple[str, TokenInfo]:
        """A new token (shown once) and its record; editors need at least one region."""
        regions = sorted(set(regions or []))
        if role not in ROLES:
            raise TokenError("token.unknown_role", role=role, roles=", ".join(ROLES))
        if role == "editor" and not regions:
            raise TokenError("token.editor_needs_region")
        if role != "editor" and regions:
            raise TokenError("token.regions_for_editors", role=role)
        token = PREFIX + secrets.token_urlsafe(32)
        hashed = digest(token)
        info = TokenInfo(hashed[:12], role, regions, name, datetime.now(UTC).isoformat(timespec="seconds"), None)
        db = self._connect()
        try:
            db.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                       (info.id, hashed, role, json.dumps(regions), name, info.created))
        finally:
            db.close()
        return token, info

    def check(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked token; None otherwise."""
        if not token.startswith(PREFIX) or not self.path.exists():
            return None
        db = self._connect()
        try:
            row = db.execute("SELECT id, role, regions, name FROM tokens WHERE hash = ? AND revoked IS NULL",
                             (digest(token),)).fetchone()
        finally:
            db.close()
        if row is None:
            return None
        return Principal(row[0], row[1], frozenset(json.loads(row[2])), row[3])

    def principal(self, token_id: str) -> Principal | None:
        """The principal of the unrevoked token with this public id; None otherwise."""
        if not self.path.exists():
            return None
        db = self._connect()
        try:
            row = db.execute("SELECT id, role, regions, name FROM tokens WHERE id = ? AND revoked IS NULL",
                             (token_id,)).fetchone()
        finally:
            db.close()
        return None if row is None else Principal(row[0], row[1], frozenset(json.loads(row[2])), row[3])

    def secret(self, name: str) -> bytes:
        """A random 32-byte secret kept in the tokens file, made the first time it is asked for (signing keys of
        browser sessions and embed links: every worker and server over the same file shares them)."""
        db = self._connect()
        try:
            db.execute("INSERT OR IGNORE INTO secrets VALUES (?, ?)", (name, secrets.token_hex(32)))
            return bytes.fromhex(db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()[0])
        finally:
            db.close()

    def list(self) -> list[TokenInfo]:
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            rows = db.execute("SELECT id, role, regions, name, created, revoked FROM tokens ORDER BY created, id")
            return [TokenInfo(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]
        finally:
            db.close()

    def revoke(self, token_id: str) -> None:
        db = self._connect()
        try:
            db.execute("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                       (datetime.now(UTC).isoformat(timespec="seconds"), token_id))
            done = db.changes()
        finally:
            db.close()
        if not done:
            raise TokenError("token.not_active", id=token_id)
