"""Where a region's ecosystem is broken, each finding in one sentence an officer understands (es and en).

Every gap rule is a plain function ``(graph, own, figures) -> list[Gap]``: ``graph`` is the region's
collapsed graph (its own actors and their partners elsewhere), ``own`` the region's own actors
(:func:`ecograph.analysis.structure.local_actors`) and ``figures`` the output of
:func:`ecograph.analysis.structure.structure` for the same graph. The sentences come from the
``analysis`` message catalog, with the sectors, capabilities and groups named by the ``labels`` one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import networkx as nx

from ecograph.analysis.cuts import bridge_sides, cut_off_actors
from ecograph.analysis.models import Gap
from ecograph.analysis.structure import CORE_SECTORS, local_actors
from ecograph.i18n import Texts

ESSENTIAL_CAPABILITIES = ("connectivity", "digital_skills", "e_government", "digital_payments", "e_commerce",
                          "entrepreneurship", "research_innovation", "data_statistics")
# Services a region should offer a group: (capability, group).
GROUP_SERVICES = (("digital_skills", "women"), ("entrepreneurship", "migrants"), ("digital_skills", "youth"),
                  ("connectivity", "rural"), ("e_commerce", "msme"), ("digital_skills", "indigenous"))
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
NAMES_SHOWN = 3
BEFORE_I = re.compile(r"h?[ií](?![aeiouáéíóú])", re.IGNORECASE)
"""A word that begins with the sound /i/ ("Instituto", "INIA", "Hidrandina"; not "hielo")."""

Phrase = Callable[[Texts], str]
"""Text that differs by language, made when the language is known: a label, a list of names ("A y B")."""


def phrase(key: str, count: int | None = None, **values: object) -> Phrase:
    """Message ``key`` (its plural form for ``count``, when given), to be filled in either language; a
    value may itself be a :data:`Phrase`."""
    def fill(texts: Texts) -> str:
        filled = {field: value(texts) if callable(value) else value for field, value in values.items()}
        return texts(key, **filled) if count is None else texts.plural(key, count, **filled)

    return fill


def sentence(key: str, count: int | None = None, **values: object) -> tuple[str, str]:
    """The Spanish and English text of message ``key``, as :func:`phrase` fills it.

    >>> sentence("gap.missing_sector", sector=label("sector_of", "academia"))
    ('No hay ningún actor de la academia en la región.', 'The region has no actor from academia.')
    """
    fill = phrase(key, count, **values)
    return fill(Texts("es")), fill(Texts("en"))


def label(kind: str, code: str) -> Phrase:
    """The ``labels`` catalog's ``kind.code``, e.g. ``label("sector_of", "public")``."""
    return lambda texts: texts.label(kind, code)


def lower_label(kind: str, code: str) -> Phrase:
    """A label inside a sentence: its first letter in lower case ("Datos y estadísticas" → "datos y estadísticas")."""
    def fill(texts: Texts) -> str:
        text = texts.label(kind, code)
        return text[:1].lower() + text[1:]

    return fill


def listing(texts: Texts, items: Sequence[str]) -> str:
    """Items as a sentence lists them: "A", "A y B", "A, B y C", and "A e INIA" (Spanish "e" before /i/).

    >>> listing(Texts("es"), ["UNC", "GORE", "INIA"]), listing(Texts("en"), ["UNC", "INIA"])
    ('UNC, GORE e INIA', 'UNC and INIA')
    """
    if len(items) < 2:
        return "".join(items)
    key = "list.and_before_i" if BEFORE_I.match(items[-1]) else "list.and"
    return texts(key, head=", ".join(items[:-1]), last=items[-1])


def joined(items: Sequence[str]) -> Phrase:
    """``items`` as :func:`listing` joins them, in either language."""
    return lambda texts: listing(texts, items)


def name(graph: nx.Graph, actor: str) -> str:
    """How a sentence names an actor: its acronym, else its name."""
    return graph.nodes[actor].get("acronym") or graph.nodes[actor]["name"]


def names(graph: nx.Graph, actors: Sequence[str], limit: int = NAMES_SHOWN) -> Phrase:
    """The first ``limit`` actors by name, then how many more there are: "A, B, C y 2 más"."""
    shown = [name(graph, actor) for actor in actors[:limit]]
    more = len(actors) - limit

    def fill(texts: Texts) -> str:
        return texts.plural("list.more", more, names=", ".join(shown)) if more > 0 else listing(texts, shown)

    return fill


def missing_sector(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """The sectors that have no actor in the region: the core ones (academia, public, private), civil
    society and international cooperation.

    International cooperation is raised too: agencies and donors are usually based in Lima or abroad, so a
    region has none of its own, and only its ties tell whether any works there at all. It used to be left
    out of this rule, so a region with none (Cajamarca in the bundled data) showed no gap.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph: its actors and their partners elsewhere, each with a ``sector``, ``name`` and
        maybe an ``acronym`` (read for international cooperation only).
    own : list of str
        The region's own actors.
    figures : dict
        ``by_sector``: actors per sector, as :func:`ecograph.analysis.structure.structure` counts them.

    Returns
    -------
    list of Gap
        One per missing sector, value 0, subject the sector: high for a core sector, medium for civil
        society; for international cooperation, low when some agency works with the region's actors from
        outside (actors: those agencies, named in the sentence), else medium.

    Examples
    --------
    >>> g = nx.Graph([("unc", "giz")])
    >>> nx.set_node_attributes(g, {"unc": "academia", "giz": "international"}, "sector")
    >>> nx.set_node_attributes(g, {"unc": "UNC", "giz": "GIZ"}, "name")
    >>> for gap in missing_sector(g, ["unc"], {"by_sector": {"academia": 1}}):
    ...     print(gap.severity, gap.actors, gap.text_es)  # doctest: +NORMALIZE_WHITESPACE
    high [] No hay ningún actor del sector público en la región.
    high [] No hay ningún actor del sector privado en la región.
    medium [] No hay ningún actor de la sociedad civil en la región.
    low ['giz'] No hay ningún actor de la cooperación internacional en la región; solo GIZ trabaja con sus
        actores desde fuera.
    >>> g.remove_node("giz")
    >>> [gap.text_en for gap in missing_sector(g, ["unc"], {"by_sector": {"academia": 1}})][-1]
    'The region has no actor from international cooperation, and none of its actors works with one from outside.'

    Notes
    -----
    Cost: O(1) for the sectors; O(Σ degree of the region's actors) to find the agencies working with them.
    """
    present = figures["by_sector"]
    assert isinstance(present, dict)
    gaps = []
    for sector in (*CORE_SECTORS, "civil_society"):
        if sector not in present:
            es, en = sentence("gap.missing_sector", sector=label("sector_of", sector))
            gaps.append(Gap(kind="missing_sector", severity="high" if sector in CORE_SECTORS else "medium", value=0,
                            subject=sector, actors=[], text_es=es, text_en=en))
    if "international" not in present:
        mine = set(own)
        agencies = sorted({partner for actor in own for partner in graph[actor]
                           if partner not in mine and graph.nodes[partner]["sector"] == "international"})
        es, en = (sentence("gap.missing_international.outside", len(agencies), names=names(graph, agencies))
                  if agencies else sentence("gap.missing_international.none"))
        gaps.append(Gap(kind="missing_sector", severity="low" if agencies else "medium", value=0,
                        subject="international", actors=agencies, text_es=es, text_en=en))
    return gaps


def weak_sector_pair(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """Pairs of core sectors, both present, with no tie or fewer than half the ties random mixing would give.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; each node has a ``sector``.
    own : list of str
        The region's own actors.
    figures : dict
        ``by_sector`` (actors per sector) and ``mixing`` (observed and expected ties between sectors,
        :func:`ecograph.analysis.structure.mixing`).

    Returns
    -------
    list of Gap
        One per weak pair: high with no tie at all, else medium; value the observed ties, subject
        ``"first-second"`` (sectors in :data:`ecograph.analysis.structure.CORE_SECTORS` order), actors the
        region's actors of either sector.

    Examples
    --------
    >>> from ecograph.analysis.structure import mixing
    >>> g = nx.Graph([("unc", "gore"), ("gore", "muni"), ("muni", "camara"), ("camara", "empresa")])
    >>> nx.set_node_attributes(g, {"unc": "academia", "gore": "public", "muni": "public", "camara": "private",
    ...                            "empresa": "private"}, "sector")
    >>> figures = {"by_sector": {"academia": 1, "private": 2, "public": 2}, "mixing": mixing(g)}
    >>> for gap in weak_sector_pair(g, sorted(g), figures):
    ...     print(gap.subject, gap.severity, gap.actors)
    ...     print(gap.text_es)
    academia-private high ['camara', 'empresa', 'unc']
    Entre la academia y el sector privado no hay ningún vínculo; si los vínculos se formaran al azar, habría 0.4.

    Notes
    -----
    Cost: O(n) per weak pair, to list its actors; the mixing table is computed beforehand, in O(n + m).

    References
    ----------
    .. [1] M. E. J. Newman, "Mixing patterns in networks", Physical Review E 67, 026126 (2003).
    """
    present, mixing = figures["by_sector"], figures["mixing"]
    assert isinstance(present, dict) and isinstance(mixing, dict)
    core_present = [s for s in CORE_SECTORS if s in present]
    gaps = []
    for i, s in enumerate(core_present):
        for t in core_present[i + 1:]:
            observed, expected = mixing[s][t]["observed"], mixing[s][t]["expected"]
            if observed == 0 or observed < expected / 2:
                members = sorted(a for a in own if graph.nodes[a]["sector"] in (s, t))
                values = {"first": label("sector_the", s), "second": label("sector_the", t),
                          "expected": f"{expected:.1f}"}
                es, en = (sentence("gap.weak_sector_pair.none", **values) if observed == 0
                          else sentence("gap.weak_sector_pair", int(observed), **values))
                gaps.append(Gap(kind="weak_sector_pair", severity="high" if observed == 0 else "medium",
                                value=observed, subject=f"{s}-{t}", actors=members, text_es=es, text_en=en))
    return gaps


def isolated_actors(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """The region's actors with no tie to any other actor of the region, as one gap.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; nodes have a ``name`` and maybe an ``acronym``.
    own : list of str
        The region's own actors.
    figures : dict
        ``isolates``: the region's actors without ties among the region's actors, sorted.

    Returns
    -------
    list of Gap
        None without isolates; else one, high when isolates are more than a fifth of the region's actors,
        else medium; value their number, actors the isolates.

    Examples
    --------
    >>> g = nx.Graph([("gore", "muni")])
    >>> g.add_nodes_from([("ong", {"name": "Asociación Minga"}), ("unc", {"name": "Universidad", "acronym": "UNC"})])
    >>> [gap.text_es for gap in isolated_actors(g, ["gore", "muni", "ong", "unc"], {"isolates": ["ong", "unc"]})]
    ['2 actores no colaboran con nadie de la región: Asociación Minga y UNC.']
    >>> [gap.text_en for gap in isolated_actors(g, ["gore", "muni", "ong", "unc"], {"isolates": ["unc"]})]
    ['1 actor works with no one in the region: UNC.']

    Notes
    -----
    Cost: O(k) for k isolates (found beforehand, in O(n)).
    """
    isolates = figures["isolates"]
    assert isinstance(isolates, list)
    if not isolates:
        return []
    es, en = sentence("gap.isolated_actors", len(isolates), names=names(graph, isolates))
    return [Gap(kind="isolated_actors", severity="high" if len(isolates) > len(own) / 5 else "medium",
                value=len(isolates), actors=isolates, text_es=es, text_en=en)]


def fragmentation(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """An ecosystem split into groups with no contact, when more than a tenth of its actors are outside
    the largest one.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph (not read).
    own : list of str
        The region's own actors (not read).
    figures : dict
        ``components`` (groups of the region's actors with no tie between them) and ``fragmentation``
        (the share of the region's actors outside the largest group,
        :func:`ecograph.analysis.structure.fragmentation`).

    Returns
    -------
    list of Gap
        None, or one: high when more than 30 % of the actors are outside the largest group, else medium;
        value that share, rounded to 3 decimals.

    Examples
    --------
    >>> for gap in fragmentation(nx.Graph(), [], {"components": 3, "fragmentation": 0.4}):
    ...     print(gap.severity, gap.text_es)  # doctest: +NORMALIZE_WHITESPACE
    high El ecosistema está dividido en 3 grupos sin contacto entre sí; el 40 % de los actores queda fuera
        del grupo principal.

    Notes
    -----
    Cost: O(1) (the components are found beforehand, in O(n + m)). The share outside the largest group
    is a simple reading of fragmentation; Borgatti's F, the share of pairs of actors that cannot reach
    each other, is :func:`ecograph.analysis.convene.borgatti_fragmentation`.

    References
    ----------
    .. [1] S. P. Borgatti, "Identifying sets of key players in a social network", Computational and
       Mathematical Organization Theory 12, 21-34 (2006).
    """
    share = float(figures["fragmentation"])  # type: ignore[arg-type]
    groups = figures["components"]
    if not (groups > 1 and share > 0.1):  # type: ignore[operator]
        return []
    es, en = sentence("gap.fragmentation", groups=groups, share=f"{share * 100:.0f}")
    return [Gap(kind="fragmentation", severity="high" if share > 0.3 else "medium", value=round(share, 3),
                actors=[], text_es=es, text_en=en)]


def single_point_of_failure(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """The region's actors whose departure would cut one or more others off from the rest of their group,
    naming them.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; only the ties among ``own`` count. Nodes have a ``name`` and maybe an
        ``acronym``.
    own : list of str
        The region's own actors.
    figures : dict
        Not read.

    Returns
    -------
    list of Gap
        One per such actor (a cut vertex), by id: high when it cuts off at least 5 actors and at least a
        tenth of the region's, else low; value the actors cut off, actors the one that leaves, isolates
        those cut off (by id). The sentence names the first :data:`NAMES_SHOWN` of them, then how many more.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "gore", "c", "d"])
    >>> nx.set_node_attributes(g, {n: n.upper() for n in g}, "name")
    >>> for gap in single_point_of_failure(g, sorted(g), {}):
    ...     print(gap.severity, gap.actors, gap.isolates, gap.text_es)
    low ['b'] ['a'] Si B se retira, 1 actor pierde su conexión con el resto: A.
    low ['c'] ['d'] Si C se retira, 1 actor pierde su conexión con el resto: D.
    low ['gore'] ['c', 'd'] Si GORE se retira, 2 actores pierden su conexión con el resto: C y D.

    Which piece stays when two are as large is the one holding the group's first actor in the graph's
    order, which is by id (here A and B stay when GORE leaves).

    Notes
    -----
    Cost: O(n + m), one depth-first search for all actors, plus the actors listed
    (:func:`ecograph.analysis.cuts.cut_off_actors`).

    References
    ----------
    .. [1] J. Hopcroft and R. Tarjan, "Algorithm 447: efficient algorithms for graph manipulation",
       Communications of the ACM 16(6), 372-378 (1973).
    """
    cut = cut_off_actors(graph.subgraph(own))
    gaps = []
    for actor in sorted(cut):
        isolates = sorted(cut[actor])
        lost = len(isolates)
        es, en = sentence("gap.single_point_of_failure", lost, name=name(graph, actor), names=names(graph, isolates))
        gaps.append(Gap(kind="single_point_of_failure", severity="high" if lost >= max(5, len(own) / 10) else "low",
                        value=lost, actors=[actor], isolates=isolates, text_es=es, text_en=en))
    return gaps


def bridge(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """The ties among the region's actors whose end would cut two or more actors off from the rest,
    naming them.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; only the ties among ``own`` count.
    own : list of str
        The region's own actors.
    figures : dict
        Not read.

    Returns
    -------
    list of Gap
        One per such tie (a bridge), by its ends: high when it cuts off at least 5 actors and at least
        a tenth of the region's, else low; value the actors on the bridge's smaller side, actors its ends,
        isolates the actors on that side (by id). A bridge that cuts off a single actor is not a gap of its
        own: that actor's one partner is already a :func:`single_point_of_failure` naming it.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "gore", "c", "d"])
    >>> nx.set_node_attributes(g, {n: n.upper() for n in g}, "name")
    >>> for gap in bridge(g, sorted(g), {}):
    ...     print(gap.actors, gap.isolates, gap.text_en)  # doctest: +NORMALIZE_WHITESPACE
    ['b', 'gore'] ['a', 'b'] The collaboration between B and GORE is the only bridge between two parts of the
        ecosystem: if it ends, 2 actors lose their connection to the rest: A and B.
    ['gore', 'c'] ['c', 'd'] The collaboration between GORE and C is the only bridge between two parts of the
        ecosystem: if it ends, 2 actors lose their connection to the rest: C and D.

    Notes
    -----
    Cost: O(n + m), one depth-first search for all ties, plus the actors listed
    (:func:`ecograph.analysis.cuts.bridge_sides`).

    References
    ----------
    .. [1] J. Hopcroft and R. Tarjan, "Algorithm 447: efficient algorithms for graph manipulation",
       Communications of the ACM 16(6), 372-378 (1973).
    """
    gaps = []
    for (a, b), side in sorted(bridge_sides(graph.subgraph(own), at_least=2).items()):
        isolates = sorted(side)
        lost = len(isolates)
        es, en = sentence("gap.bridge", lost, pair=joined([name(graph, a), name(graph, b)]),
                          names=names(graph, isolates))
        gaps.append(Gap(kind="bridge", severity="high" if lost >= max(5, len(own) / 10) else "low", value=lost,
                        actors=[a, b], isolates=isolates, text_es=es, text_en=en))
    return gaps


def weak_national_connection(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """A region with fewer than two ties to national or international actors (never for the whole country).

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; ``graph.graph["region"]`` is None for the whole country.
    own : list of str
        The region's own actors (not read).
    figures : dict
        ``national_ties``: ties between the region's actors and national or international ones.

    Returns
    -------
    list of Gap
        None, or one: high without any such tie, medium with one; value the ties.

    Examples
    --------
    >>> region = nx.Graph(region="06")
    >>> [gap.text_es for gap in weak_national_connection(region, [], {"national_ties": 1})]
    ['La región tiene solo 1 vínculo con actores nacionales o internacionales.']
    >>> [gap.text_en for gap in weak_national_connection(region, [], {"national_ties": 0})]
    ['The region has no ties to national or international actors.']

    Notes
    -----
    Cost: O(1) (the ties are counted beforehand, in O(m)).
    """
    if graph.graph.get("region") is None:
        return []
    national = int(figures["national_ties"])  # type: ignore[call-overload]
    if national >= 2:
        return []
    es, en = (sentence("gap.weak_national_connection.none") if national == 0
              else sentence("gap.weak_national_connection", national))
    return [Gap(kind="weak_national_connection", severity="high" if national == 0 else "medium", value=national,
                actors=[], text_es=es, text_en=en)]


def missing_capability(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """The essential capabilities (:data:`ESSENTIAL_CAPABILITIES`) that no actor of the region offers.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; nodes may list their ``capabilities``.
    own : list of str
        The region's own actors.
    figures : dict
        Not read.

    Returns
    -------
    list of Gap
        One per missing capability, medium; value 0, subject the capability.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("unc", capabilities=["connectivity", "digital_skills", "e_government", "digital_payments",
    ...                                 "entrepreneurship", "research_innovation"])
    >>> for gap in missing_capability(g, ["unc"], {}):
    ...     print(gap.text_es, "/", gap.text_en)
    Ningún actor de la región ofrece comercio electrónico. / No actor in the region offers e-commerce.
    Ningún actor de la región ofrece datos y estadísticas. / No actor in the region offers data and statistics.

    Notes
    -----
    Cost: O(Σ capabilities of the region's actors).
    """
    offered = {c for a in own for c in graph.nodes[a].get("capabilities", [])}
    gaps = []
    for capability in ESSENTIAL_CAPABILITIES:
        if capability not in offered:
            es, en = sentence("gap.missing_capability", capability=lower_label("capability", capability))
            gaps.append(Gap(kind="missing_capability", severity="medium", value=0, subject=capability, actors=[],
                            text_es=es, text_en=en))
    return gaps


def missing_service(graph: nx.Graph, own: list[str], figures: dict[str, object]) -> list[Gap]:
    """The services a region should offer a group (:data:`GROUP_SERVICES`) that no actor of the region
    offers: no actor with both the capability and the group.

    Parameters
    ----------
    graph : networkx.Graph
        The region's graph; nodes may list their ``capabilities`` and ``target_groups``.
    own : list of str
        The region's own actors.
    figures : dict
        Not read.

    Returns
    -------
    list of Gap
        One per missing service, medium; value 0, subject ``"capability:group"``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("cite", capabilities=["digital_skills", "connectivity", "e_commerce"],
    ...            target_groups=["women", "youth", "indigenous", "rural", "msme"])
    >>> for gap in missing_service(g, ["cite"], {}):
    ...     print(gap.subject, gap.text_es)
    entrepreneurship:migrants Nadie en la región ofrece emprendimiento para personas migrantes.

    Notes
    -----
    Cost: O(n) per service, so O(n) in all.
    """
    gaps = []
    for capability, group in GROUP_SERVICES:
        if not any(capability in graph.nodes[a].get("capabilities", []) and group in
                   graph.nodes[a].get("target_groups", []) for a in own):
            es, en = sentence("gap.missing_service", capability=lower_label("capability", capability),
                              group=label("group_for", group))
            gaps.append(Gap(kind="missing_service", severity="medium", value=0, subject=f"{capability}:{group}",
                            actors=[], text_es=es, text_en=en))
    return gaps


RULES = (missing_sector, weak_sector_pair, isolated_actors, fragmentation, single_point_of_failure, bridge,
         weak_national_connection, missing_capability, missing_service)


def find_gaps(graph: nx.Graph, figures: dict[str, object]) -> list[Gap]:
    """All gaps of a region's graph (its own actors, plus outside partners), most severe first.

    ``figures`` is the output of :func:`ecograph.analysis.structure.structure` for the same graph.
    Every rule of :data:`RULES` runs in turn; the gaps are sorted by severity, kind, subject and
    actors. Cost: O(n + m); single points of failure and bridges come from one depth-first search
    each (:mod:`ecograph.analysis.cuts`).
    """
    own = local_actors(graph)
    if not own:
        return []
    gaps = [gap for rule in RULES for gap in rule(graph, own, figures)]
    return sorted(gaps, key=lambda g: (SEVERITY_ORDER[g.severity], g.kind, g.subject or "", g.actors))
