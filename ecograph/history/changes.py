"""What changed in a region between two dates or two dataset versions, each change as a sentence in Spanish and English.

A side of the comparison is a dataset version and a date: a date ``D`` (``2023``, ``2023-05``) is the current data as
of D; a version ``vN`` is that version's data as of the day it was made. Both are the region's graph as
:func:`ecograph.history.timeline.as_of` keeps it (its rule for undated ties is stated in the result), analysed with the
default options (:func:`ecograph.analysis.region_report`, without survey answers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import networkx as nx
from pydantic import BaseModel, Field

from ecograph.analysis import Options, RegionReport, region_report
from ecograph.analysis.report import report_score
from ecograph.history.timeline import RULE, as_of, years
from ecograph.history.versions import dataset_at, region_graph
from ecograph.i18n import LANGUAGES, Texts
from ecograph.model import PARTIAL_DATE, Invalid
from ecograph.stores.base import NotFound, Store

MOVERS = 3
"""How many actors whose centrality or partners rose or fell most are named, each way."""
VERSION = re.compile(r"^v(\d{1,9})$")


class Side(BaseModel):
    """One end of a comparison: a dataset version seen as of a date."""

    version: int = Field(description="the dataset version whose data is used")
    date: str = Field(description="the date the data is seen as of (YYYY, YYYY-MM or YYYY-MM-DD)")
    asked: str = Field(description="as given: vN for a version, else a date", examples=["2022", "v3"])


class Change(BaseModel):
    """One change: its kind, what it concerns (actor or tie ids, a gap's kind and subject) and a sentence."""

    kind: str = Field(description="tie_new, tie_ended, actor_joined, actor_left, central_rose, central_fell, "
                      "partners_gained, partners_lost, gap_opened, gap_closed, score")
    subject: list[str]
    before: float | None = None
    after: float | None = None
    text_es: str
    text_en: str


class RegionChanges(BaseModel):
    """Everything that changed in a region from ``start`` to ``end``."""

    region: str
    start: Side
    end: Side
    score_before: float
    score_after: float
    rule_es: str = Field(description="the as-of rule (undated ties), in Spanish")
    rule_en: str
    changes: list[Change]


def side(store: Store, asked: str, current: int) -> Side:
    """The side a ``--from``/``--to`` value names: ``vN`` (a version, as of the day it was made) or a date (the
    current version ``current``, as of that date). Invalid when it is neither; NotFound for an unknown version."""
    match = VERSION.match(asked.strip())
    if match is None:
        # compared as text at its own precision, like the analysis' since/until: a pattern check is enough
        day = asked.strip()
        if not re.match(PARTIAL_DATE, day):
            raise Invalid("problem.bad_date", value=asked)
        return Side(version=current, date=day, asked=day)
    version = int(match.group(1))
    made = next((entry for entry in store.history(version) if entry.version == version), None)
    if made is None:
        raise NotFound("history.no_version", version=version)
    return Side(version=version, date=datetime.fromtimestamp(made.time, UTC).date().isoformat(), asked=f"v{version}")


def side_graph(store: Store, region: str, chosen: Side, current: int) -> nx.MultiDiGraph:
    """The region's graph at one side: the version's data (the store's own for the current version) as of its date."""
    graph = store.graph(region) if chosen.version == current else region_graph(
        dataset_at(store, chosen.version), region, chosen.version)
    return as_of(graph, chosen.date)


def changes(store: Store, region: str, start: str, end: str) -> RegionChanges:
    """What changed in ``region`` from ``start`` to ``end`` (each ``vN`` or a date, see :func:`side`).

    Parameters
    ----------
    store : Store
    region : str
        A region code (NotFound if the store has no such region).
    start, end : str
        ``vN`` for dataset version N as of the day it was made; ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` for the
        current data as of that date.

    Returns
    -------
    RegionChanges
        The new and ended ties, the actors that joined or left, the actors whose betweenness rose or fell most and
        who gained or lost partners (:data:`MOVERS` each way), the gaps opened and closed and the ecosystem score's
        change, each with a sentence in both languages; in that order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ecograph.model import Actor, Collaboration, Dataset, Region
    >>> from ecograph.stores import SQLiteStore
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "h.db")
    >>> people = [Actor(id=i, name=i.upper(), sector=s, type=t, scope="regional", region="06")
    ...           for i, s, t in [("unc", "academia", "university"), ("gore", "public", "regional_government")]]
    >>> _ = store.load(Dataset(regions=[Region(code="06", name="Cajamarca")], actors=people,
    ...                collaborations=[Collaboration(source="unc", target="gore", type="agreement", start="2022")]))
    >>> [change.text_en for change in changes(store, "06", "2021", "2023").changes if change.kind == "tie_new"]
    ['New tie: UNC — GORE (Agreement, from 2022).']

    Notes
    -----
    Cost: two region reports (dominated by betweenness, O(n·m)) and, for a past version, a replay of the history up
    to it. Deterministic: changes are sorted within each kind.
    """
    current = store.version()
    if not any(found.code == region for found in store.regions()):
        raise NotFound("store.no_region", code=region)
    first, second = side(store, start, current), side(store, end, current)
    return between(region, side_graph(store, region, first, current), side_graph(store, region, second, current),
                   first, second)


def between(region: str, before: nx.MultiDiGraph, after: nx.MultiDiGraph, first: Side, second: Side) -> RegionChanges:
    """What changed in ``region`` from graph ``before`` (side ``first``) to graph ``after`` (side ``second``): the
    comparison :func:`changes` makes once it has the two sides' graphs. Cost: two region reports."""
    old, new = region_report(before, Options()), region_report(after, Options())
    found = [*_ties(before, after), *_actors(before, after, region), *_movers(old, new), *_gaps(old, new)]
    score_before, score_after = report_score(old), report_score(new)
    found.append(_said("score", [], score_before, score_after,
                       lambda t: {"before": t.number(score_before), "after": t.number(score_after),
                                  "delta": f"{score_after - score_before:+.1f}"}))
    rule = Texts("es")(RULE), Texts("en")(RULE)
    return RegionChanges(region=region, start=first, end=second, score_before=score_before, score_after=score_after,
                         rule_es=rule[0], rule_en=rule[1], changes=found)


LARGE = 2_000
"""Own actors of a region above which :func:`recent` leaves what changed to the API and the command line: its two
reports take tens of seconds."""


def default_span(stops: list[int]) -> tuple[int, int] | None:
    """The two years a region page compares unless asked otherwise: the last year its ties name and the one before.

    >>> default_span([2019, 2020, 2021]), default_span([2021])
    ((2020, 2021), None)
    """
    return (max(stops[0], stops[-1] - 1), stops[-1]) if len(stops) > 1 else None


def recent(graph: nx.MultiDiGraph, analysed: object) -> dict[str, object] | None:
    """What a region page's "¿Qué cambió?" section shows first, computed with the analysis and stored with it (a
    deriver of :data:`ecograph.service.DERIVERS`), so that no visit waits for it: the years the region's ties name
    (:func:`ecograph.history.timeline.years`) and what changed between the default two (:func:`default_span`), as
    of those years on the current data. None for a region of more than :data:`LARGE` own actors.

    Cost: two region reports of the region as of two years, on top of its analysis (``analysed`` is not read).
    """
    region = graph.graph["region"]
    if sum(1 for _, home in graph.nodes(data="region") if home == region) > LARGE:
        return None
    stops = years(graph)
    span = default_span(stops)
    if span is None:
        return {"years": stops, "changes": None}
    version = graph.graph.get("version") or 0
    first, second = (Side(version=version, date=str(year), asked=str(year)) for year in span)
    found = between(region, as_of(graph, first.date), as_of(graph, second.date), first, second)
    return {"years": stops, "changes": found.model_dump(mode="json")}


def _said(kind: str, subject: list[str], before: float | None, after: float | None,
          values: Callable[[Texts], dict[str, object]], key: str | None = None) -> Change:
    """A change of ``kind`` said by the message ``history.change.<key or kind>``."""
    texts = {lang: Texts(lang)(f"history.change.{key or kind}", **values(Texts(lang))) for lang in LANGUAGES}
    return Change(kind=kind, subject=subject, before=before, after=after, text_es=texts["es"], text_en=texts["en"])


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("name") or node)


def _ties(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> list[Change]:
    old = {key: (u, v, data) for u, v, key, data in before.edges(keys=True, data=True)}
    new = {key: (u, v, data) for u, v, key, data in after.edges(keys=True, data=True)}
    found = []
    for kind, keys, graph, ties in (("tie_new", sorted(set(new) - set(old)), after, new),
                                    ("tie_ended", sorted(set(old) - set(new)), before, old)):
        for key in keys:
            u, v, data = ties[key]
            said = "tie_gone" if kind == "tie_ended" and not data.get("end") else None  # no end date: it is gone
            found.append(_said(kind, [key, u, v], None, None, lambda t, u=u, v=v, data=data, graph=graph: {
                "first": _name(graph, u), "second": _name(graph, v), "type": t.label("tie_type", data["type"]),
                "start": data.get("start") or t("history.undated"), "end": data.get("end")}, said))
    return found


def _actors(before: nx.MultiDiGraph, after: nx.MultiDiGraph, region: str) -> list[Change]:
    def local(graph: nx.MultiDiGraph) -> set[str]:
        return {node for node, home in graph.nodes(data="region") if home == region}

    joined, left = sorted(local(after) - local(before)), sorted(local(before) - local(after))
    return ([_said("actor_joined", [node], None, None, lambda t, node=node: {"name": _name(after, node)})
             for node in joined]
            + [_said("actor_left", [node], None, None, lambda t, node=node: {"name": _name(before, node)})
               for node in left])


def _movers(old: RegionReport, new: RegionReport) -> list[Change]:
    was = {row.id: row for row in old.measures if row.local}
    now = {row.id: row for row in new.measures if row.local}
    names = {row.id: row.name for row in [*old.measures, *new.measures]}
    found = []
    for measure, up, down in (("betweenness", "central_rose", "central_fell"),
                              ("degree", "partners_gained", "partners_lost")):
        delta = {node: (getattr(was[node], measure) if node in was else 0.0,
                        getattr(now[node], measure) if node in now else 0.0) for node in sorted({*was, *now})}
        moved = [(after - before, node) for node, (before, after) in delta.items() if after != before]
        for kind, chosen in ((up, sorted((item for item in moved if item[0] > 0), key=lambda i: (-i[0], i[1]))),
                             (down, sorted((item for item in moved if item[0] < 0), key=lambda i: (i[0], i[1])))):
            for _, node in chosen[:MOVERS]:
                before, after = delta[node]
                found.append(_said(kind, [node], before, after, lambda t, node=node, before=before, after=after: {
                    "name": names[node], "before": t.number(before), "after": t.number(after)}))
    return found


def _gaps(old: RegionReport, new: RegionReport) -> list[Change]:
    def named(report: RegionReport) -> dict[tuple[str, str], tuple[str, str]]:
        return {(gap.kind, gap.subject or ""): (gap.text_es, gap.text_en) for gap in report.gaps}

    was, now = named(old), named(new)
    found = []
    for kind, keys, texts in (("gap_opened", sorted(set(now) - set(was)), now),
                              ("gap_closed", sorted(set(was) - set(now)), was)):
        for key in keys:
            found.append(_said(kind, [key[0], *([key[1]] if key[1] else [])], None, None,
                               lambda t, key=key, texts=texts: {"gap": texts[key][LANGUAGES.index(t.lang)]}))
    return found
