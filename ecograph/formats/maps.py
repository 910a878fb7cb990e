"""What maps from other tools (Kumu, Gephi, GraphML and GEXF files) share once read as tables.

Such a map names its actors by a label, not by an ecograph id; rarely says an actor's scope; and writes regions
by name. Here, after the mapping step (:mod:`ecograph.formats.mapping`):

- an actor's id is its node id when that is already a fine ecograph id (lowercase letters, digits and dashes,
  with a letter, and not a generated ``n12``), else the slug of its label (:func:`ecograph.model.slugify`);
- a region written by name or code is read as its code (:mod:`ecograph.formats.regions`);
- when there is no scope column (or an actor's scope is empty), an actor with a region is ``regional`` and one
  without is ``national`` (a warning says so).
"""

from __future__ import annotations

import re
from typing import Any

from ecograph.formats.regions import Known, resolve
from ecograph.formats.tables import WARNING, Problem, RawTable, header_of
from ecograph.model import ACTOR_ID, slugify

GENERATED_ID = re.compile(r"^(?:\d+|[ne]\d+)$")
"""Ids tools make up (Gephi's and networkx's numbers, yEd's n0, n1 ...): they say nothing, the label does."""
REGION_SPELLINGS = ("departamento", "department", "region_name", "nombre_region")


def actor_id(node: Any, label: Any) -> str:
    """The ecograph id of a node: its own id when it is a fine one, else the slug of its label.

    >>> actor_id("n0", "Universidad Nacional de Cajamarca"), actor_id("unc", "Universidad"), actor_id("12", "")
    ('universidad-nacional-de-cajamarca', 'unc', '12')
    """
    own = str(node if node is not None else "").strip()
    if re.match(ACTOR_ID, own) and not GENERATED_ID.match(own):
        return own
    return slugify(str(label or "")) or own


def rename(table: RawTable, header: str, name: str) -> None:
    """Read column ``header`` as field ``name`` (problems still name ``header``)."""
    if header == name:
        return
    table.headers = [name if h == header else h for h in table.headers if h != name]
    table.rows = [(number, {(name if h == header else h): value for h, value in row.items() if h != name})
                  for number, row in table.rows]
    table.sources[name] = table.column(header)


def put(table: RawTable, name: str, values: dict[int | str, Any], source: str | None = None) -> None:
    """Set field ``name`` of each row to ``values[row]`` (read from column ``source``, for problems)."""
    if name not in table.headers:
        table.headers.append(name)
    for number, row in table.rows:
        row[name] = values.get(number, "")
    if source is not None:
        table.sources[name] = table.column(source)


def drop(table: RawTable, *headers: str | None) -> None:
    """Leave these columns unread, without a warning: they are the other tool's own (positions, directions)."""
    gone = {header for header in headers if header is not None}
    table.headers = [h for h in table.headers if h not in gone]
    table.rows = [(number, {h: v for h, v in row.items() if h not in gone}) for number, row in table.rows]


def finish_actors(table: RawTable, known: Known) -> list[Problem]:
    """Regions by code or name; the scope derived when the map has none."""
    problems: list[Problem] = []
    region = header_of("actors", table.headers, "region", *REGION_SPELLINGS)
    if region is not None:
        rename(table, region, "region")
        for _, row in table.rows:
            row["region"] = resolve(row.get("region"), known.regions)
    scope = header_of("actors", table.headers, "scope")
    if scope is None and table.rows:
        put(table, "scope", {number: _scope(row) for number, row in table.rows})
        problems.append(Problem.at(table.label, 1, "scope", "problem.scope_derived", WARNING))
    elif scope is not None:
        for number, row in table.rows:
            if not str(row.get(scope) or "").strip():
                row[scope] = _scope(row)
                problems.append(Problem.at(table.label, number, table.column(scope), "problem.scope_derived_row",
                                           WARNING, scope=row[scope]))
    return problems


def _scope(row: dict[str, Any]) -> str:
    return "regional" if str(row.get("region") or "").strip() else "national"
