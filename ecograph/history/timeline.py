"""Which ties and actors are in force on a date: the one rule behind every "as of" result.

**The rule.** A tie is in force on a date D (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; dates compare by their shared
precision, so "2022" covers every day of 2022) when

- its status is ``active`` or ``ended`` (a ``planned`` tie is in force on no date),
- its start is on or before D, and a tie **without a start date counts from the beginning** (it is as old as the
  data can tell: the undated rule),
- its end is on or after D, or it has none; an ``ended`` tie without an end date ends with its start (and without
  either date it is in force on no date).

An actor is present on D when one of its ties is in force on D, or when it has no ties at all (nothing dates it).
Every result computed as of a date states this rule (the message ``history.rule``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

RULE = "history.rule"
"""The message that states the rule, in both languages, in every result computed as of a date."""


def _shared(first: str, second: str) -> int:
    return min(len(first), len(second))


def in_force(start: str | None, end: str | None, status: str, date: str) -> bool:
    """Whether a tie with these dates and status is in force on ``date`` (the module's rule).

    Parameters
    ----------
    start, end : str or None
        The tie's partial dates.
    status : str
        ``active``, ``planned`` or ``ended``.
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Examples
    --------
    >>> in_force("2020", None, "active", "2022"), in_force("2023-05", None, "active", "2023")
    (True, True)
    >>> in_force(None, "2021", "ended", "2020"), in_force("2019", None, "ended", "2020")
    (True, False)
    >>> in_force("2019", None, "planned", "2024"), in_force("2018", "2020-06", "active", "2021")
    (False, False)

    Notes
    -----
    Cost: O(1). Deterministic.
    """
    if status == "planned":
        return False
    if status == "ended" and end is None:
        if start is None:
            return False
        end = start
    if start is not None and start[:_shared(start, date)] > date[:_shared(start, date)]:
        return False
    return end is None or end[:_shared(end, date)] >= date[:_shared(end, date)]


def tie_in_force(data: Mapping[str, Any], date: str) -> bool:
    """:func:`in_force` for a tie's attributes (a graph edge's data, or a record's fields)."""
    return in_force(data.get("start"), data.get("end"), data["status"], date)


def as_of(graph: nx.MultiDiGraph, date: str) -> nx.MultiDiGraph:
    """The part of ``graph`` in force on ``date``: its ties in force, and its actors that have one (or no tie at all).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A region's (or the country's) graph, as :func:`ecograph.graph.build_graph` makes it.
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with the same graph attributes, plus ``as_of``.

    Examples
    --------
    >>> g = nx.MultiDiGraph(region="06")
    >>> g.add_nodes_from(["a", "b", "c", "d"])
    >>> _ = g.add_edge("a", "b", key="ab", start="2019", status="active")
    >>> _ = g.add_edge("b", "c", key="bc", start="2023", status="active")
    >>> sorted(as_of(g, "2020")), sorted(as_of(g, "2024"))
    (['a', 'b', 'd'], ['a', 'b', 'c', 'd'])

    Notes
    -----
    Cost: O(n + m). Deterministic: nodes and edges keep their order.
    """
    result = graph.copy()
    result.graph["as_of"] = date
    result.remove_edges_from([(u, v, key) for u, v, key, data in graph.edges(keys=True, data=True)
                              if not tie_in_force(data, date)])
    result.remove_nodes_from([node for node in graph if result.degree(node) == 0 and graph.degree(node) > 0])
    return result


def years(graph: nx.MultiDiGraph) -> list[int]:
    """The years the ties of ``graph`` name (their starts and ends), sorted: the stops of the region page's slider.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", start="2019-05", end="2021", status="ended")
    >>> _ = g.add_edge("b", "c", start=None, status="active")
    >>> years(g)
    [2019, 2020, 2021]

    Years between the first and the last are included, so the slider moves one year at a time. Cost: O(m).
    """
    named = {int(str(value)[:4]) for _, _, data in graph.edges(data=True)
             for value in (data.get("start"), data.get("end")) if value}
    return list(range(min(named), max(named) + 1)) if named else []
