"""GraphML and GEXF files as node and edge tables: as Gephi, Gephi Lite, yEd, networkx and ecograph write them.

networkx's readers do the reading (``nx.parse_graphml``, networkx's GEXF reader). They refuse graphs that mix
directed and undirected edges, which Gephi and ecograph write (in ecograph only funding and service ties are
directed); since in ecograph a tie's type says whether it has a direction, the edges' own direction is taken off
before networkx reads them. GEXF 1.1, 1.2 (draft or final, as ecograph writes it) and 1.3 are read.

A file ecograph wrote carries its regions and indicators too (a GraphML graph attribute, a GEXF processing
instruction, both named :data:`TABLES_KEY`), so it reads back as the identical dataset. A file that is not
well-formed XML is a problem at its line and column; one that declares a DOCTYPE (entities, external
references) is refused unread, for safety.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFReader

from ecograph.formats.gexf import TABLES_KEY
from ecograph.formats.tables import InvalidDataset, Problem, RawTable, records_table

GEXF_DRAFT = "http://www.gexf.net/1.2draft"
EDGE_DIRECTIONS = frozenset({"directed", "undirected", "mutual"})
EDGE_KIND = "ecograph-edge-type"
NETWORKX_GEXF_TYPES = {"integer", "long", "float", "double", "boolean", "string", "liststring", "anyURI"}
DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def read(path: Path) -> tuple[dict[str, RawTable], bool]:
    """The nodes (``actors``) and edges (``collaborations``) of a GraphML or GEXF file, its regions and indicators
    when ecograph wrote it, and whether it did."""
    content = path.read_bytes()
    found = DOCTYPE.search(content)
    if found:
        line = content[:found.start()].count(b"\n") + 1
        raise InvalidDataset([Problem.at(path.name, line, "-", "problem.xml_doctype")])
    try:
        root = ET.fromstring(content, parser=ET.XMLParser(target=ET.TreeBuilder(insert_pis=True)))
    except ET.ParseError as error:
        line, column = error.position
        raise InvalidDataset([Problem.at(path.name, line, str(column + 1), "problem.xml_unreadable")]) from None
    kind = _local(root.tag)
    if kind not in ("graphml", "gexf"):
        raise InvalidDataset([Problem.at(path.name, 1, "-", "problem.not_a_graph", element=kind)])
    try:
        graph, embedded = _graphml(root) if kind == "graphml" else _gexf(root)
    except (nx.NetworkXError, ValueError, KeyError, TypeError, IndexError) as error:
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.graph_unreadable",
                                         reason=str(error)[:200] or type(error).__name__)]) from None
    tables = _tables(path.name, graph)
    if embedded is not None:
        try:
            document = json.loads(embedded)
            for table in ("regions", "indicators"):
                records = document.get(table, [])
                if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
                    raise ValueError(table)
                tables[table] = records_table(f"{path.name}[{table}]", records)
        except (ValueError, AttributeError):
            raise InvalidDataset([Problem.at(path.name, 0, TABLES_KEY, "problem.graph_tables_unreadable")]) from None
    return tables, embedded is not None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _graphml(root: ET.Element) -> tuple[nx.MultiDiGraph, str | None]:
    for graph in root.iter():
        if _local(graph.tag) == "graph":
            graph.set("edgedefault", "directed")
        elif _local(graph.tag) == "edge":
            graph.attrib.pop("directed", None)
    found = nx.parse_graphml(ET.tostring(root), node_type=str, edge_key_type=str, force_multigraph=True)
    embedded = found.graph.pop(TABLES_KEY, None)
    return found, embedded if isinstance(embedded, str) else None


def _gexf(root: ET.Element) -> tuple[nx.MultiDiGraph, str | None]:
    embedded = next((child.text for child in root if child.tag is ET.ProcessingInstruction
                     and (child.text or "").startswith(TABLES_KEY + " ")), None)
    kinds: list[tuple[ET.Element, str]] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element.tag)
        space = element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""
        element.tag = f"{{{GEXF_DRAFT}/viz}}{name}" if space.endswith("/viz") else f"{{{GEXF_DRAFT}}}{name}"
        if name == "graph":
            element.set("defaultedgetype", "directed")
        elif name == "edge":
            kind = element.attrib.pop("type", None)
            if kind is not None and kind not in EDGE_DIRECTIONS:  # networkx writes a "type" attribute there
                kinds.append((element, kind))
        elif name == "attribute" and element.get("type") not in NETWORKX_GEXF_TYPES:
            element.set("type", "string")
    if kinds:
        _edge_kinds(root, kinds)
    graph = GEXFReader(node_type=None, version="1.2draft")(io.BytesIO(ET.tostring(root)))
    return graph, embedded[len(TABLES_KEY) + 1:] if embedded is not None else None


def _edge_kinds(root: ET.Element, kinds: list[tuple[ET.Element, str]]) -> None:
    """Keep the edge ``type`` values that are not directions (networkx and older ecograph exports put the tie type
    there) as a declared edge attribute ``type``."""
    graph = root.find(f"{{{GEXF_DRAFT}}}graph")
    if graph is None:
        return
    declared = next((element for element in graph.findall(f"{{{GEXF_DRAFT}}}attributes")
                     if element.get("class") == "edge"), None)
    if declared is None:
        declared = ET.Element(f"{{{GEXF_DRAFT}}}attributes", {"class": "edge", "mode": "static"})
        graph.insert(0, declared)
    ET.SubElement(declared, f"{{{GEXF_DRAFT}}}attribute", {"id": EDGE_KIND, "title": "type", "type": "string"})
    for edge, kind in kinds:
        values = edge.find(f"{{{GEXF_DRAFT}}}attvalues")
        if values is None:
            values = ET.SubElement(edge, f"{{{GEXF_DRAFT}}}attvalues")
        ET.SubElement(values, f"{{{GEXF_DRAFT}}}attvalue", {"for": EDGE_KIND, "value": kind})


def _text(value: Any) -> str | None:
    """An attribute as a cell: lists ``;``-joined, booleans true/false, whole numbers without ``.0``; None for
    what is no cell (a drawing's position or colour)."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tables(name: str, graph: nx.Graph) -> dict[str, RawTable]:
    node_headers: dict[str, None] = {"id": None}
    node_rows: list[tuple[int | str, dict[str, Any]]] = []
    for node, data in graph.nodes(data=True):
        row = {"id": str(node)}
        for key, value in data.items():
            text = _text(value)
            if text is not None and key != "id":
                node_headers.setdefault(key)
                row[key] = text
        node_rows.append((str(node), row))
    edge_headers: dict[str, None] = {"id": None, "source": None, "target": None}
    edge_rows: list[tuple[int | str, dict[str, Any]]] = []
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else (
        (u, v, None, d) for u, v, d in graph.edges(data=True))
    for source, target, key, data in edges:
        edge_id = data.get("id", key if isinstance(key, str) else None)
        row = {"id": str(edge_id or ""), "source": str(source), "target": str(target)}
        for attribute, value in data.items():
            text = _text(value)
            if text is not None and attribute not in ("id", "source", "target"):
                edge_headers.setdefault(attribute)
                row[attribute] = text
        edge_rows.append((str(edge_id) if edge_id else f"{source}→{target}", row))
    return {"actors": RawTable(f"{name}[nodes]", list(node_headers), node_rows),
            "collaborations": RawTable(f"{name}[edges]", list(edge_headers), edge_rows)}
