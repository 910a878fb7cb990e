"""Write a dataset (or its graph) to CSV, xlsx, JSON, GraphML or GEXF.

CSV, xlsx and JSON hold the whole dataset and read back identically (see :mod:`ecograph.readers`).
GraphML and GEXF hold the graph of actors and ties for network tools (Gephi, networkx, igraph):
list attributes become ``;``-separated text and empty values are left out, as those formats require.

A CSV or xlsx cell that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return; OWASP's "CSV injection") is written with a leading ``'``, which
spreadsheets show as text; the readers take that quote off again (:func:`neutralize`, :func:`restore`).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl

from ecograph.model import TABLES, Dataset, Record

DATASET_FORMATS = ("csv", "xlsx", "json")
GRAPH_FORMATS = ("graphml", "gexf")
FORMATS = DATASET_FORMATS + GRAPH_FORMATS

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


def write_graph(graph: nx.MultiDiGraph, path: Path, format: str) -> list[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = flat_graph(graph)
    if format == "graphml":
        nx.write_graphml(flat, path, encoding="utf-8")
    else:
        nx.write_gexf(flat, path, encoding="utf-8")
    return [path]


def export(dataset: Dataset, graph: nx.MultiDiGraph | None, path: Path, format: str) -> list[Path]:
    """Write ``dataset`` (csv, xlsx, json) or ``graph`` (graphml, gexf) at ``path``; the files written."""
    if format == "csv":
        return write_csv(dataset, path)
    if format == "xlsx":
        return write_xlsx(dataset, path)
    if format == "json":
        return write_json(dataset, path)
    if format in GRAPH_FORMATS and graph is not None:
        return write_graph(graph, path, format)
    raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
