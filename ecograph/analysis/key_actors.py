"""The actors a region cannot do without, the roles they play and, for each, one sentence saying why it matters.

A key actor is one of the region's own actors that is a hub (among the :data:`TOP` with most partners), a broker
(among the :data:`TOP` with the highest betweenness) or a fragmenter of the convening set (whose joint departure
would split the region most, :func:`ecograph.analysis.convene.fragmenters`). Its sentence is built from the
analysis figures only ("13 socios en 4 sectores; es el único vínculo entre la academia y el sector privado"), in
both languages, from the ``findings`` message catalog; the page, the API and the CLI show the same one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import networkx as nx

from ecograph.analysis.gaps import Phrase, label, phrase
from ecograph.analysis.models import ActorMeasures, ConveningSet, Gap, KeyActor
from ecograph.analysis.structure import local_actors
from ecograph.i18n import Texts
from ecograph.model import SECTORS

TOP = 5
"""How many hubs (most partners) and brokers (highest betweenness) a region names."""
REASONS = 2
"""How many reasons a key actor's sentence gives after its partners."""
PATHS_SHOWN = 0.01
"""The betweenness (share of shortest paths) from which a sentence mentions it."""


def roles(rows: Sequence[ActorMeasures], convening: ConveningSet) -> dict[str, tuple[str, ...]]:
    """Every actor's roles, in this order: ``hub``, ``broker``, ``fragmenter``, ``convener``, then the
    Gould & Fernandez brokerage role it plays most (``coordinator``, ``itinerant``, ``gatekeeper``,
    ``representative``, ``liaison``), if it brokers at all.

    Hubs and brokers are the :data:`TOP` of the region's own actors by number of partners and by betweenness
    (ties broken by id; a zero never counts); fragmenters and conveners come from ``convening``.

    Examples
    --------
    >>> row = ActorMeasures(id="gore", name="GORE", sector="public", local=True, degree=2, weighted_degree=2,
    ...                     betweenness=1.0, closeness=1.0, pagerank=0.5, core=1, community=0, constraint=0.5,
    ...                     effective_size=2.0, brokerage={"liaison": 1})
    >>> roles([row], ConveningSet(actors=["gore"], steps=1, reached=3, reach_share=1.0, sectors_covered=[],
    ...                           fragmenters=[], fragmentation_without=1.0))
    {'gore': ('hub', 'broker', 'convener', 'liaison')}

    Notes
    -----
    Cost: O(n log n), two sorts of the actors.
    """
    local = [row for row in rows if row.local]
    hubs, brokers = _top(local, "degree"), _top(local, "betweenness")
    return {row.id: tuple(role for role, yes in (
        ("hub", row.id in hubs), ("broker", row.id in brokers), ("fragmenter", row.id in convening.fragmenters),
        ("convener", row.id in convening.actors), (_brokerage_role(row), True)) if yes and role)
        for row in rows}


def sole_links(graph: nx.Graph, sectors: Sequence[str] = SECTORS) -> dict[str, list[tuple[str, str]]]:
    """For each actor, the pairs of sectors it alone links: every contact between the two sectors within two
    steps (a tie between them, or a partner in each) goes through it.

    For sectors s ≠ t, a *contact* is a tie u–w or a path u–x–w with u in s and w in t; actor v is the only
    link between s and t when there is at least one contact and v is part of every one. Without v, no actor
    of s has a tie to, or a partner in common with, an actor of t. An actor alone in its sector is not said to
link it (it is the sector). This is the two-step reading of Gould and
    Fernandez's brokerage [1]_, for whole sectors rather than for one pair of actors.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected; every actor has a ``sector``. Pass the ties among the region's own actors.
    sectors : sequence of str, optional (default :data:`ecograph.model.SECTORS`)
        The sectors to pair, in this order (a pair is listed as (s, t) with s before t).

    Returns
    -------
    dict
        Actor → its pairs, in ``sectors`` order; only actors with at least one pair.

    Examples
    --------
    The regional government is the one contact of two universities and two companies, and of the other
    public actor:

    >>> g = nx.Graph([("unc", "upagu"), ("unc", "gore"), ("upagu", "gore"), ("gore", "camara"), ("gore", "coop"),
    ...               ("gore", "muni")])
    >>> nx.set_node_attributes(g, {"unc": "academia", "upagu": "academia", "gore": "public", "muni": "public",
    ...                            "camara": "private", "coop": "private"}, "sector")
    >>> sole_links(g)
    {'gore': [('academia', 'public'), ('academia', 'private'), ('public', 'private')]}

    Once the other company works with the other public actor instead, the public and private sectors have two
    separate contacts; academia still reaches the private sector only through the regional government and
    then the chamber, so both are its only link:

    >>> g.remove_edge("gore", "coop"); g.add_edge("muni", "coop")
    >>> sole_links(g)
    {'gore': [('academia', 'public'), ('academia', 'private')], 'camara': [('academia', 'private')]}

    Notes
    -----
    Cost: O(n + m) per pair of sectors, so O(s² (n + m)) for s sectors: each actor's partners per sector are
    counted once, and each actor narrows down the actors common to every contact in O(1).

    References
    ----------
    .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach to brokerage in
       transaction networks", Sociological Methodology 19, 89-126 (1989).
    """
    sector = nx.get_node_attributes(graph, "sector")
    members = Counter(sector.values())
    partners: dict[str, dict[str, list[str]]] = {node: {} for node in graph}
    for node in graph:
        for other in graph[node]:
            if other != node:
                partners[node].setdefault(sector[other], []).append(other)
    found: dict[str, list[tuple[str, str]]] = {}
    for i, s in enumerate(sectors):
        for t in sectors[i + 1:]:
            common: set[str] | None = None
            for node in graph:
                in_s, in_t = partners[node].get(s, []), partners[node].get(t, [])
                if in_t and sector[node] == s:  # the ties node–w, w in t
                    common = _narrowed(common, {node, *(in_t if len(in_t) == 1 else ())})
                if in_s and in_t:  # the paths u–node–w
                    common = _narrowed(common, {node, *(in_s if len(in_s) == 1 else ()),
                                                *(in_t if len(in_t) == 1 else ())})
                if common is not None and not common:
                    break
            for node in sorted(common or ()):
                if not (sector[node] in (s, t) and members[sector[node]] == 1):
                    found.setdefault(node, []).append((s, t))
    return found


def key_actors(graph: nx.Graph, rows: Sequence[ActorMeasures], convening: ConveningSet,
               gaps: Sequence[Gap]) -> list[KeyActor]:
    """The region's key actors, by betweenness (then partners, then id), each with its roles and its sentence.

    The sentence gives the actor's partners and the sectors they belong to, then up to :data:`REASONS` of
    these, the first that apply: the pairs of sectors it alone links (:func:`sole_links`, among the region's
    own actors), the actors it would cut off by leaving (its ``single_point_of_failure`` gap), the share of
    shortest paths between the other actors that go through it (betweenness, from 1 %), its rank by
    partners (a hub), its part in splitting the region (a fragmenter).

    Parameters
    ----------
    graph : networkx.Graph
        The region's collapsed graph (:func:`ecograph.graph.collapse`), partners from elsewhere included;
        actors have ``sector`` and ``region``.
    rows : sequence of ActorMeasures
        The measures of every actor of ``graph``.
    convening : ConveningSet
        The region's convening set and fragmenters.
    gaps : sequence of Gap
        The region's gaps (read: ``single_point_of_failure``).

    Returns
    -------
    list of KeyActor

    Examples
    --------
    >>> from ecograph.analysis.measures import brokerage
    >>> g = nx.Graph([("unc", "gore"), ("gore", "camara"), ("gore", "ong")], region="06")
    >>> nx.set_node_attributes(g, {"unc": "academia", "gore": "public", "camara": "private", "ong": "civil_society"},
    ...                        "sector")
    >>> nx.set_node_attributes(g, "06", "region")
    >>> between = nx.betweenness_centrality(g)
    >>> rows = [ActorMeasures(id=n, name=n.upper(), sector=g.nodes[n]["sector"], local=True, degree=g.degree(n),
    ...                       weighted_degree=g.degree(n), betweenness=between[n], closeness=0.5, pagerank=0.25,
    ...                       core=1, community=0, constraint=None, effective_size=None, brokerage={})
    ...         for n in sorted(g)]
    >>> none = ConveningSet(actors=[], steps=1, reached=0, reach_share=0.0, sectors_covered=[], fragmenters=[],
    ...                     fragmentation_without=0.0)
    >>> gore = key_actors(g, rows, none, [])[0]
    >>> gore.id, gore.roles, gore.partners, gore.partner_sectors
    ('gore', ['hub', 'broker'], 3, ['academia', 'civil_society', 'private'])
    >>> print(gore.text_es)  # doctest: +NORMALIZE_WHITESPACE
    3 socios en 3 sectores; es el único vínculo entre la academia y el sector privado, y entre 2 pares más de
        sectores; el 100 % de los caminos más cortos entre los demás actores pasa por él.

    Notes
    -----
    Cost: O(s² (n + m)) for :func:`sole_links` over s sectors, plus O(n log n) to rank the actors.
    """
    played = roles(rows, convening)
    own = local_actors(graph)
    inner = graph.subgraph(own)
    links = sole_links(inner)
    cut = {gap.actors[0]: int(gap.value) for gap in gaps if gap.kind == "single_point_of_failure" and gap.actors}
    by_degree = sorted((row for row in rows if row.local), key=lambda row: (-row.degree, row.id))
    first = by_degree[0].id if by_degree else None
    chosen = [row for row in rows if row.local and {"hub", "broker", "fragmenter"} & set(played[row.id])]
    found = []
    for row in sorted(chosen, key=lambda row: (-row.betweenness, -row.degree, row.id)):
        sectors = sorted({graph.nodes[other]["sector"] for other in graph[row.id] if other != row.id})
        pairs = links.get(row.id, [])
        reasons = [reason for reason in (
            _sole_link(pairs),
            phrase("key.cuts_off", cut[row.id]) if row.id in cut else None,
            phrase("key.paths", share=round(row.betweenness * 100)) if row.betweenness >= PATHS_SHOWN else None,
            (phrase("key.most_partners") if row.id == first else phrase("key.many_partners", top=TOP))
            if "hub" in played[row.id] else None,
            phrase("key.fragmenter") if "fragmenter" in played[row.id] else None,
        ) if reason is not None][:REASONS]
        parts = [phrase("key.partners", row.degree, sectors=phrase("key.sectors", len(sectors))), *reasons]
        es, en = ("; ".join(part(Texts(lang)) for part in parts) + "." for lang in ("es", "en"))
        found.append(KeyActor(id=row.id, roles=list(played[row.id]), partners=row.degree, partner_sectors=sectors,
                              sole_link=[f"{s}-{t}" for s, t in pairs], cuts_off=cut.get(row.id, 0),
                              text_es=es, text_en=en))
    return found


def _sole_link(pairs: list[tuple[str, str]]) -> Phrase | None:
    if not pairs:
        return None
    (s, t), more = pairs[0], len(pairs) - 1
    values = {"first": label("sector_the", s), "second": label("sector_the", t)}
    return phrase("key.sole_link_more", more, **values) if more else phrase("key.sole_link", **values)


def _narrowed(common: set[str] | None, contact: set[str]) -> set[str]:
    return contact if common is None else common & contact


def _top(rows: list[ActorMeasures], measure: str) -> set[str]:
    ranked = sorted(rows, key=lambda row: (-getattr(row, measure), row.id))
    return {row.id for row in ranked[:TOP] if getattr(row, measure) > 0}


def _brokerage_role(row: ActorMeasures) -> str | None:
    """The Gould & Fernandez role an actor plays most, if it brokers at all."""
    role, count = max(row.brokerage.items(), key=lambda item: (item[1], item[0]), default=(None, 0))
    return role if count else None
