"""Where a region's ecosystem is broken, each finding in one sentence an officer understands (es and en)."""

from __future__ import annotations

import networkx as nx

from ecograph.analysis.cuts import bridges, cut_off
from ecograph.analysis.models import Gap
from ecograph.analysis.structure import CORE_SECTORS, local_actors

SECTOR_ES = {"academia": "la academia", "public": "el sector público", "private": "el sector privado",
             "civil_society": "la sociedad civil", "international": "la cooperación internacional"}
SECTOR_EN = {"academia": "academia", "public": "the public sector", "private": "the private sector",
             "civil_society": "civil society", "international": "international cooperation"}
CAPABILITY_ES = {"connectivity": "conectividad", "digital_skills": "habilidades digitales",
                 "e_government": "gobierno digital", "digital_payments": "pagos digitales",
                 "e_commerce": "comercio electrónico", "entrepreneurship": "emprendimiento",
                 "research_innovation": "investigación e innovación", "data_statistics": "datos y estadísticas",
                 "financing": "financiamiento", "policy": "políticas públicas", "cybersecurity": "ciberseguridad",
                 "e_learning": "educación virtual", "e_health": "salud digital",
                 "digital_agriculture": "agricultura digital"}
GROUP_ES = {"women": "mujeres", "migrants": "personas migrantes", "youth": "jóvenes",
            "indigenous": "pueblos indígenas", "rural": "población rural", "msme": "mypes"}
GROUP_EN = {"women": "women", "migrants": "migrants", "youth": "young people", "indigenous": "indigenous peoples",
            "rural": "rural people", "msme": "small businesses"}
ESSENTIAL_CAPABILITIES = ("connectivity", "digital_skills", "e_government", "digital_payments", "e_commerce",
                          "entrepreneurship", "research_innovation", "data_statistics")
# Services a region should offer a group: (capability, group).
GROUP_SERVICES = (("digital_skills", "women"), ("entrepreneurship", "migrants"), ("digital_skills", "youth"),
                  ("connectivity", "rural"), ("e_commerce", "msme"), ("digital_skills", "indigenous"))
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _names(graph: nx.Graph, actors: list[str], limit: int = 3) -> str:
    names = [graph.nodes[a].get("acronym") or graph.nodes[a]["name"] for a in actors[:limit]]
    more = len(actors) - limit
    return ", ".join(names) + (f" (+{more})" if more > 0 else "")


def find_gaps(graph: nx.Graph, figures: dict[str, object]) -> list[Gap]:
    """All gaps of a region's graph (its own actors, plus outside partners), most severe first.

    ``figures`` is the output of :func:`ecograph.analysis.structure.structure` for the same graph.
    Kinds: missing_sector, weak_sector_pair, isolated_actors, fragmentation, single_point_of_failure
    (an actor), bridge (a tie), weak_national_connection, missing_capability, missing_service.
    Cost: O(n + m); single points of failure and bridges come from one depth-first search each
    (:mod:`ecograph.analysis.cuts`).
    """
    own = local_actors(graph)
    inner = graph.subgraph(own)
    gaps: list[Gap] = []
    if not own:
        return gaps
    present = figures["by_sector"]
    assert isinstance(present, dict)
    for sector in (*CORE_SECTORS, "civil_society"):
        if sector not in present:
            gaps.append(Gap(kind="missing_sector", severity="high" if sector in CORE_SECTORS else "medium",
                            value=0, subject=sector, actors=[],
                            text_es=f"No hay ningún actor de {SECTOR_ES[sector]} en la región.",
                            text_en=f"The region has no actor from {SECTOR_EN[sector]}."))
    mixing = figures["mixing"]
    assert isinstance(mixing, dict)
    core_present = [s for s in CORE_SECTORS if s in present]
    for i, s in enumerate(core_present):
        for t in core_present[i + 1:]:
            cell = mixing[s][t]
            observed, expected = cell["observed"], cell["expected"]
            if observed == 0 or observed < expected / 2:
                members = sorted(a for a in own if graph.nodes[a]["sector"] in (s, t))
                gaps.append(Gap(
                    kind="weak_sector_pair", severity="high" if observed == 0 else "medium", value=observed,
                    subject=f"{s}-{t}", actors=members,
                    text_es=f"Entre {SECTOR_ES[s]} y {SECTOR_ES[t]} hay {int(observed)} vínculos; "
                            f"con una mezcla al azar se esperarían {expected:.1f}.",
                    text_en=f"{SECTOR_EN[s].capitalize()} and {SECTOR_EN[t]} share {int(observed)} ties; "
                            f"random mixing would give {expected:.1f}."))
    isolates = figures["isolates"]
    assert isinstance(isolates, list)
    if isolates:
        gaps.append(Gap(kind="isolated_actors", severity="high" if len(isolates) > len(own) / 5 else "medium",
                        value=len(isolates), actors=isolates,
                        text_es=f"{len(isolates)} actores no colaboran con nadie de la región: "
                                f"{_names(graph, isolates)}.",
                        text_en=f"{len(isolates)} actors work with no one in the region: {_names(graph, isolates)}."))
    share = float(figures["fragmentation"])  # type: ignore[arg-type]
    if figures["components"] > 1 and share > 0.1:  # type: ignore[operator]
        gaps.append(Gap(kind="fragmentation", severity="high" if share > 0.3 else "medium", value=round(share, 3),
                        actors=[],
                        text_es=f"El ecosistema está dividido en {figures['components']} grupos sin contacto; "
                                f"el {share:.0%} de los actores queda fuera del grupo principal.",
                        text_en=f"The ecosystem is split into {figures['components']} groups with no contact; "
                                f"{share:.0%} of actors are outside the main one."))
    lost_without = cut_off(inner)
    for actor in sorted(a for a, lost in lost_without.items() if lost >= 2):
        lost, name = lost_without[actor], _names(graph, [actor])
        gaps.append(Gap(kind="single_point_of_failure", severity="high" if lost >= max(5, len(own) / 10)
                        else "low", value=lost, actors=[actor],
                        text_es=f"Si {name} se retira, {lost} actores pierden su conexión con el resto.",
                        text_en=f"If {name} leaves, {lost} actors lose their connection to the rest."))
    for (a, b), lost in sorted(bridges(inner).items()):
        if lost >= 2:
            first, second = _names(graph, [a]), _names(graph, [b])
            gaps.append(Gap(kind="bridge", severity="high" if lost >= max(5, len(own) / 10) else "low", value=lost,
                            actors=[a, b],
                            text_es=f"La colaboración entre {first} y {second} es el único puente entre dos partes "
                                    f"del ecosistema: si termina, {lost} actores pierden su conexión con el resto.",
                            text_en=f"The collaboration between {first} and {second} is the only bridge between two "
                                    f"parts of the ecosystem: if it ends, {lost} actors lose their connection to the "
                                    "rest."))
    if graph.graph.get("region") is not None:
        national = int(figures["national_ties"])  # type: ignore[call-overload]
        if national < 2:
            gaps.append(Gap(kind="weak_national_connection", severity="high" if national == 0 else "medium",
                            value=national, actors=[],
                            text_es=f"La región tiene {national} vínculos con actores nacionales o internacionales.",
                            text_en=f"The region has {national} ties to national or international actors."))
    offered = {c for a in own for c in graph.nodes[a].get("capabilities", [])}
    for capability in ESSENTIAL_CAPABILITIES:
        if capability not in offered:
            gaps.append(Gap(kind="missing_capability", severity="medium", value=0, subject=capability, actors=[],
                            text_es=f"Ningún actor de la región ofrece {CAPABILITY_ES[capability]}.",
                            text_en=f"No actor in the region offers {capability.replace('_', ' ')}."))
    for capability, group in GROUP_SERVICES:
        if not any(capability in graph.nodes[a].get("capabilities", []) and group in
                   graph.nodes[a].get("target_groups", []) for a in own):
            gaps.append(Gap(kind="missing_service", severity="medium", value=0, subject=f"{capability}:{group}",
                            actors=[],
                            text_es=f"Nadie en la región ofrece {CAPABILITY_ES[capability]} para {GROUP_ES[group]}.",
                            text_en=f"No one in the region offers {capability.replace('_', ' ')} "
                                    f"for {GROUP_EN[group]}."))
    return sorted(gaps, key=lambda g: (SEVERITY_ORDER[g.severity], g.kind, g.subject or "", g.actors))
