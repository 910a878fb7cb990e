"""The analysis results the pages show: the engine's reports turned into the small frozen records below.

The templates know only these records, so a change in the engine's shape is absorbed here. The
reports themselves come from :class:`ecograph.service.Service`, computed once per dataset version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ecograph.analysis import RegionReport
from ecograph.analysis.key_actors import roles as actor_roles
from ecograph.analysis.models import ActorMeasures, Figures, WhatIf
from ecograph.i18n import Texts
from ecograph.model import SECTORS

OPPORTUNITIES = 10
"""How many bridging opportunities a dashboard lists and draws."""
SIZE_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "core", "effective_size",
                 "constraint")
WHAT_IF_FIGURES = ("components", "fragmentation", "ei_index", "reach_share")
COMPARISON_FIGURES = ("density", "fragmentation", "sector_coverage", "cross_sector_share", "national_ties",
                      "gaps_high", "gaps_medium", "gaps_low")
SEVERITY_ORDER = ("high", "medium", "low")
ROLES = ("hub", "broker", "fragmenter", "convener", "coordinator", "itinerant", "gatekeeper", "representative",
         "liaison")
"""Every role an actor may play (:func:`ecograph.analysis.key_actors.roles`), in the glossary's order."""
CONCEPTS = ("key_actors", "gaps", "opportunities", "convening", "mixing")
GLOSSARY = (("concepts", "concept", CONCEPTS), ("roles", "role", ROLES),
            ("figures", "figure", (*WHAT_IF_FIGURES, "density", "sector_coverage", "cross_sector_share",
                                   "national_ties")),
            ("measures", "measure", SIZE_MEASURES))
"""The glossary's sections: (section, kind of term, codes)."""


@dataclass(frozen=True)
class Sentence:
    """A text in both languages, like a gap's explanation or an opportunity's reason."""

    es: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True)
class Gap:
    severity: str
    text: Sentence


@dataclass(frozen=True)
class Opportunity:
    """A tie worth creating between two actors, and why."""

    source: str
    target: str
    reason: Sentence


@dataclass(frozen=True)
class Mixing:
    """Ties between each pair of sectors (rows and columns in ``sectors`` order), and the count chance predicts."""

    sectors: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    expected: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Convening:
    actors: list[str]
    reach_share: float
    steps: int


@dataclass(frozen=True)
class RegionInsights:
    """What the engine found in a region's graph; actors are named by id."""

    measures: Mapping[str, Mapping[str, float]]  # actor → measure → value
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # actor → its roles (hub, broker ...)
    key_actors: list[str] = field(default_factory=list)
    why: Mapping[str, Sentence] = field(default_factory=dict)  # key actor → why it matters
    gaps: list[Gap] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    convening: Convening | None = None
    mixing: Mixing | None = None


@dataclass(frozen=True)
class Change:
    """One figure of the region before and after a change (``what`` is a figure label code)."""

    what: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Term:
    """A glossary entry: ``anchor`` is its fragment on the glossary page (``role-hub``)."""

    kind: str
    code: str
    term: str
    definition: str

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.code}"


def glossary(lang: str) -> list[tuple[str, list[Term]]]:
    """The glossary page: each section (its code) and its terms, named as the pages name them."""
    texts = Texts(lang)
    return [(section, [Term(kind, code, texts(code) if kind == "concept" else texts.label(kind, code),
                            texts(f"glossary.{kind}.{code}")) for code in codes]) for section, kind, codes in GLOSSARY]


def region_insights(found: RegionReport) -> RegionInsights:
    """The dashboard's findings in a region's (or the country's) report."""
    mixing = found.structure.mixing
    return RegionInsights(
        measures={row.id: _measures(row) for row in found.measures},
        roles=actor_roles(found.measures, found.convening), key_actors=[actor.id for actor in found.key_actors],
        why={actor.id: Sentence(actor.text_es, actor.text_en) for actor in found.key_actors},
        gaps=[Gap(gap.severity, Sentence(gap.text_es, gap.text_en))
              for gap in sorted(found.gaps, key=lambda gap: SEVERITY_ORDER.index(gap.severity))],
        opportunities=[Opportunity(tie.source, tie.target, Sentence(tie.text_es, tie.text_en))
                       for tie in found.opportunities[:OPPORTUNITIES]],
        convening=Convening(found.convening.actors, found.convening.reach_share, found.convening.steps),
        mixing=Mixing(SECTORS, tuple(tuple(int(mixing[s][t]["observed"]) for t in SECTORS) for s in SECTORS),
                      tuple(tuple(mixing[s][t]["expected"] for t in SECTORS) for s in SECTORS)))


def what_if(result: WhatIf) -> list[Change]:
    """The region's main figures before and after a what-if change."""
    return [Change(name, getattr(result.before, name), getattr(result.after, name)) for name in WHAT_IF_FIGURES]


def what_if_sentences(result: WhatIf, name: str, k: int) -> list[Sentence]:
    """What a what-if change does, in sentences with percentages (``name``: the actor removed; ``k``: the size
    of the convening set): whether the network splits, how many actors it leaves outside its main group, the
    share of ties between different sectors, and what a convening set chosen again would reach."""
    before, after = result.before, result.after
    key, count, values = _split(before, after)
    said = [_said(key, count, name=name, **values)]
    cross = _cross_share(before), _cross_share(after)
    if None not in cross:
        said.append(_said("what_if.cross" if cross[0] != cross[1] else "what_if.cross_same", None, before=cross[0],
                          after=cross[1]))
    said.append(_said("what_if.reach", None, name=name, k=k, before=_percent(before.reach_share),
                      after=_percent(after.reach_share)))
    return said


def _split(before: Figures, after: Figures) -> tuple[str, int | None, dict[str, int]]:
    """The message on how a change splits the network: its key, its plural count, its values."""
    shares = {"before": _percent(before.fragmentation), "after": _percent(after.fragmentation)}
    if after.components > before.components:
        return "what_if.split", after.components, {"groups": before.components, **shares}
    if shares["after"] != shares["before"]:
        return "what_if.outside", None, shares
    if after.components > 1:
        return "what_if.same", after.components, {}
    return "what_if.connected", None, {}


def _said(key: str, count: int | None, **values: object) -> Sentence:
    def text(lang: str) -> str:
        texts = Texts(lang)
        return texts(key, **values) if count is None else texts.plural(key, count, **values)

    return Sentence(text("es"), text("en"))


def _cross_share(figures: Figures) -> int | None:
    """The share of ties between different sectors, in percent: (E-I index + 1) / 2."""
    return None if figures.ei_index is None else _percent((figures.ei_index + 1) / 2)


def _percent(share: float) -> int:
    return round(share * 100)


PRINT_WIDTH, PRINT_HEIGHT, PRINT_MARGIN = 1000, 620, 30
"""The printed map's drawing box (an A4 column 190 mm wide is 1,000 units, so 1 unit is 0.19 mm)."""
PRINT_FONT = 17
"""Its labels' size in those units: 17 × 0.19 mm ≈ 3.2 mm, 9 pt."""
PRINT_LIMIT = 400
"""Above this many nodes, the brief prints the screen's map as an image instead."""


@dataclass(frozen=True)
class PrintNode:
    x: float
    y: float
    r: float
    fill: str
    border: str
    shape: str
    outside: bool
    label: str | None
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True)
class PrintMap:
    """A map drawn for paper: the page's positions scaled to the printed box, only the top actors labelled."""

    width: int
    height: int
    nodes: list[PrintNode]
    edges: list[tuple[float, float, float, float, float, bool]]  # x1, y1, x2, y2, width, dashed


def print_map(graph: Mapping[str, object], labelled: list[str]) -> PrintMap | None:
    """The map of a region page as the printed brief draws it: every node at its position on the page (scaled
    into :data:`PRINT_WIDTH` × :data:`PRINT_HEIGHT`), sized by the page's measure, only the ``labelled`` actors
    (the key actors) named, at :data:`PRINT_FONT`, each label put next to its node where it overlaps no label
    placed before it (:func:`_label_spot`). None when the page's map has no positions or more than
    :data:`PRINT_LIMIT` nodes.

    >>> graph = {"nodes": [{"id": "a", "x": 0, "y": 0, "value": 1, "short": "UNC", "shape": "triangle",
    ...                     "color": {"background": "#0072B2", "border": "#003a5c"}},
    ...                    {"id": "b", "x": 100, "y": 50, "value": 2, "short": "GORE", "shape": "square",
    ...                     "color": {"background": "#D55E00", "border": "#753400"}}],
    ...          "edges": [{"from": "a", "to": "b", "width": 2}]}
    >>> drawn = print_map(graph, ["b"])
    >>> [(n.label, round(n.x), round(n.y)) for n in drawn.nodes], len(drawn.edges)
    ([(None, 30, 58), ('GORE', 970, 528)], 1)

    Cost: O(n + m) to scale, O(k²) to place k labels.
    """
    nodes = graph.get("nodes")
    edges = graph.get("edges")
    assert isinstance(nodes, list) and isinstance(edges, list)
    if not nodes or len(nodes) > PRINT_LIMIT or any("x" not in node for node in nodes):
        return None
    xs, ys = [float(node["x"]) for node in nodes], [float(node["y"]) for node in nodes]
    room = PRINT_FONT * 2
    span = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    scale = min((PRINT_WIDTH - 2 * PRINT_MARGIN) / span[0], (PRINT_HEIGHT - 2 * PRINT_MARGIN - room) / span[1])
    left = (PRINT_WIDTH - scale * span[0]) / 2
    top = PRINT_MARGIN + (PRINT_HEIGHT - 2 * PRINT_MARGIN - room - scale * span[1]) / 2

    def at(node: Mapping[str, object]) -> tuple[float, float]:
        return left + (float(node["x"]) - min(xs)) * scale, top + (float(node["y"]) - min(ys)) * scale  # type: ignore[arg-type]

    largest = max(float(node.get("value") or 0) for node in nodes) or 1.0
    named = set(labelled)
    placed: list[tuple[float, float, float, float]] = []
    drawn = []
    for node in sorted(nodes, key=lambda node: node["id"] not in named):  # the labelled first, the rest below them
        x, y = at(node)
        r = 7 + 15 * (float(node.get("value") or 0) / largest) ** 0.5
        colour = node.get("color") or "#999"  # vis-network's colour: one for all, or background and border
        colour = colour if isinstance(colour, dict) else {"background": colour, "border": "#333"}
        label = str(node.get("short") or node.get("label") or "") if node["id"] in named else None
        spot = _label_spot(x, y, r, label, placed) if label else (0.0, 0.0)
        drawn.append(PrintNode(x, y, r, str(colour.get("background", "#999")), str(colour.get("border", "#555")),
                               str(node.get("shape", "dot")), bool(node.get("outside")), label, *spot))
    where = {node["id"]: at(node) for node in nodes}
    lines = [(*where[edge["from"]], *where[edge["to"]], 0.6 + float(edge.get("width") or 1) * 0.6,
              bool(edge.get("recommended"))) for edge in edges if edge["from"] in where and edge["to"] in where]
    return PrintMap(PRINT_WIDTH, PRINT_HEIGHT, drawn[::-1], lines)


def _label_spot(x: float, y: float, r: float, label: str,
                placed: list[tuple[float, float, float, float]]) -> tuple[float, float]:
    """Where a label goes (its middle, on its baseline): the first of below, above, right and left of its node,
    then further below or above, that overlaps no placed label and stays in the box, else below; the box it
    takes is added to ``placed``."""
    width, height = 0.56 * PRINT_FONT * len(label), PRINT_FONT
    choices = [(x, y + r + height), (x, y - r - 4), (x + r + 4 + width / 2, y + height / 3),
               (x - r - 4 - width / 2, y + height / 3),
               *((x, y + r + height * (1 + row)) for row in range(1, 4)), *((x, y - r - 4 - height * row)
                                                                             for row in range(1, 4))]

    def box(spot: tuple[float, float]) -> tuple[float, float, float, float]:
        return spot[0] - width / 2, spot[1] - height, spot[0] + width / 2, spot[1] + 3

    def free(spot: tuple[float, float]) -> bool:
        a = box(spot)
        return (a[0] >= 0 and a[2] <= PRINT_WIDTH and a[1] >= 0 and a[3] <= PRINT_HEIGHT
                and not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for b in placed))

    spot = next((choice for choice in choices if free(choice)), choices[0])
    placed.append(box(spot))
    return spot


def suggestions(found: RegionReport, actor: str) -> list[Opportunity]:
    """The ties a report recommends for an actor."""
    return [Opportunity(tie.source, tie.target, Sentence(tie.text_es, tie.text_en))
            for tie in found.opportunities if actor in (tie.source, tie.target)]


def _measures(row: ActorMeasures) -> dict[str, float]:
    values = {name: getattr(row, name) for name in SIZE_MEASURES}
    return {name: float(value) for name, value in values.items() if value is not None}

