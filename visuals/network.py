"""Interactive network maps: a pyvis network built from an ecosystem graph, as data for our own template.

pyvis builds the nodes, edges and vis-network options; its HTML template is not used (it loads
Bootstrap and vis-network from CDNs and writes tooltips with ``innerHTML``). Instead,
:func:`graph_data` returns plain JSON that ``templates/_graph.html`` embeds in a
``<script type="application/json">`` block and ``static/graph.js`` draws, building every tooltip
from DOM text nodes.

Colour is the actor's sector (Okabe-Ito, safe for colour-blind readers), shape its type family,
size a chosen measure, edge width the tie's strength; recommended ties are dashed; a partner from
outside the region keeps its sector's colour inside a dashed border of a darker shade of it. Every
map is drawn at seeded positions computed on the server (:func:`ecograph.layout.layout`, the API's
layout) with vis-network's physics off, so a map opens at once and the page, its embed and the API
always show the same picture. Above :data:`COMMUNITY_MAP_LIMIT` actors a region's map shows its
communities instead (:func:`community_network`), and each community gets a map of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from pyvis.network import Network
from scipy.spatial import cKDTree

from ecograph.analysis.communities import community_ties
from ecograph.analysis.models import Community
from ecograph.layout import LAYOUT_SEED
from ecograph.layout import layout as seeded_layout
from ecograph.model import ACTOR_TYPES, SECTORS

# Okabe & Ito (2008) colours; each sector keeps its colour on every page, chart and legend.
SECTOR_COLOURS = {
    "academia": "#0072B2",       # blue
    "public": "#D55E00",         # vermillion
    "private": "#009E73",        # bluish green
    "civil_society": "#CC79A7",  # reddish purple
    "international": "#E69F00",  # orange
}
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "education": ("triangle", ("university", "institute", "research_center", "school")),
    "government": ("square", ("ministry", "agency", "regional_government", "municipality", "program")),
    "innovation": ("triangleDown", ("innovation_lab", "innovation_center", "incubator")),
    "business": ("dot", ("company", "startup", "telecom", "financial", "media")),
    "association": ("hexagon", ("chamber", "business_association", "network", "community_org")),
    "nonprofit": ("diamond", ("ngo", "foundation")),
    "cooperation": ("star", ("un_agency", "donor", "development_bank", "embassy")),
}
FAMILY_OF = {actor_type: family for family, (_, types) in FAMILIES.items() for actor_type in types}
assert set(FAMILY_OF) == set(ACTOR_TYPES), "every actor type needs a shape"
assert set(SECTOR_COLOURS) == set(SECTORS), "every sector needs a colour"

EDGE_COLOUR = "#8C8C8C"
RECOMMENDED_COLOUR = "#222222"
OUTSIDE_SHADE = 0.55
"""An outside partner's border: its sector colour with each channel times this (darker, same hue)."""
LAYOUT_ON_REQUEST_LIMIT = 300
"""Up to this many actors a map may be laid out when a page asks for it (springs, a fraction of a second);
larger ones wait for the layout the service stores."""
COMMUNITY_MAP_LIMIT = 400
"""Above this many actors (partners from elsewhere included) a region's map opens on its communities: at
700 actors the map of actors is already a hairball that takes seconds to draw (issue 12 measured 14 s for
4,055), while a map of a few dozen communities stays legible and light."""
DENSE_MAP = 300
"""Above this many actors, edges are drawn fainter so the nodes stay readable."""
LABEL_LENGTH = 24
ACTOR_SPACING = 40
"""How far apart actors are drawn (pixels, times the square root of their count), before :func:`apart`."""
NODE_SIZE = (10, 42)
"""The smallest and the largest node, in pixels (vis-network's ``scaling``)."""
NODE_GAP = 34
"""The least room, in pixels, between two nodes of a map (:func:`apart`): a line of the largest label, so that
the largest actors can be named above or below."""
SHAPE_REACH = 2 ** 0.5
"""How far a node's shape reaches from its centre, in sizes (a square's corner)."""
SPREAD_QUANTILE = 0.9
MAX_SPREAD = 3.0
"""How far :func:`apart` first spreads a whole drawing out: until this share of its close pairs are clear, at most
this many times its size."""
APART_LIMIT = 2_000
"""Maps of at most this many actors have their nodes moved apart (:func:`apart`); a region's map above 400 opens on
its communities anyway, and one community's own map of more actors is too dense to read actor by actor."""
MAP_MEASURE = "degree"
"""The measure that sizes a map as it opens (the number of partners), and so the room each node is given."""


@dataclass(frozen=True)
class Recommendation:
    """A tie worth creating, to be drawn dashed: its two actors and why, in both languages."""

    source: str
    target: str
    reason_es: str
    reason_en: str


def build_network(graph: nx.MultiDiGraph, measures: Mapping[str, Mapping[str, float | None]], size_by: str,
                  recommended: Iterable[Recommendation] = (), region: str | None = None,
                  layout: Mapping[str, tuple[float, float]] | None = None) -> Network:
    """The pyvis network of ``graph``: one node per actor and one edge per pair of actors that have ties.

    ``measures`` maps actor id to its measures (any may be missing); ``size_by`` names the one
    that sizes the nodes. Several ties between the same two actors become one edge, as wide as the
    strongest, that lists them all in its tooltip. ``recommended`` ties are added dashed; actors
    whose home is not ``region`` get a dashed border in a darker shade of their sector's colour.
    ``layout`` (seeded positions in [-1, 1], like the API's) fixes where every node goes; without it,
    the graph is laid out here (:func:`ecograph.layout.layout`). Every node carries its ``short``
    label (:func:`short_labels`); the page decides which ones to draw.
    """
    # directed=True only switches off pyvis's quadratic duplicate-edge check; arrows are set on every edge (pyvis
    # would give an edge without them an arrow "to"), "" where no tie has a direction.
    net = Network(directed=True)
    net.node_ids = NodeIds()
    # the nodes are moved apart as sized by the map's first measure, so they stay in place when another sizes them
    positions = pixels(layout if layout is not None else seeded_layout(graph)[0], graph.number_of_nodes(),
                       {node: measures.get(node, {}).get(MAP_MEASURE) or 0.0 for node in graph})
    programs = _programs(graph)
    labels = short_labels({node: data for node, data in graph.nodes(data=True)})
    for actor_id, data in graph.nodes(data=True):
        own = measures.get(actor_id, {})
        sector_colour = SECTOR_COLOURS[data["sector"]]
        colour: str | dict[str, Any] = sector_colour
        extra = _compact(acronym=data.get("acronym"), region=data.get("region"), programs=programs.get(actor_id),
                         illustrative=data.get("illustrative"), capabilities=data.get("capabilities"))
        if region is not None and data.get("region") != region:  # a partner from elsewhere
            colour = outside_colour(sector_colour)
            extra |= {"outside": True, "borderWidth": 3, "shapeProperties": {"borderDashes": [5, 3]}}
        if actor_id in positions:
            extra |= {"x": positions[actor_id][0], "y": positions[actor_id][1]}
        net.add_node(actor_id, label=labels[actor_id], short=labels[actor_id],
                     shape=FAMILIES[FAMILY_OF[data["type"]]][0], color=colour,
                     value=_round(own.get(size_by) or 0), name=data["name"], sector=data["sector"], type=data["type"],
                     measures={name: _round(value) for name, value in own.items() if isinstance(value, int | float)},
                     **extra)
    for number, ((first, second), ties) in enumerate(_pairs(graph).items()):
        net.add_edge(first, second, id=f"e{number}", width=edge_width(max(tie["weight"] for tie in ties)),
                     ties=[_tie(tie, first) for tie in ties], arrows=_arrows(first, ties))
    for number, tie in enumerate(recommended):
        if graph.has_node(tie.source) and graph.has_node(tie.target):
            net.add_edge(tie.source, tie.target, id=f"r{number}", recommended=True, dashes=[8, 6], width=2, arrows="",
                         color={"color": RECOMMENDED_COLOUR, "opacity": 1}, physics=False,
                         reason={"es": tie.reason_es, "en": tie.reason_en})
    _set_options(net, dense=graph.number_of_nodes() > DENSE_MAP)
    return net


def community_network(graph: nx.MultiDiGraph, communities: Sequence[Community],
                      membership: Mapping[str, int]) -> Network:
    """The map of a region's communities: one node per community, one edge per pair of communities with ties.

    A node is as large as its community (``value`` = actors), coloured by its dominant sector and
    labelled with its name in both languages (``text``: "Comunidad de UNC · 412 actores · 60 %
    privado"); an edge is as wide and as dark as the number of ties between the two communities
    (:func:`ecograph.analysis.communities.community_ties`; width growing with its logarithm, opacity with
    the count, so the strongest links stand out of the many weak ones). The positions are a seeded
    spring layout of that weighted graph of communities, moved apart so that no two communities cover each
    other (:func:`pixels`).
    """
    net = Network(directed=True)
    net.node_ids = NodeIds()
    between = community_ties(graph, membership)
    weighted = nx.Graph()
    weighted.add_nodes_from(community.number for community in communities)
    weighted.add_weighted_edges_from((first, second, count) for (first, second), count in between.items())
    positions = pixels(_spring(weighted), len(communities), {c.number: c.actors for c in communities},
                       COMMUNITY_SPACING, reach=1.0, gap=COMMUNITY_GAP)
    for community in communities:
        x, y = positions[community.number]
        net.add_node(f"c{community.number}", label=community.text_es, shape="dot",
                     color=SECTOR_COLOURS[community.sector], value=community.actors, community=community.number,
                     actors=community.actors, local=community.local, sectors=community.sectors,
                     sector=community.sector, central=community.central, ties=community.ties,
                     text={"es": community.text_es, "en": community.text_en},
                     x=x, y=y)
    most = max(between.values(), default=1)
    for number, ((first, second), count) in enumerate(between.items()):
        net.add_edge(f"c{first}", f"c{second}", id=f"e{number}", ties=count, arrows="",
                     width=round(0.5 + 3 * math.log1p(count) / math.log1p(most), 2),
                     color={"color": EDGE_COLOUR, "opacity": round(0.1 + 0.7 * count / most, 2)})
    _set_options(net, dense=False)
    return net


COMMUNITY_SPACING = 40
COMMUNITY_GAP = 12
"""How far apart communities are drawn (pixels, times the square root of their count) and the least room between
two (pixels): close enough that the map fits its canvas at about its own size, so the labels of the largest
communities are drawn legibly."""


def outside_colour(sector_colour: str) -> dict[str, Any]:
    """vis-network colours of a partner from outside the region: its sector's colour inside, a darker shade of
    it as the (dashed) border, also when highlighted or hovered.

    >>> outside_colour("#E69F00")["border"]
    '#7f5700'
    """
    border = shade(sector_colour, OUTSIDE_SHADE)
    return {"background": sector_colour, "border": border,
            "highlight": {"background": sector_colour, "border": border},
            "hover": {"background": sector_colour, "border": border}}


def shade(colour: str, factor: float) -> str:
    """``#rrggbb`` with each channel multiplied by ``factor`` (below 1: darker, the same hue).

    >>> shade("#0072B2", 0.5)
    '#003959'
    """
    channels = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return "#" + "".join(f"{min(255, round(value * factor)):02x}" for value in channels)


class NodeIds(list[str]):
    """pyvis's list of node ids, with a set beside it for membership.

    pyvis tests ``id in node_ids`` (a list) for every node and both ends of every edge it adds: 22 s for
    a region of 7,000 actors and 26,000 ties. With the set, each test is constant-time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[str] = set()

    def append(self, node: str) -> None:
        super().append(node)
        self._members.add(node)

    def __contains__(self, node: object) -> bool:
        return node in self._members


def graph_data(net: Network, measure: str) -> dict[str, Any]:
    """What the template embeds: nodes, edges and options, plus what the tools and legend need to know."""
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    return {
        "kind": "actors", "nodes": nodes, "edges": edges, "options": net.options, "measure": measure,
        "sectors": [sector for sector in SECTORS if any(node["sector"] == sector for node in nodes)],
        "capabilities": sorted({cap for node in nodes for cap in node.get("capabilities", [])}),
        "families": [family for family in FAMILIES if any(FAMILY_OF[node["type"]] == family for node in nodes)],
        "has_recommended": any(edge.get("recommended") for edge in edges),
        "has_arrows": any(edge.get("arrows") for edge in edges),
        "has_outside": any(node.get("outside") for node in nodes),
    }


def community_data(net: Network, graph: nx.MultiDiGraph, membership: Mapping[str, int]) -> dict[str, Any]:
    """What the template embeds for a map of communities (:func:`community_network`): its nodes, edges and
    options, and every actor of the region as ``[id, name, acronym, community]`` so a search finds the
    community an actor is in."""
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    actors = sorted(([node, data["name"], data.get("acronym"), membership[node]]
                     for node, data in graph.nodes(data=True) if node in membership), key=lambda row: row[0])
    return {"kind": "communities", "nodes": nodes, "edges": edges, "options": net.options, "measure": "actors",
            "actors": actors,
            "sectors": [sector for sector in SECTORS if any(node["sector"] == sector for node in nodes)],
            "capabilities": [], "families": [], "has_recommended": False, "has_arrows": False, "has_outside": False}


def edge_width(strength: int) -> float:
    """Line width in pixels for a tie strength of 1-5: visibly ordered, never so thick it hides nodes."""
    return 0.5 + 0.6 * strength


def short_label(actor: Mapping[str, Any]) -> str:
    """The text drawn under a node: the acronym, else the name cut to :data:`LABEL_LENGTH` characters."""
    text = actor.get("acronym") or actor["name"]
    return text if len(text) <= LABEL_LENGTH else _cut(text, LABEL_LENGTH)


def short_labels(actors: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Labels for a map's actors that tell them apart: :func:`short_label`, except where two come out the same.

    Actors whose labels collide (long names that start alike, "Municipalidad provincial de la
    capital – Cajamarca" and "Municipalidad provincial del norte – Cajamarca") keep the start of
    their name and end with the words that set them apart: the words left once the words every
    colliding name starts with and ends with are taken away ("Municipal… de la capital",
    "Municipalidad… del norte"). Labels still alike after that (two actors of the same name or
    acronym) are numbered in the order of their ids.

    >>> labels = short_labels({"a": {"name": "Municipalidad provincial de la capital – Cajamarca"},
    ...                        "b": {"name": "Municipalidad provincial del norte – Cajamarca"},
    ...                        "c": {"name": "Red de salud – Cusco"}, "d": {"name": "Red de salud – Cusco"},
    ...                        "e": {"name": "Universidad Nacional de Cajamarca", "acronym": "UNC"}})
    >>> labels["a"], labels["b"], labels["e"]
    ('Municipal… de la capital', 'Municipalidad… del norte', 'UNC')
    >>> labels["c"], labels["d"]
    ('Red de salud – Cusco (1)', 'Red de salud – Cusco (2)')

    Cost: O(n) for n actors, plus the length of the names in each group of colliding labels.
    """
    labels = {actor: short_label(data) for actor, data in actors.items()}
    for group in _collisions(labels):
        names = [(actors[actor].get("acronym") or actors[actor]["name"]).split() for actor in group]
        head = _common(names)
        tail = _common([list(reversed(words[head:])) for words in names])
        for actor, words in zip(group, names, strict=True):
            middle = " ".join(words[head:len(words) - tail])
            if middle:
                middle = _cut(middle, LABEL_LENGTH - 8)
                labels[actor] = _cut(" ".join(words), LABEL_LENGTH - len(middle) - 1) + " " + middle
    for group in _collisions(labels):
        for number, actor in enumerate(group, start=1):
            suffix = f" ({number})"
            text = labels[actor]
            labels[actor] = (text if len(text) + len(suffix) <= LABEL_LENGTH
                             else _cut(text, LABEL_LENGTH - len(suffix))) + suffix
    return labels


def _cut(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, the last one an ellipsis."""
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _collisions(labels: Mapping[str, str]) -> list[list[str]]:
    """The groups of actors (ids sorted) that share a label."""
    groups: dict[str, list[str]] = {}
    for actor, label in labels.items():
        groups.setdefault(label, []).append(actor)
    return [sorted(group) for group in groups.values() if len(group) > 1]


def _common(lists: Sequence[Sequence[str]]) -> int:
    """How many leading items all the lists share."""
    count = 0
    while all(len(items) > count for items in lists) and len({items[count] for items in lists}) == 1:
        count += 1
    return count


def legend(sectors: Iterable[str], families: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Legend entries: (sector, colour) and (family, shape) pairs for the graph's own actors."""
    return {"sectors": [(sector, SECTOR_COLOURS[sector]) for sector in sectors],
            "families": [(family, FAMILIES[family][0]) for family in families]}


def pixels(layout: Mapping[Any, tuple[float, float]], count: int, values: Mapping[Any, float] | None = None,
           spacing: float = ACTOR_SPACING, reach: float = SHAPE_REACH, gap: float = NODE_GAP
           ) -> dict[Any, tuple[int, int]]:
    """Positions in [-1, 1] as vis-network pixels, ``spacing`` times the square root of ``count`` from the middle to
    the edge, so the density of nodes on screen stays the same; with ``values`` (what sizes each node on the map
    as it opens), then moved apart until no two nodes overlap (:func:`apart`, up to :data:`APART_LIMIT` nodes),
    each node reaching ``reach`` times the size vis-network gives it (1 for dots, :data:`SHAPE_REACH` for the
    corners of squares and stars) and ``gap`` pixels between two."""
    spread = spacing * max(count, 4) ** 0.5
    nodes = list(layout)
    points = np.array([layout[node] for node in nodes], dtype=float).reshape(-1, 2) * spread
    if values is not None and 1 < len(nodes) <= APART_LIMIT:
        points = apart(points, reach * node_sizes(np.array([values.get(node, 0.0) for node in nodes], dtype=float)),
                       gap)
    return {node: (round(x), round(y)) for node, (x, y) in zip(nodes, points.tolist(), strict=True)}


def node_sizes(values: np.ndarray) -> np.ndarray:
    """Each node's size in pixels (a dot's radius, half a square's side) as vis-network scales ``value`` between
    :data:`NODE_SIZE`'s bounds, the smallest value to the least size; all alike the middle size."""
    low, high = NODE_SIZE
    spread = values.max() - values.min() if len(values) else 0.0
    scale = (values - values.min()) / spread if spread > 0 else np.full(len(values), 0.5)
    return low + scale * (high - low)  # type: ignore[no-any-return]


def apart(points: np.ndarray, sizes: np.ndarray, gap: float = NODE_GAP, rounds: int = 500) -> np.ndarray:
    """``points`` moved apart until no two discs of radius ``sizes`` come closer than ``gap`` (nor after rounding to
    pixels: two to spare).

    First the whole drawing is spread out from its centre, its shape kept, until :data:`SPREAD_QUANTILE` of the pairs
    close enough to touch are clear (at most :data:`MAX_SPREAD` times). Then each round pushes every overlapping
    pair away from each other along the line joining them, each by half the overlap (the pairwise scheme of Gephi's
    Noverlap; PRISM [1]_ keeps proximity better at a higher cost); two points in the same place part in a fixed
    direction. The result depends only on the input, and a drawing where nothing overlaps does not move.

    Examples
    --------
    Two discs of radius 5 whose centres are 8 apart, and 12 wanted between them: the drawing spreads out 1.5 times,
    then the two part by the 2 px kept for rounding.

    >>> apart(np.array([[0.0, 0.0], [8.0, 0.0]]), np.array([5.0, 5.0]), gap=2).round(1).tolist()
    [[-3.0, 0.0], [11.0, 0.0]]

    Notes
    -----
    Each round finds the pairs close enough to touch with a k-d tree (scipy's), O(n log n + pairs): 0.1-0.2 s for
    400 actors of a crowded generated map, 0.5 s for 1,000, 1 s for 2,000 (measured while other work ran).

    References
    ----------
    .. [1] Gansner, E. R. & Hu, Y. (2010). Efficient, proximity-preserving node overlap removal. Journal of Graph
       Algorithms and Applications 14(1), 53-74.
    """
    placed = points.astype(float).copy()
    reach = 2 * float(sizes.max(initial=0.0)) + gap + 2.0  # no two points farther apart than this can touch
    pairs = cKDTree(placed).query_pairs(reach, output_type="ndarray")
    if len(pairs):  # first the whole drawing spread out (its shape kept) until most pairs are clear, then pushes
        distance = np.hypot(*(placed[pairs[:, 0]] - placed[pairs[:, 1]]).T)
        need = sizes[pairs[:, 0]] + sizes[pairs[:, 1]] + gap
        ratio = need[distance > 0] / distance[distance > 0]
        if len(ratio):
            centre = placed.mean(axis=0)
            placed = centre + (placed - centre) * min(max(float(np.quantile(ratio, SPREAD_QUANTILE)), 1.0), MAX_SPREAD)
    for _ in range(rounds):
        pairs = cKDTree(placed).query_pairs(reach, output_type="ndarray")
        first, second = pairs[:, 0], pairs[:, 1]
        delta = placed[first] - placed[second]
        distance = np.hypot(delta[:, 0], delta[:, 1])
        # 1.5 px more than needed: rounding to pixels later moves each point up to 0.71 px
        need = sizes[first] + sizes[second] + gap + 1.5
        if not len(pairs) or (need - distance).max() <= 0:
            break
        overlap = np.maximum(need + 0.5 - distance, 0.0)  # half a pixel more, so the pushes end rather than creep
        angle = (second - first) * 2.399963  # the golden angle: points in the same place part in spread directions
        fallback = -np.stack([np.cos(angle), np.sin(angle)], axis=-1)
        direction = np.where(distance[:, None] > 0, delta / np.maximum(distance, 1e-12)[:, None], fallback)
        push = 0.5 * overlap[:, None] * direction
        moves = np.zeros_like(placed)
        np.add.at(moves, first, push)
        np.add.at(moves, second, -push)
        placed += moves
    return placed


def _spring(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """A seeded spring layout in [-1, 1] (a lone node in the middle)."""
    if graph.number_of_nodes() <= 1:
        return {node: (0.0, 0.0) for node in graph}
    placed = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=100)
    half = max(abs(float(value)) for xy in placed.values() for value in xy) or 1.0
    return {node: (float(x) / half, float(y) / half) for node, (x, y) in placed.items()}


def _pairs(graph: nx.MultiDiGraph) -> dict[tuple[str, str], list[dict[str, Any]]]:
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        pair = (source, target) if source < target else (target, source)
        pairs.setdefault(pair, []).append({**data, "id": key, "source": source})
    return pairs


def _arrows(first: str, ties: list[dict[str, Any]]) -> str:
    """vis-network arrows for a pair's directed ties (funding, service): giver → receiver; "" (none) when no tie
    of the pair has a direction."""
    ends = {"to" if tie["source"] == first else "from" for tie in ties if tie["directed"]}
    return ",".join(sorted(ends))


def _tie(tie: Mapping[str, Any], first: str) -> dict[str, Any]:
    """A tie as its edge's tooltip lists it; a directed one says whether it goes from the edge's first end."""
    direction = ("forward" if tie["source"] == first else "back") if tie["directed"] else None
    return _compact(type=tie["type"], weight=tie["weight"], status=tie["status"], program=tie.get("program"),
                    start=tie.get("start"), end=tie.get("end"), illustrative=tie.get("illustrative"),
                    direction=direction)


def _compact(**values: Any) -> dict[str, Any]:
    """Only the values that say something: the page carries every byte to phones."""
    return {key: value for key, value in values.items() if value not in (None, False, "", [], ())}


def _round(value: float) -> float:
    return float(f"{value:.4g}")


def _programs(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """The programs each actor takes part in, through its ties."""
    found: dict[str, set[str]] = {}
    for source, target, program in graph.edges(data="program"):
        if program:
            found.setdefault(source, set()).add(program)
            found.setdefault(target, set()).add(program)
    return {actor: sorted(names) for actor, names in found.items()}


def _set_options(net: Network, dense: bool) -> None:
    """vis-network options: no physics (positions come from the server), straight edges, edges hidden while
    the reader drags or zooms, fainter edges on a ``dense`` map."""
    net.toggle_physics(False)
    net.toggle_hide_edges_on_drag(True)
    options = net.options
    options.edges.smooth.enabled = False
    net.options = {
        **_plain(options),
        "layout": {"improvedLayout": False},
        "edges": {**_plain(options.edges), "color": {"color": EDGE_COLOUR, "opacity": 0.35 if dense else 0.7},
                  "arrows": {"to": {"scaleFactor": 0.6}, "from": {"scaleFactor": 0.6}}},
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3, "scaling": {"min": NODE_SIZE[0], "max": NODE_SIZE[1],
                              "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": 7}},
                  "font": {"color": "#1a1a1a", "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "interaction": {**_plain(options.interaction), "hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True,
                        "hideEdgesOnZoom": True, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
    }


def _plain(value: Any) -> Any:
    """pyvis option objects as plain dicts (they are nested plain Python objects)."""
    if hasattr(value, "__dict__"):
        return {key: _plain(item) for key, item in vars(value).items()}
    return value
