"""Communities named for people: by their most central actor and their dominant sector.

The analysis finds communities with Louvain (:func:`ecograph.analysis.measures.communities`), numbered
0, 1, 2 ... by size. A number says nothing to a regional officer; "Comunidad de UNC · 412 actores ·
60 % privado" does. :func:`name_communities` gives each community that name (in Spanish and English)
with the figures behind it, and :func:`community_ties` counts the ties between communities, which is
what a map of the communities draws.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import networkx as nx

from ecograph.analysis.models import Community
from ecograph.i18n import Texts
from ecograph.model import SECTORS


def name_communities(graph: nx.Graph, membership: Mapping[str, int], centrality: Mapping[str, float],
                     region: str | None = None) -> list[Community]:
    """Each community with its name: its most central actor, its size and its dominant sector.

    A community's **central actor** is its member of highest ``centrality`` (the report uses
    PageRank); ties are broken by more partners (degree), then by the smaller id. Its **dominant
    sector** is the sector most of its members belong to; ties are broken by the order of
    :data:`ecograph.model.SECTORS` (academia, public, private, civil society, international), and
    ``share`` is the fraction of members in it. The name reads "Comunidad de <central actor> · <n>
    actores · <share> % <sector>" (the actor by its acronym, else its name).

    Parameters
    ----------
    graph : networkx.Graph
        The region's collapsed graph (:func:`ecograph.graph.collapse`); nodes carry ``name``,
        ``sector``, ``region`` and optionally ``acronym``.
    membership : mapping
        Actor id → community number, as in the report's measures.
    centrality : mapping
        Actor id → how central the actor is (missing counts as 0).
    region : str, optional
        The region's code: members based there are counted in ``local`` (every member when None).

    Returns
    -------
    list of Community
        By community number. ``ties`` counts the pairs of members tied to each other.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("unc", {"name": "Universidad Nacional de Cajamarca", "acronym": "UNC",
    ...                            "sector": "academia", "region": "06"}),
    ...                   ("yanacocha", {"name": "Minera Yanacocha", "sector": "private", "region": "06"}),
    ...                   ("camara", {"name": "Cámara de Comercio", "sector": "private", "region": "06"})])
    >>> g.add_edges_from([("unc", "yanacocha"), ("unc", "camara")])
    >>> [found] = name_communities(g, {"unc": 0, "yanacocha": 0, "camara": 0},
    ...                            {"unc": 0.5, "yanacocha": 0.25, "camara": 0.25}, "06")
    >>> found.central, found.sector, found.share, found.ties
    ('unc', 'private', 0.6667, 2)
    >>> found.text_es
    'Comunidad de UNC · 3 actores · 67 % privado'

    Notes
    -----
    One pass over the actors and one over the ties: O(n + m) for n actors and m tied pairs.
    """
    members: dict[int, list[str]] = {}
    for node in sorted(graph):
        if node in membership:
            members.setdefault(membership[node], []).append(node)
    inside: Counter[int] = Counter(membership[u] for u, v in graph.edges()
                                   if u in membership and v in membership and membership[u] == membership[v])
    found = []
    for number in sorted(members):
        group = members[number]
        sectors = Counter(graph.nodes[node]["sector"] for node in group)
        dominant = max(SECTORS, key=lambda sector: (sectors[sector], -SECTORS.index(sector)))
        central = min(group, key=lambda node: (-(centrality.get(node) or 0.0), -graph.degree(node), node))
        data = graph.nodes[central]
        central_name = data.get("acronym") or data["name"]
        share = sectors[dominant] / len(group)
        es, en = (_text(Texts(lang), central_name, len(group), share, dominant) for lang in ("es", "en"))
        found.append(Community(
            number=number, actors=len(group),
            local=sum(1 for node in group if region is None or graph.nodes[node].get("region") == region),
            sectors={sector: sectors[sector] for sector in SECTORS if sectors[sector]}, sector=dominant,
            share=round(share, 4), central=central, central_name=central_name, ties=inside[number],
            text_es=es, text_en=en))
    return found


def _text(texts: Texts, central: str, actors: int, share: float, sector: str) -> str:
    return texts("community.label", central=central, actors=texts.plural("unit.actors", actors),
                 share=round(100 * share), sector=texts(f"community.sector.{sector}"))


def community_ties(graph: nx.MultiDiGraph | nx.Graph, membership: Mapping[str, int]) -> dict[tuple[int, int], int]:
    """How many ties join each pair of communities.

    Every edge of ``graph`` whose ends are in two different communities counts once for that pair
    (in a multigraph, every collaboration); pairs are (smaller number, larger number), and pairs
    without ties are left out. Ties within a community and ends without a community are ignored.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edges_from([("a", "b"), ("a", "c"), ("a", "c"), ("b", "c")])
    >>> community_ties(g, {"a": 0, "b": 0, "c": 1})
    {(0, 1): 3}

    Cost: O(m) for m edges.
    """
    counts: Counter[tuple[int, int]] = Counter()
    for source, target in graph.edges():
        first, second = membership.get(source), membership.get(target)
        if first is not None and second is not None and first != second:
            counts[(min(first, second), max(first, second))] += 1
    return dict(sorted(counts.items()))
