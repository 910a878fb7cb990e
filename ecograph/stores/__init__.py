"""Stores: where a dataset lives. :func:`open_store` picks one from a path or URI."""

from __future__ import annotations

from ecograph.settings import Settings
from ecograph.stores.base import (
    Conflict,
    LoadSummary,
    Message,
    NotFound,
    OutOfScope,
    Store,
    StoreError,
    StoreUnavailable,
    quoted,
)
from ecograph.stores.sqlite import SQLiteStore

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")

__all__ = ["Conflict", "LoadSummary", "Message", "NotFound", "OutOfScope", "SQLiteStore", "Store", "StoreError",
           "StoreUnavailable", "open_store"]


def open_store(location: str | None = None, settings: Settings | None = None) -> Store:
    """The store at ``location`` (default: the ``ECOGRAPH_STORE`` setting, else ``./ecograph.db``)."""
    settings = settings or Settings()
    location = location or settings.store
    if location.startswith(NEO4J_SCHEMES):
        from ecograph.stores.neo4j import Neo4jStore  # the driver is only needed for this store

        return Neo4jStore(location, settings.neo4j_user, settings.neo4j_password.get_secret_value(),
                          settings.neo4j_database)
    if "://" in location:
        raise StoreError("store.unknown_kind", location=quoted(location))
    return SQLiteStore(location)
