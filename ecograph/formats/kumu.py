"""Kumu maps: the Excel/CSV layout (an ``Elements`` and a ``Connections`` sheet, or ``elements.csv`` and
``connections.csv``) and Kumu's JSON (``{"elements": [...], "connections": [...]}``, as blueprints write it or
with each record's fields under ``attributes``, as Kumu's export writes it).

Elements are actors and connections are ties:

- ``Label`` is the actor's name and its id is the label's slug (``Universidad Nacional de Cajamarca`` →
  ``universidad-nacional-de-cajamarca``); ``From`` and ``To`` name elements by label (or by Kumu ``ID``).
- ``Type`` is the actor type (or the tie type, for connections), in English or Spanish. A type ecograph does
  not know becomes a default, with a warning: for an element, the usual type of its sector
  (:data:`DEFAULT_ACTOR_TYPE`: academia → institute, public → agency, private → company, civil society → ngo,
  international → donor); for a connection, ``joint_project`` (:data:`DEFAULT_TIE_TYPE`).
- ``Tags`` that name capabilities or target groups (``digital_skills``, ``mujeres`` ...) are read as such; other
  tags are not read (a warning says which).
- ``Description`` is the description, ``URL`` the website, ``Strength`` the tie's weight. ``Direction`` and
  Kumu's layout fields are Kumu's own: in ecograph the tie type says whether a tie has a direction.
- Any other column goes through the usual headers (``sector``, ``región``, ``alcance`` ...) and the mapping step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ecograph.formats.maps import drop, finish_actors, put, rename
from ecograph.formats.regions import Known
from ecograph.formats.tables import WARNING, Problem, RawTable, header_of, records_table
from ecograph.model import (
    ACTOR_TYPES,
    CAPABILITIES,
    SECTORS,
    TARGET_GROUPS,
    TIE_TYPES,
    Invalid,
    choice,
    fold,
    shown,
    slugify,
)

SHEETS = {"actors": ("elements", "elementos"), "collaborations": ("connections", "conexiones")}
"""Kumu's sheet (or CSV file) names, and their Spanish spellings."""
DEFAULT_ACTOR_TYPE = {"academia": "institute", "public": "agency", "private": "company",
                      "civil_society": "ngo", "international": "donor"}
DEFAULT_TIE_TYPE = "joint_project"
ACTOR_TYPE_WORDS = {
    "fundacion": "foundation", "incubadora": "incubator", "medio": "media", "medios": "media",
    "banco_de_desarrollo": "development_bank", "embajada": "embassy", "red": "network", "agencia": "agency",
    "colegio": "school", "escuela": "school", "centro_de_investigacion": "research_center", "gremio": "chamber",
    "asociacion_empresarial": "business_association", "laboratorio_de_innovacion": "innovation_lab",
    "centro_de_innovacion": "innovation_center", "operador": "telecom", "financiera": "financial",
    "banco": "financial", "donante": "donor", "government_agency": "agency", "business": "company",
}
TIE_TYPE_WORDS = {
    "partnership": "joint_project", "collaboration": "joint_project", "alianza": "joint_project",
    "colaboracion": "joint_project", "grant": "funding", "financiacion": "funding", "donacion": "funding",
    "membership": "network_membership", "member": "network_membership", "membresia": "network_membership",
    "miembro": "network_membership", "formacion": "training", "datos": "data_sharing", "contrato": "service",
}
DIRECTION = ("direction", "direccion", "connection_direction")
KUMU_OWN = ("image", "imagen", "layout", "x", "y", "z", "_id", "id", "direction", "connection_direction")


def table_of(name: str) -> str | None:
    """Which table a Kumu sheet or CSV file holds (``Elements`` → ``actors``), or None."""
    stem = fold(Path(name).stem)
    return next((table for table, names in SHEETS.items() if stem in names), None)


def from_json(label: str, document: dict[str, Any]) -> dict[str, RawTable] | None:
    """Kumu JSON as raw tables, or None when ``document`` is not Kumu's (no elements or connections list)."""
    keys = {fold(key): key for key in document}
    if not ({"elements", "connections"} & set(keys)) or set(keys) - {"elements", "connections", "loops", "maps",
                                                                      "views", "fields", "perspectives"}:
        return None
    tables = {}
    for table, names in SHEETS.items():
        key = keys.get(names[0])
        records = document.get(key, []) if key is not None else []
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            return None
        flat = [_flat(record) for record in records]
        tables[table] = records_table(f"{label}[{key or names[0]}]", flat)
    return tables


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A Kumu record with its ``attributes`` lifted up beside ``_id``, ``from``, ``to`` and ``direction``."""
    inner = record.get("attributes")
    flat = {key: value for key, value in record.items() if key != "attributes"}
    if isinstance(inner, dict):
        flat |= inner
    return {key: ";".join(map(str, value)) if isinstance(value, list) else value for key, value in flat.items()}


def _type(value: Any, allowed: tuple[str, ...], what: str, words: dict[str, str]) -> str | None:
    """``value`` as one of ``allowed`` (English, Spanish, or Kumu's usual words), or None."""
    text = fold(str(value if value is not None else ""))
    if not text:
        return None
    try:
        return choice(words.get(text, text), allowed, what)
    except Invalid:
        return None


def adapt(tables: dict[str, RawTable], known: Known) -> list[Problem]:
    """Elements and connections as ecograph's actors and ties (see the module docstring)."""
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    elements = tables.get("actors")
    if elements is not None:
        problems += _elements(elements, ids)
        problems += finish_actors(elements, known)
    connections = tables.get("collaborations")
    if connections is not None:
        problems += _connections(connections, ids)
    return problems


def _elements(table: RawTable, ids: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    label = header_of("actors", table.headers, "name", "label", "etiqueta")
    own_id = header_of("actors", table.headers, "id", "_id")
    mapped_id = own_id if own_id is not None and table.sources.get("id") else None
    if label is not None:
        names = {number: row.get(label, "") for number, row in table.rows}
        slugs = {number: row.get(mapped_id) if mapped_id else slugify(str(name or ""))
                 for (number, row), name in zip(table.rows, names.values(), strict=True)}
        for number, row in table.rows:
            kumu_id = str(row.get(own_id) or "").strip() if own_id else ""
            for reference in (kumu_id, fold(str(names[number] or ""))):
                if reference:
                    ids.setdefault(reference, str(slugs[number] or ""))
        put(table, "id", slugs, label if mapped_id is None else mapped_id)
        if label != "name":
            rename(table, label, "name")
    if own_id is not None and mapped_id is None:
        drop(table, own_id)
    kind = header_of("actors", table.headers, "type", "element_type", "tipo_de_elemento")
    if kind is not None and kind != "type":
        rename(table, kind, "type")
    sector = header_of("actors", table.headers, "sector")
    types = {}
    for number, row in table.rows:
        written = row.get("type") if kind is not None else ""
        known_type = _type(written, ACTOR_TYPES, "actor_type", ACTOR_TYPE_WORDS)
        if known_type is not None:
            types[number] = known_type
            continue
        home = _type(row.get(sector) if sector else "", SECTORS, "sector", {})
        if home is None:  # the row cannot load: its sector's problem says what to fix, without a second one
            types[number] = written if _type(written, ACTOR_TYPES, "actor_type", {}) else ACTOR_TYPES[0]
            continue
        types[number] = DEFAULT_ACTOR_TYPE[home]
        problems.append(Problem.at(table.label, number, table.column("type") if kind else "type",
                                   "problem.kumu_type_default" if str(written or "").strip() else
                                   "problem.kumu_no_type", WARNING, value=shown(written or ""),
                                   default=DEFAULT_ACTOR_TYPE[home], sector=home))
    put(table, "type", types)
    problems += _tags(table)
    url = header_of("actors", table.headers, "website", "url")
    if url is not None:
        rename(table, url, "website")
    drop(table, *[h for h in table.headers if fold(h) in KUMU_OWN and h not in ("id", "type", *table.sources)])
    return problems


def _tags(table: RawTable) -> list[Problem]:
    """Tags naming capabilities or target groups, added to those columns; the others are warnings."""
    tags = header_of("actors", table.headers, "tags", "etiquetas")
    if tags is None:
        return []
    problems = []
    found: dict[str, dict[int | str, str]] = {"capabilities": {}, "target_groups": {}}
    for number, row in table.rows:
        for tag in (part.strip() for part in re.split(r"[|;]", str(row.get(tags) or "")) if part.strip()):
            capability = _type(tag, CAPABILITIES, "capability", {})
            group = _type(tag, TARGET_GROUPS, "target_group", {}) if capability is None else None
            if capability is None and group is None:
                problems.append(Problem.at(table.label, number, table.column(tags), "problem.kumu_tag_ignored",
                                           WARNING, value=shown(tag)))
                continue
            name = "capabilities" if capability is not None else "target_groups"
            found[name][number] = ";".join(filter(None, [found[name].get(number), capability or group]))
    for name, values in found.items():
        column = header_of("actors", table.headers, name)
        if column is not None:
            rename(table, column, name)
            values = {number: ";".join(filter(None, [str(row.get(name) or ""), values.get(number, "")]))
                      for number, row in table.rows}
            put(table, name, values)
        elif values:
            put(table, name, values, tags)
    drop(table, tags)
    return problems


def _connections(table: RawTable, ids: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for end, words in (("source", ("from", "de", "desde")), ("target", ("to", "a", "hacia", "hasta"))):
        header = header_of("collaborations", table.headers, end, *words)
        if header is None:
            continue
        values = {}
        for number, row in table.rows:
            written = str(row.get(header) or "").strip()
            values[number] = ids.get(written) or ids.get(fold(written)) or slugify(written) or written
        put(table, end, values, header)
        if header != end:
            drop(table, header)
    kind = header_of("collaborations", table.headers, "type", "connection_type", "tipo_de_conexion")
    if kind is not None and kind != "type":
        rename(table, kind, "type")
    types = {}
    for number, row in table.rows:
        written = row.get("type") if kind is not None else ""
        found = _type(written, TIE_TYPES, "tie_type", TIE_TYPE_WORDS)
        types[number] = found or DEFAULT_TIE_TYPE
        if found is None:
            problems.append(Problem.at(table.label, number, table.column("type") if kind else "type",
                                       "problem.kumu_tie_type_default" if str(written or "").strip() else
                                       "problem.kumu_no_tie_type", WARNING, value=shown(written or ""),
                                       default=DEFAULT_TIE_TYPE))
    put(table, "type", types)
    strength = header_of("collaborations", table.headers, "weight", "strength")
    if strength is not None:
        rename(table, strength, "weight")
    drop(table, *[h for h in table.headers if (fold(h) in KUMU_OWN or fold(h) in DIRECTION) and h not in table.sources])
    return problems
