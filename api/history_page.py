"""The region page's "¿Qué cambió?" section (``visuals/templates/_changes.html``): the year slider's stops, what
changed between two years (``?from=&to=`` on the page, the latest two years by default) and the follow-up of the
oldest recommendations kept. Computed by :mod:`ecograph.history`, kept per dataset version in the service's cache."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ecograph.history.changes import changes
from ecograph.history.follow_up import follow_up
from ecograph.history.timeline import RULE, years
from ecograph.model import Invalid, partial_date
from ecograph.service import Service
from ecograph.stores import NotFound
from visuals.i18n import Texts, choose
from visuals.views import KEY_MEASURES

LARGE = 2_000
"""Actors of a region above which its page leaves history to the API and the command line: two reports of a large
region take tens of seconds, and the page itself needs no graph at all (its map is stored)."""


def chosen_years(stops: list[int], asked: str | None, fallback: int) -> int:
    """A year the page was asked for (``?from=``/``?to=``), if it is one of the slider's stops, else ``fallback``.

    >>> chosen_years([2019, 2020, 2021], "2020", 2021), chosen_years([2019, 2020], "1900", 2020)
    (2020, 2020)
    """
    try:
        day = partial_date(asked)
    except Invalid:
        return fallback
    return int(day[:4]) if day and int(day[:4]) in stops else fallback


def history_context(request: Request, service: Service, version: int, code: str) -> dict[str, Any]:
    """What ``_changes.html`` and ``static/timeline.js`` need: the years, the changes between two of them, the rule
    and the follow-up; for a region of more than :data:`LARGE` actors, only where to find them."""
    store = service.store
    texts = Texts(choose(request))
    found: dict[str, Any] = {"large": False, "years": [], "span": None, "changes": None, "follow_up": None,
                             "rule": texts(RULE)}
    if service.summaries(version).get(code, {}).get("actors", 0) > LARGE:
        return {"history": found | {"large": True}}
    stops = service.cache.get(("timeline-years", store.url, version, code), lambda: years(service.graph(version, code)))
    found |= {"years": stops, "timeline_texts": {
        "roles": texts.labels("role"), "severity": texts.labels("severity"), "measures": list(KEY_MEASURES),
        "lang": texts.lang, "no_gaps": texts("no_gaps"), "shown": texts("history.page.shown"),
        "all": texts("history.page.all")}}
    if len(stops) > 1:
        end = chosen_years(stops, request.query_params.get("to"), stops[-1])
        start = chosen_years(stops, request.query_params.get("from"), max(stops[0], end - 1))
        found["span"] = (start, end)
        found["changes"] = service.cache.get(("changes-page", store.url, version, code, str(start), str(end)),
                                             lambda: changes(store, code, str(start), str(end)))
    kept = [number for number in store.recommendations() if number < version]
    if kept:  # one replay of the history per version, for every region's page
        try:
            followed = service.cache.get(("follow-up-page", store.url, version, kept[0]),
                                         lambda: {done.region: done for done in follow_up(store, kept[0]).regions})
        except NotFound:  # kept from before the history began (a store from an ecograph without it)
            followed = {}
        found["follow_up"] = followed.get(code)
    return {"history": found}
