"""GEXF 1.2 as Gephi and Gephi Lite open it, valid against the official schema (``http://www.gexf.net/1.2``;
the schema files are in ``tests/data/gexf/``, which checks every export against them).

- Ties are undirected (``defaultedgetype="undirected"``) except funding and service ties, which say
  ``type="directed"``: the source gives, the target receives.
- A node's ``label`` is the actor's name; an edge's ``weight`` the tie's strength (1-5).
- Every other field is a declared attribute column (``<attributes class="node">``, ``class="edge"``): the tie's
  type is the edge attribute ``tie_type`` (GEXF's own edge ``type`` means directed or not), its dates the
  attributes ``start`` and ``end`` (text: ``2021``, ``2021-05`` or ``2021-05-17``), not GEXF's dynamic spells.
  Lists are ``;``-separated text; empty values are left out.
- The dataset's regions and indicators ride along as JSON in a processing instruction (``<?ecograph-dataset
  ...?>``), which schema validators and other tools pass over, so ecograph reads the file back as the identical
  dataset (:mod:`ecograph.formats.graphs`).

The 1.3 schema published by the GEXF project does not compile (its ``graph``, ``node`` and ``edge`` types are
missing: gephi/gexf issue 19), so there is no official schema to check a 1.3 file against; Gephi reads 1.2.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx

from ecograph.model import Actor, Collaboration, Dataset

TABLES_KEY = "ecograph-dataset"
"""Where ecograph's graph files keep the dataset's regions and indicators (JSON): a GraphML graph attribute, a GEXF
processing instruction."""
NS = "http://www.gexf.net/1.2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NODE_FIELDS = [name for name in Actor.model_fields if name not in ("id", "name")]
EDGE_FIELDS = {name: "tie_type" if name == "type" else name for name in Collaboration.model_fields
               if name not in ("id", "source", "target", "weight")}
TYPES = {"illustrative": "boolean"}


def tables_json(dataset: Dataset) -> str:
    """The regions and indicators of ``dataset`` as the JSON a graph file carries (``?>`` cannot occur in it)."""
    document = {table: [record.model_dump(mode="json", exclude_none=True) for record in dataset.table(table)]
                for table in ("regions", "indicators")}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).replace(">", "\\u003e")


def _value(value: Any) -> str | None:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


def _columns(parent: ET.Element, kind: str, fields: dict[str, str]) -> None:
    attributes = ET.SubElement(parent, "attributes", {"class": kind, "mode": "static"})
    for name, title in fields.items():
        ET.SubElement(attributes, "attribute", {"id": title, "title": title, "type": TYPES.get(name, "string")})


def _values(parent: ET.Element, data: dict[str, Any], fields: dict[str, str]) -> None:
    values = [(title, _value(data.get(name))) for name, title in fields.items()]
    values = [(title, text) for title, text in values if text is not None]
    if values:
        holder = ET.SubElement(parent, "attvalues")
        for title, text in values:
            ET.SubElement(holder, "attvalue", {"for": title, "value": text})


def document(graph: nx.MultiDiGraph, dataset: Dataset | None = None) -> bytes:
    """``graph`` (actors and ties, as :func:`ecograph.graph.build_graph` makes it) as a GEXF 1.2 document."""
    root = ET.Element("gexf", {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{NS} {NS}/gexf.xsd",
                               "version": "1.2"})
    if dataset is not None:
        root.append(ET.ProcessingInstruction(TABLES_KEY, tables_json(dataset)))
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "ecograph"
    body = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static", "idtype": "string"})
    node_fields = {name: name for name in NODE_FIELDS}
    _columns(body, "node", node_fields)
    _columns(body, "edge", EDGE_FIELDS)
    nodes = ET.SubElement(body, "nodes", {"count": str(graph.number_of_nodes())})
    for node, data in graph.nodes(data=True):
        element = ET.SubElement(nodes, "node", {"id": str(node), "label": str(data.get("name") or node)})
        _values(element, data, node_fields)
    edges = ET.SubElement(body, "edges", {"count": str(graph.number_of_edges())})
    for source, target, key, data in graph.edges(keys=True, data=True):
        attributes = {"id": str(key), "source": str(source), "target": str(target)}
        if data.get("directed"):
            attributes["type"] = "directed"
        if data.get("weight") is not None:
            attributes["weight"] = str(data["weight"])
        _values(ET.SubElement(edges, "edge", attributes), data, EDGE_FIELDS)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) \
        + b"\n"


def write(graph: nx.MultiDiGraph, path: Path, dataset: Dataset | None = None) -> list[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(document(graph, dataset))
    return [path]
