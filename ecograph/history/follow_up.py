"""Recommendation follow-up: which partnerships a version's analysis recommended were taken up later, and the hit rate.

Each version's analysis (:meth:`ecograph.service.Service.refresh`) keeps its recommended partnerships for good
(:meth:`ecograph.stores.base.Store.save_recommendations`, :func:`published`): later versions drop the stored analysis,
not these. A recommended pair is **taken up** at a later version when a tie joining the two actors (in either
direction, of any type) exists then with status ``active`` or ``ended`` (a ``planned`` one is not yet a partnership);
how long it took is the time from the recommending version to the first version that recorded such a tie.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from ecograph.analysis import RegionReport
from ecograph.i18n import LANGUAGES, Texts
from ecograph.model import TABLES
from ecograph.stores.base import NotFound, Store
from ecograph.stores.history import Entry

DAY = 86_400.0


def published(reports: Mapping[str | None, RegionReport]) -> bytes:
    """What a version keeps of its recommendations: each region's recommended pairs ``[source, target, score]``, best
    first (the country's report, None, is left out). Cost: O(recommendations)."""
    document = {code: [[tie.source, tie.target, tie.score] for tie in report.opportunities]
                for code, report in sorted(reports.items(), key=lambda item: item[0] or "") if code is not None}
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 6)


class Recommended(BaseModel):
    """A recommended partnership and what became of it."""

    source: str
    target: str
    score: float = Field(description="the opportunity's score when it was recommended")
    taken_up: bool = Field(description="a tie joining them exists at the later version (active or ended)")
    tie: str | None = Field(default=None, description="that tie's id")
    start: str | None = Field(default=None, description="that tie's start date")
    found_version: int | None = Field(default=None, description="the first version that recorded such a tie")
    days: float | None = Field(default=None, description="days from the recommendation to that version")
    text_es: str
    text_en: str


class RegionFollowUp(BaseModel):
    region: str
    recommended: int
    taken_up: int
    hit_rate: float | None = Field(description="taken up / recommended; None when nothing was recommended")
    text_es: str
    text_en: str
    items: list[Recommended]


class FollowUp(BaseModel):
    """The follow-up of version ``since``'s recommendations at version ``at``."""

    since: int = Field(description="the version whose recommendations are followed")
    since_time: str = Field(description="when it was made (ISO 8601, UTC)")
    at: int = Field(description="the later version they are checked against")
    at_time: str
    regions: list[RegionFollowUp]


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def follow_up(store: Store, since: int | None = None, at: int | None = None, region: str | None = None) -> FollowUp:
    """Which of version ``since``'s recommended partnerships exist at version ``at``, and after how long.

    Parameters
    ----------
    store : Store
    since : int, optional
        The recommending version (default: the oldest whose recommendations are kept). NotFound when none are kept
        for it.
    at : int, optional
        The later version (default: the current one); NotFound when the history does not hold it or it is older
        than ``since``.
    region : str, optional
        Only this region; every region that had recommendations otherwise.

    Returns
    -------
    FollowUp
        Per region: every recommended pair (taken up or not, with the tie, its start, the version that recorded it
        and the days it took), the counts and the hit rate, with sentences in both languages.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ecograph.model import Actor, Collaboration, Dataset, Region
    >>> from ecograph.stores import SQLiteStore
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "f.db")
    >>> people = [Actor(id=i, name=i.upper(), sector="academia", type="university", scope="regional", region="06")
    ...           for i in ("a", "b", "c")]
    >>> store.clock = lambda: 0.0
    >>> _ = store.load(Dataset(regions=[Region(code="06", name="Cajamarca")], actors=people))
    >>> _ = store.save_recommendations(1, zlib.compress(b'{"06": [["a", "b", 0.9], ["a", "c", 0.5]]}'))
    >>> store.clock = lambda: 30 * DAY
    >>> _ = store.upsert_collaboration(Collaboration(source="b", target="a", type="agreement"))
    >>> done = follow_up(store).regions[0]
    >>> done.taken_up, done.recommended, done.items[0].days, done.text_en
    (1, 2, 30.0, '1 of 2 recommended partnerships were taken up (50%).')

    Notes
    -----
    Cost: one replay of the history up to ``at``, O(total size of the changes). Deterministic.
    """
    kept = store.recommendations()
    since = min(kept, default=0) if since is None else since
    if since not in kept:
        raise NotFound("history.no_recommendations", version=since)
    entries = store.history(at)
    at = store.version() if at is None else at
    made = {entry.version: entry.time for entry in entries}
    if at not in made or at < since:
        raise NotFound("history.no_version", version=at)
    if since not in made:
        raise NotFound("history.no_version", version=since)
    chosen = {code: pairs for code, pairs in json.loads(zlib.decompress(kept[since])).items()
              if region is None or code == region}
    wanted = {frozenset(pair[:2]) for pairs in chosen.values() for pair in pairs}
    ties, names, first = _replay(entries, since, wanted)
    regions = []
    for code, pairs in sorted(chosen.items()):
        items = [_item(pair, ties, names, first, since, made) for pair in pairs]
        taken = sum(item.taken_up for item in items)
        rate = taken / len(items) if items else None
        texts = [Texts(lang).plural("history.follow.rate", len(items), taken=taken, rate=round(100 * rate))
                 if rate is not None else Texts(lang)("history.follow.none") for lang in LANGUAGES]
        regions.append(RegionFollowUp(region=code, recommended=len(items), taken_up=taken, hit_rate=rate,
                                      text_es=texts[0], text_en=texts[1], items=items))
    return FollowUp(since=since, since_time=_iso(made[since]), at=at, at_time=_iso(made[at]), regions=regions)


def _replay(entries: list[Entry], since: int, wanted: set[frozenset[str]]) -> tuple[
        dict[str, dict[str, object]], dict[str, str], dict[frozenset[str], int]]:
    """The ties and actor names at the last entry, and for each wanted pair the first version after ``since`` that
    recorded a tie (active or ended) joining it."""
    state: dict[str, dict[str, dict[str, object]]] = {table: {} for table in TABLES}
    first: dict[frozenset[str], int] = {}
    for entry in entries:
        upserts, deletes = entry.changes()
        if entry.source == "baseline":
            state = {table: {} for table in TABLES}
        for table in ("actors", "collaborations"):
            for key in deletes[table]:
                state[table].pop(key, None)
            for data in upserts[table]:
                state[table][str(data["id"])] = data
        if entry.version > since:
            for data in upserts["collaborations"]:
                pair = frozenset((str(data["source"]), str(data["target"])))
                if pair in wanted and pair not in first and data["status"] != "planned":
                    first[pair] = entry.version
    names = {key: str(data["name"]) for key, data in state["actors"].items()}
    return state["collaborations"], names, first


def _item(pair: list[object], ties: dict[str, dict[str, object]], names: dict[str, str],
          first: dict[frozenset[str], int], since: int, made: dict[int, float]) -> Recommended:
    source, target, score = str(pair[0]), str(pair[1]), float(pair[2])  # type: ignore[arg-type]
    joined = sorted(key for key, data in ties.items() if data["status"] != "planned"
                    and {data["source"], data["target"]} == {source, target})
    found = first.get(frozenset((source, target))) if joined else None
    tie = ties[joined[0]] if found is not None else {}
    days = round((made[found] - made[since]) / DAY, 1) if found is not None else None
    values = {"first": names.get(source, source), "second": names.get(target, target), "version": since,
              "date": _iso(made[since])[:10], "found": found, "days": Texts.number(days) if days is not None else None}
    key = "history.follow.open" if found is None else "history.follow.taken"
    texts = [Texts(lang)(key, **values) for lang in LANGUAGES]
    return Recommended(source=source, target=target, score=score, taken_up=found is not None,
                       tie=joined[0] if found is not None else None, start=tie.get("start"),  # type: ignore[arg-type]
                       found_version=found, days=days, text_es=texts[0], text_en=texts[1])
