"""Interactive network maps: a pyvis network built from an ecosystem graph, as data for our own template.

pyvis builds the nodes, edges and vis-network options; its HTML template is not used (it loads
Bootstrap and vis-network from CDNs and writes tooltips with ``innerHTML``). Instead,
:func:`graph_data` returns plain JSON that ``templates/_graph.html`` embeds in a
``<script type="application/json">`` block and ``static/graph.js`` draws, building every tooltip
from DOM text nodes.

Colour is the actor's sector (Okabe-Ito, safe for colour-blind readers), shape its type family,
size a chosen measure, edge width the tie's strength; recommended ties are dashed. Small graphs
are laid out by vis-network's physics with a fixed seed; above :data:`PHYSICS_LIMIT` actors, by
positions computed on the server (the API's seeded, cached layout) with physics off, so large graphs
open at once and always look the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from pyvis.network import Network

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
OUTSIDE_BORDER = "#555555"
PHYSICS_LIMIT = 300
"""Above this many actors, positions come from the server and the browser runs no physics."""
LAYOUT_SEED = 42
LABEL_LENGTH = 24


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
    whose home is not ``region`` get a dashed grey border. Above :data:`PHYSICS_LIMIT` actors,
    ``layout`` (seeded positions in [-1, 1], like the API's) fixes where every node goes.
    """
    # directed=True only switches off pyvis's quadratic duplicate-edge check; arrows are set per edge.
    net = Network(directed=True)
    net.node_ids = NodeIds()
    positions = pixels(layout or {}, graph.number_of_nodes()) if graph.number_of_nodes() > PHYSICS_LIMIT else {}
    programs = _programs(graph)
    for actor_id, data in graph.nodes(data=True):
        own = measures.get(actor_id, {})
        colour: str | dict[str, str] = SECTOR_COLOURS[data["sector"]]
        extra = _compact(acronym=data.get("acronym"), region=data.get("region"), programs=programs.get(actor_id),
                         illustrative=data.get("illustrative"), capabilities=data.get("capabilities"))
        if region is not None and data.get("region") != region:  # a partner from elsewhere
            colour = {"background": colour, "border": OUTSIDE_BORDER}
            extra |= {"outside": True, "borderWidth": 3, "shapeProperties": {"borderDashes": [4, 3]}}
        if actor_id in positions:
            extra |= {"x": positions[actor_id][0], "y": positions[actor_id][1]}
        net.add_node(actor_id, label=short_label(data), shape=FAMILIES[FAMILY_OF[data["type"]]][0], color=colour,
                     value=_round(own.get(size_by) or 0), name=data["name"], sector=data["sector"], type=data["type"],
                     measures={name: _round(value) for name, value in own.items() if isinstance(value, int | float)},
                     **extra)
    for number, ((first, second), ties) in enumerate(_pairs(graph).items()):
        net.add_edge(first, second, id=f"e{number}", width=edge_width(max(tie["weight"] for tie in ties)),
                     ties=[_tie(tie, first) for tie in ties], **_compact(arrows=_arrows(first, ties)))
    for number, tie in enumerate(recommended):
        if graph.has_node(tie.source) and graph.has_node(tie.target):
            net.add_edge(tie.source, tie.target, id=f"r{number}", recommended=True, dashes=[8, 6], width=2,
                         color={"color": RECOMMENDED_COLOUR, "opacity": 1}, physics=False,
                         reason={"es": tie.reason_es, "en": tie.reason_en})
    _set_options(net, precomputed=graph.number_of_nodes() > PHYSICS_LIMIT)
    return net


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
        "nodes": nodes, "edges": edges, "options": net.options, "measure": measure,
        "sectors": [sector for sector in SECTORS if any(node["sector"] == sector for node in nodes)],
        "capabilities": sorted({cap for node in nodes for cap in node.get("capabilities", [])}),
        "families": [family for family in FAMILIES if any(FAMILY_OF[node["type"]] == family for node in nodes)],
        "has_recommended": any(edge.get("recommended") for edge in edges),
        "has_arrows": any(edge.get("arrows") for edge in edges),
        "has_outside": any(node.get("outside") for node in nodes),
    }


def edge_width(strength: int) -> float:
    """Line width in pixels for a tie strength of 1-5: visibly ordered, never so thick it hides nodes."""
    return 0.5 + 0.6 * strength


def short_label(actor: Mapping[str, Any]) -> str:
    """The text drawn under a node: the acronym, else the name cut to :data:`LABEL_LENGTH` characters."""
    text = actor.get("acronym") or actor["name"]
    return text if len(text) <= LABEL_LENGTH else text[:LABEL_LENGTH - 1].rstrip() + "…"


def legend(sectors: Iterable[str], families: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Legend entries: (sector, colour) and (family, shape) pairs for the graph's own actors."""
    return {"sectors": [(sector, SECTOR_COLOURS[sector]) for sector in sectors],
            "families": [(family, FAMILIES[family][0]) for family in families]}


def pixels(layout: Mapping[str, tuple[float, float]], count: int) -> dict[str, tuple[int, int]]:
    """Positions in [-1, 1] as vis-network pixels, spread so the density of nodes on screen stays the same."""
    spread = 40.0 * count ** 0.5
    return {node: (round(x * spread), round(y * spread)) for node, (x, y) in layout.items()}


def _pairs(graph: nx.MultiDiGraph) -> dict[tuple[str, str], list[dict[str, Any]]]:
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        pair = (source, target) if source < target else (target, source)
        pairs.setdefault(pair, []).append({**data, "id": key, "source": source})
    return pairs


def _arrows(first: str, ties: list[dict[str, Any]]) -> str:
    """vis-network arrows for a pair's directed ties (funding, service): giver → receiver."""
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


def _set_options(net: Network, precomputed: bool) -> None:
    """vis-network options: seeded physics for small graphs, none (and lighter drawing) for large ones."""
    net.barnes_hut(gravity=-4000, central_gravity=0.25, spring_length=110, spring_strength=0.02, damping=0.2,
                   overlap=0.1)
    net.toggle_physics(not precomputed)
    net.set_edge_smooth("continuous")
    net.toggle_hide_edges_on_drag(precomputed)
    options = net.options
    options.physics.stabilization.iterations = 400
    options.physics.stabilization.updateInterval = 25
    options.edges.smooth.enabled = not precomputed
    net.options = {
        **_plain(options),
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": not precomputed},
        "edges": {**_plain(options.edges), "color": {"color": EDGE_COLOUR, "opacity": 0.35 if precomputed else 0.7},
                  "arrows": {"to": {"scaleFactor": 0.6}, "from": {"scaleFactor": 0.6}}},
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3, "scaling": {"min": 10, "max": 42,
                              "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": 7}},
                  "font": {"color": "#1a1a1a", "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "interaction": {**_plain(options.interaction), "hover": True, "tooltipDelay": 150,
                        "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False}},
    }


def _plain(value: Any) -> Any:
    """pyvis option objects as plain dicts (they are nested plain Python objects)."""
    if hasattr(value, "__dict__"):
        return {key: _plain(item) for key, item in vars(value).items()}
    return value
