"""Write a dataset (or its graph) to CSV, xlsx, JSON, GraphML, GEXF or Cytoscape.js JSON.

CSV, xlsx and JSON hold the whole dataset and read back identically (see :mod:`ecograph.readers`).
GraphML and GEXF hold the graph of actors and ties for network tools (Gephi, Gephi Lite, yEd, networkx, igraph):
list attributes become ``;``-separated text and empty values are left out, as those formats require. They carry
the dataset's regions and indicators too (a GraphML graph attribute, a GEXF processing instruction named
``ecograph-dataset``), so they also read back as the identical dataset. GEXF is written by
:mod:`ecograph.formats.gexf` (GEXF 1.2, valid against the official schema).
Cytoscape.js JSON is the graph as the API's graph endpoint serves it with ``format=cytoscape``: every actor and
tie with their attributes, the per-actor measures, the community and the seeded layout (:func:`graph_document`,
:func:`cytoscape`).

A CSV or xlsx cell that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return; OWASP's "CSV injection") is written with a leading ``'``, which
spreadsheets show as text; the readers take that quote off again (:func:`neutralize`, :func:`restore`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl

from ecograph.model import TABLES, Dataset, Record

DATASET_FORMATS = ("csv", "xlsx", "json")
GRAPH_FORMATS = ("graphml", "gexf")
FORMATS = (*DATASET_FORMATS, *GRAPH_FORMATS, "cytoscape")
PIXELS = 500
"""Cytoscape positions are the layout's x and y (in [-1, 1]) times this."""
ACTOR_FIELDS = ("name", "acronym", "sector", "type", "region", "scope", "website", "description", "source")
TIE_FIELDS = ("type", "weight", "start", "end", "status", "program", "evidence")

# Any run of quotes before the trigger counts, so a value that itself starts with "'=" also gets one more
# quote and restore() gives back exactly what was written.
FORMULA = re.compile(r"^'*[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def neutralize(text: str) -> str:
    """``text`` as a spreadsheet cell that is never run as a formula: ``'`` before a formula-like start.

    Numbers (``-7.15``) stay as they are: a spreadsheet reads them as numbers, never as formulas.

    >>> neutralize("=1+1"), neutralize("@SUM(A1)"), neutralize("-7.15"), neutralize("Cusco")
    ("'=1+1", "'@SUM(A1)", '-7.15', 'Cusco')
    """
    return "'" + text if FORMULA.match(text) and not NUMBER.match(text) else text


def restore(text: str) -> str:
    """The value :func:`neutralize` was given (a cell without its added ``'``).

    >>> restore(neutralize("=1+1")), restore(neutralize("'=1+1")), restore("'Cusco")
    ('=1+1', "'=1+1", "'Cusco")
    """
    return text[1:] if text.startswith("'") and FORMULA.match(text[1:]) and not NUMBER.match(text[1:]) else text


def columns(table: str) -> list[str]:
    return list(TABLES[table].model_fields)


def cell(value: Any) -> str:
    """A field value as spreadsheet text: lists joined with ``;``, booleans as true/false, None empty, and
    nothing a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralize(";".join(value) if isinstance(value, list) else str(value))


def rows(dataset: Dataset, table: str) -> list[list[str]]:
    records: list[Record] = dataset.table(table)
    return [[cell(getattr(record, name)) for name in columns(table)] for record in records]


def write_csv(dataset: Dataset, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = folder / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns(table))
            writer.writerows(rows(dataset, table))
        written.append(path)
    return written


def write_xlsx(dataset: Dataset, path: Path) -> list[Path]:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in TABLES:
        sheet = workbook.create_sheet(table)
        sheet.append(columns(table))
        for row in rows(dataset, table):
            sheet.append(row)  # all text, so "06" keeps its zero
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return [path]


def write_json(dataset: Dataset, path: Path) -> list[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataset.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return [path]


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML and GEXF can hold: no None, lists as ``;``-text."""

    def flat(data: dict[str, Any]) -> dict[str, Any]:
        return {key: ";".join(value) if isinstance(value, list) else value
                for key, value in data.items() if value is not None}

    copy = nx.MultiDiGraph(**flat(graph.graph))
    copy.add_nodes_from((node, flat(data)) for node, data in graph.nodes(data=True))
    copy.add_edges_from((u, v, key, flat(data)) for u, v, key, data in graph.edges(keys=True, data=True))
    return copy


def write_graph(graph: nx.MultiDiGraph, path: Path, format: str, dataset: Dataset | None = None) -> list[Path]:
    """``graph`` as GraphML or GEXF at ``path``, carrying ``dataset``'s regions and indicators when given."""
    from ecograph.formats import gexf

    if format == "gexf":
        return gexf.write(graph, path, dataset)
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = flat_graph(graph)
    if dataset is not None:
        flat.graph[gexf.TABLES_KEY] = gexf.tables_json(dataset)
    nx.write_graphml(flat, path, encoding="utf-8")
    return [path]


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def graph_document(prepared: Any) -> dict[str, Any]:
    """The node-link JSON of a prepared graph (:class:`ecograph.service.Prepared`), unfiltered, exactly as
    ``GET /api/v1/graph`` (or ``/regions/{code}/graph``) serves it: every actor with its attributes, measures,
    community and layout position, every tie."""
    from ecograph.service import MAP_MEASURES

    g = prepared.graph
    region = g.graph.get("region")
    measures, communities = prepared.measures, prepared.communities
    nodes = []
    for node in g.nodes:
        data = g.nodes[node]
        x, y = prepared.positions.get(node, (0.0, 0.0))
        nodes.append({"id": node, **{key: data.get(key) for key in ACTOR_FIELDS},
                      "capabilities": list(data.get("capabilities") or []),
                      "target_groups": list(data.get("target_groups") or []),
                      "illustrative": bool(data.get("illustrative")),
                      "local": region is None or data.get("region") == region,
                      "community": communities.get(node),
                      "measures": {name: _clean(value) for name, value in measures.get(node, {}).items()},
                      "x": x, "y": y})
    edges = [{"id": key, "source": u, "target": v, **{name: d.get(name) for name in TIE_FIELDS},
              "illustrative": bool(d.get("illustrative")), "directed": bool(d.get("directed")),
              "recommended": False, "reason": None} for u, v, key, d in g.edges(keys=True, data=True)]
    info = {"region": region, "dataset_version": prepared.version, "nodes": len(nodes), "edges": len(edges),
            "layout": prepared.layout, "measures": list(MAP_MEASURES)}
    return {"directed": True, "multigraph": True, "graph": info, "nodes": nodes, "edges": edges}


def cytoscape(node_link: dict[str, Any]) -> dict[str, Any]:
    """Node-link JSON as Cytoscape.js elements (``cy.json(document)``), positions in pixels."""
    return {"data": node_link["graph"], "directed": True, "multigraph": True, "elements": {
        "nodes": [{"data": node, "position": {"x": round(node["x"] * PIXELS, 1), "y": round(node["y"] * PIXELS, 1)}}
                  for node in node_link["nodes"]],
        "edges": [{"data": edge} for edge in node_link["edges"]]}}


def json_bytes(document: Any) -> bytes:
    """Compact UTF-8 JSON, as the API sends it."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def write_cytoscape(prepared: Any, path: Path) -> list[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_bytes(cytoscape(graph_document(prepared))))
    return [path]


def export(dataset: Dataset, graph: nx.MultiDiGraph | None, path: Path, format: str,
           prepared: Any = None) -> list[Path]:
    """Write ``dataset`` (csv, xlsx, json), ``graph`` (graphml, gexf, with the dataset's regions and indicators) or
    the ``prepared`` graph (cytoscape) at ``path``; the files written."""
    if format == "csv":
        return write_csv(dataset, path)
    if format == "xlsx":
        return write_xlsx(dataset, path)
    if format == "json":
        return write_json(dataset, path)
    if format in GRAPH_FORMATS and graph is not None:
        return write_graph(graph, path, format, dataset)
    if format == "cytoscape" and prepared is not None:
        return write_cytoscape(prepared, path)
    raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")


def export_bytes(dataset: Dataset, graph: nx.MultiDiGraph | None, format: str) -> bytes:
    """What :func:`export` writes in ``format``, as one file's bytes: for ``csv``, a zip of the table files.

    >>> export_bytes(Dataset(), None, "json")[:1]
    b'{'
    """
    with tempfile.TemporaryDirectory(prefix="ecograph-export-") as folder:
        target = Path(folder) / ("dataset" if format == "csv" else f"dataset.{format}")
        written = export(dataset, graph, target, format)
        if format != "csv":
            return target.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
        return buffer.getvalue()
