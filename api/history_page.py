"""The region page's "¿Qué cambió?" section (``visuals/templates/_changes.html``): the year slider's stops, what
changed between two years (``?from=&to=`` on the page, the latest two years by default) and the follow-up of the
oldest recommendations kept. Computed by :mod:`ecograph.history`: the years and the default two years' changes with
the analysis, stored with it (:func:`ecograph.history.changes.recent`), so that no visit waits for them; other years
on demand, kept per dataset version in the service's cache."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ecograph.history.changes import LARGE, RegionChanges, changes, default_span
from ecograph.history.follow_up import follow_up
from ecograph.history.timeline import RULE
from ecograph.model import Invalid, partial_date
from ecograph.service import AnalysisPending, Service
from ecograph.stores import NotFound
from visuals.i18n import Texts, choose
from visuals.views import KEY_MEASURES


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
    try:
        recent = service.part(version, code, "changes")  # stored with the analysis: the years, the default changes
    except AnalysisPending:  # stored right after the map this page already has: only for a moment
        recent = {"years": [], "changes": None}
    if recent is None:  # more than LARGE actors when it was analysed
        return {"history": found | {"large": True}}
    stops = recent["years"]
    found |= {"years": stops, "timeline_texts": {
        "roles": texts.labels("role"), "severity": texts.labels("severity"), "measures": list(KEY_MEASURES),
        "lang": texts.lang, "no_gaps": texts("no_gaps"), "shown": texts("history.page.shown"),
        "all": texts("history.page.all")}}
    usual = default_span(stops)
    if usual is not None:
        end = chosen_years(stops, request.query_params.get("to"), usual[1])
        start = chosen_years(stops, request.query_params.get("from"), max(stops[0], end - 1))
        found["span"] = (start, end)
        found["changes"] = RegionChanges.model_validate(recent["changes"]) if (start, end) == usual else \
            service.cache.get(("changes-page", store.url, version, code, str(start), str(end)),
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
