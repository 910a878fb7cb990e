"""Node and edge tables: Gephi's CSV tables (Data Laboratory's export: ``Id, Label, ...`` and ``Source,
Target, Type, Id, Label, Weight ...``), and the nodes and edges of a GraphML or GEXF file once read
(:mod:`ecograph.formats.graphs`).

Nodes are actors, edges ties. ``Label`` is the actor's name; ``Source`` and ``Target`` name nodes by ``Id``, and
the actor ids follow :func:`ecograph.formats.maps.actor_id`. Gephi's ``Type`` column (``Directed``,
``Undirected``) says how Gephi draws an edge, not what kind of tie it is: it is not read (in ecograph a tie's type
says whether it has a direction); a ``Type`` column holding tie types (``agreement``, ``convenio`` ...) is read as
the tie type. Gephi's own columns (``timeset``, positions, colours, sizes) are not read; its computed columns
(``modularity_class``, ``Degree`` ...) are reported as unknown columns.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ecograph.formats.maps import GENERATED_ID, actor_id, drop, finish_actors, put, rename
from ecograph.formats.regions import Known
from ecograph.formats.tables import Problem, RawTable, header_of
from ecograph.model import TIE_ID, fold

NODE_NAMES = ("nodes", "nodos", "node", "nodo", "vertices")
EDGE_NAMES = ("edges", "aristas", "enlaces", "edge", "arista", "links")
DIRECTEDNESS = frozenset({"directed", "undirected", "mutual", "mixed", "dirigido", "no_dirigido", "dirigida",
                          "no_dirigida", "mixto"})
OWN_COLUMNS = frozenset({"timeset", "interval", "intervalo", "x", "y", "z", "size", "color", "r", "g", "b", "viz",
                         "shape_type", "pid", "directed", "kind"})


def table_of(name: str, headers: list[str]) -> str | None:
    """Whether a CSV file is Gephi's node table (``actors``) or edge table (``collaborations``), or neither."""
    stem = fold(Path(name).stem)
    folded = {fold(header) for header in headers}
    if stem in EDGE_NAMES or any(stem.endswith(f"_{word}") or stem.startswith(f"{word}_") for word in EDGE_NAMES):
        return "collaborations"
    if stem in NODE_NAMES or any(stem.endswith(f"_{word}") or stem.startswith(f"{word}_") for word in NODE_NAMES):
        return "actors"
    if {"source", "target"} <= folded:
        return "collaborations"
    if "id" in folded and "label" in folded:
        return "actors"
    return None


def adapt(tables: dict[str, RawTable], known: Known, own: bool = False) -> list[Problem]:
    """Nodes and edges as ecograph's actors and ties (see the module docstring). ``own``: a graph ecograph wrote,
    whose node ids are actor ids already and which carries its own regions."""
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    nodes = tables.get("actors")
    if nodes is not None:
        _nodes(nodes, ids, own)
        if not own:
            problems += finish_actors(nodes, known)
    edges = tables.get("collaborations")
    if edges is not None:
        _edges(edges, ids, own)
    return problems


def _own(table: RawTable) -> list[str]:
    return [h for h in table.headers if fold(h) in OWN_COLUMNS and h not in table.sources]


def _nodes(table: RawTable, ids: dict[str, str], own: bool) -> None:
    node = header_of("actors", table.headers, "id")
    label = next((h for h in table.headers if fold(h) in ("label", "etiqueta")), None)
    name = header_of("actors", table.headers, "name")
    if node is not None:
        mapped = bool(table.sources.get("id"))
        values: dict[int | str, Any] = {}
        for number, row in table.rows:
            written = str(row.get(node) or "").strip()
            values[number] = written if own or mapped else actor_id(written, row.get(label) if label else "")
            ids[written] = str(values[number])
        put(table, "id", values, node)
        if node != "id":
            drop(table, node)
    if label is not None:
        if name is None:
            rename(table, label, "name")
        elif all(str(row.get(label) or "").strip() in ("", str(row.get(name) or "").strip())
                 for _, row in table.rows):
            drop(table, label)  # the label only repeats the name
    drop(table, *_own(table))


def _edges(table: RawTable, ids: dict[str, str], own: bool) -> None:
    for end in ("source", "target"):
        header = header_of("collaborations", table.headers, end)
        if header is None:
            continue
        put(table, end, {number: ids.get(str(row.get(header) or "").strip(), row.get(header))
                         for number, row in table.rows}, header)
        if header != end:
            drop(table, header)
    for header in list(table.headers):
        values = {fold(str(row.get(header) or "")) for _, row in table.rows} - {""}
        if fold(header) == "type" and values and values <= DIRECTEDNESS:
            drop(table, header)  # Gephi's edge direction, not the kind of tie
    kind = header_of("collaborations", table.headers, "type", "relation", "relacion", "tipo_de_vinculo")
    if kind is not None and kind != "type":
        rename(table, kind, "type")
    edge = header_of("collaborations", table.headers, "id")
    if edge is not None and not own and not table.sources.get("id"):
        kept = {number: row.get(edge) if re.match(TIE_ID, str(row.get(edge) or "")) and not GENERATED_ID.match(
            str(row.get(edge))) else "" for number, row in table.rows}
        put(table, "id", kept, edge)
        if edge != "id":
            drop(table, edge)
    label = next((h for h in table.headers if fold(h) in ("label", "etiqueta")), None)
    if label is not None and all(not str(row.get(label) or "").strip() for _, row in table.rows):
        drop(table, label)
    drop(table, *_own(table))
