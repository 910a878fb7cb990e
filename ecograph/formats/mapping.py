"""The mapping step: which column of a source holds which field, when its headers are not ecograph's.

A mapping is a list of ``field=column`` pairs (``sector=Category``, ``region=Departamento``), as
``ecograph validate|load PATH --map sector=Category`` and ``POST /api/v1/import?map=sector=Category`` take
them. The field may name its table (``collaborations.type=Relación``); without one, it applies to every table
whose model has that field and whose headers include that column. Fields and tables may be written in English
or Spanish (``región``, ``actores.tipo``), columns as the file writes them (case and accents do not matter).

Mappings are remembered per source: the next time a file of the same name and the same columns is read without
``--map``, the mapping that made it valid is used again, and said so. They are kept in one small JSON file,
:func:`memory_path`: ``$ECOGRAPH_MAPPINGS`` if set, else ``$XDG_CONFIG_HOME/ecograph/mappings.json``
(``~/.config/ecograph/mappings.json``; ``%APPDATA%\\ecograph\\mappings.json`` on Windows).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecograph.formats.tables import ERROR, TABLE_NAMES, WARNING, Problem, RawTable, spellings
from ecograph.model import TABLES, Invalid, fold, shown

MEMORY_FORMAT = "ecograph column mappings"


def _field_names(table: str) -> dict[str, str]:
    """Every spelling of the fields of ``table``, folded, to the field's name."""
    return {fold(alias): name for name, aliases in spellings(table).items() for alias in (name, *aliases)}


def _table_name(text: str) -> str | None:
    folded = fold(text)
    return next((table for table, aliases in TABLE_NAMES.items() if folded == table or folded in aliases), None)


@dataclass(frozen=True)
class Mapping:
    """``field=column`` pairs: (table or None for any table, field, column)."""

    pairs: tuple[tuple[str | None, str, str], ...] = ()

    @classmethod
    def parse(cls, specs: Iterable[str]) -> Mapping:
        """Read ``field=column`` specs; :class:`~ecograph.model.Invalid` names the first one that is not one.

        >>> Mapping.parse(["sector=Category", "actores.región = Departamento"]).specs()
        ['sector=Category', 'actors.region=Departamento']
        """
        pairs = []
        every_field = sorted({name for table in TABLE_NAMES for name in spellings(table)})
        for spec in specs:
            left, equals, column = str(spec).partition("=")
            column = column.strip()
            if not equals or not left.strip() or not column:
                raise Invalid("problem.mapping_bad_spec", value=shown(spec))
            table_part, dot, field_part = left.strip().rpartition(".")
            table = _table_name(table_part) if dot else None
            if dot and table is None:
                raise Invalid("problem.mapping_unknown_table", value=shown(table_part),
                              tables=", ".join(TABLE_NAMES))
            tables = [table] if table else list(TABLE_NAMES)
            folded = fold(field_part)
            # A field's own name wins over another field's Spanish spelling (region, not regions' name).
            names = {name for one in tables for name in spellings(one) if name == folded} or (
                {_field_names(one).get(folded) for one in tables} - {None})
            if len(names) != 1:
                raise Invalid("problem.mapping_unknown_field", value=shown(field_part),
                              fields=", ".join(sorted(spellings(table)) if table else every_field))
            pairs.append((table, names.pop(), column))
        return cls(tuple(pairs))

    def specs(self) -> list[str]:
        """The pairs as ``field=column`` text, the way they were given (a table named when one was)."""
        return [f"{table + '.' if table else ''}{name}={column}" for table, name, column in self.pairs]

    def __bool__(self) -> bool:
        return bool(self.pairs)


def apply(tables: dict[str, RawTable], mapping: Mapping, source: str) -> list[Problem]:
    """Rename the mapped columns of ``tables`` to their fields (the columns stay named in problems); a mapped
    column that no table has is an error, a column the mapping displaces a warning."""
    problems: list[Problem] = []
    for table_name, name, column in mapping.pairs:
        found = False
        for table, content in tables.items():
            if (table_name is not None and table != table_name) or name not in TABLES[table].model_fields:
                continue
            header = next((header for header in content.headers if fold(header) == fold(column)), None)
            if header is None:
                continue
            found = True
            spellings = _field_names(table)
            displaced = [other for other in content.headers
                         if other != header and spellings.get(fold(other)) == name]
            problems += [Problem.at(content.label, 1, other, "problem.mapping_replaces", WARNING,
                                    header=shown(other), field=name, mapped=shown(header)) for other in displaced]
            rename = {header: name}
            content.headers = [rename.get(h, h) for h in content.headers if h not in displaced]
            content.rows = [(number, {rename.get(h, h): value for h, value in row.items() if h not in displaced})
                            for number, row in content.rows]
            content.sources[name] = content.column(header)
        if not found:
            columns = sorted({header for content in tables.values() for header in content.headers})
            problems.append(Problem.at(source, 0, shown(column), "problem.mapped_column_missing", ERROR,
                                       field=name, wanted=shown(column), columns=shown(", ".join(columns), 300)))
    return problems


def memory_path() -> Path:
    """Where remembered mappings are kept (see the module docstring)."""
    if os.environ.get("ECOGRAPH_MAPPINGS"):
        return Path(os.environ["ECOGRAPH_MAPPINGS"])
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "ecograph" / "mappings.json"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ecograph" / "mappings.json"


def columns_of(tables: dict[str, RawTable]) -> list[str]:
    """The columns of a source as read, which (with its name) say whether a remembered mapping fits it."""
    return sorted({fold(header) for content in tables.values() for header in content.headers})


def _entries(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # nothing remembered yet, or a file damaged by hand: start again
    entries = document.get("sources") if isinstance(document, dict) else None
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def recall(name: str, columns: list[str], path: Path | None = None) -> Mapping | None:
    """The mapping remembered for a source of this name and these columns, or None."""
    for entry in _entries(path or memory_path()):
        if entry.get("name") == name and entry.get("columns") == columns:
            try:
                return Mapping.parse(entry.get("map") or [])
            except Invalid:
                return None
    return None


def remember(name: str, columns: list[str], mapping: Mapping, path: Path | None = None) -> Path:
    """Keep ``mapping`` for sources of this name and these columns (replacing what was kept for them)."""
    path = path or memory_path()
    entries = [entry for entry in _entries(path) if (entry.get("name"), entry.get("columns")) != (name, columns)]
    entries.append({"name": name, "columns": columns, "map": mapping.specs()})
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": MEMORY_FORMAT, "version": 1, "sources": entries}, ensure_ascii=False, indent=2)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=".mappings-", suffix=".json") as handle:
        handle.write(text + "\n")
    os.replace(handle.name, path)
    return path
