"""Read a dataset, or a map from another tool, and validate it.

ecograph's own formats hold the whole dataset: a folder of CSV files, an ``.xlsx`` workbook or a JSON file (four
tables). Maps from other tools hold actors and ties: Kumu's workbook, CSV files or JSON
(:mod:`ecograph.formats.kumu`), Gephi's node and edge tables (:mod:`ecograph.formats.gephi`), and GraphML or
GEXF files from Gephi, Gephi Lite, yEd, networkx or ecograph itself (:mod:`ecograph.formats.graphs`). Columns
that do not say what they hold go through the mapping step (:mod:`ecograph.formats.mapping`); a map's regions
are read against the regions already known (:mod:`ecograph.formats.regions`).

Validation collects **every** problem before giving up, each as ``file:row:column: message`` with the fix, so a
person can correct a spreadsheet in one pass. Rows are counted the way a spreadsheet shows them: the header is
row 1, the first record row 2. In JSON, the row is the record's position in its list (from 1); in a graph file,
the node's or edge's id.

Each :class:`Problem` is a message of the ``validation`` catalog with its values, so it reads in
Spanish (the default) or English: ``problem.line("en")``. A *warning* (an unknown column, a CSV
separated by ``;`` or saved as Windows-1252, a Kumu type read as a default) does not stop the dataset from
loading, unless validation is ``strict``.

CSV files as spreadsheets save them are accepted: UTF-8 with or without a byte-order mark, or
Windows-1252 (Latin-1, said in a warning); ``,`` or ``;`` between cells. A cell may hold up to
:data:`CELL_LIMIT` characters. A leading ``'`` that an export put before a formula-like cell (see
:func:`ecograph.writers.neutralize`) is taken off again, so exports read back identically.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from ecograph.formats import gephi, graphs, kumu
from ecograph.formats.mapping import Mapping, apply, columns_of, recall, remember
from ecograph.formats.regions import Known
from ecograph.formats.tables import (
    CELL_LIMIT,
    ERROR,
    HEADERS,
    TABLE_NAMES,
    WARNING,
    InvalidDataset,
    Problem,
    RawTable,
    csv_lines,
    order,
    records_table,
    sheet_table,
    spellings,
    table_of,
    workbook_sheets,
)
from ecograph.i18n import DEFAULT, Texts
from ecograph.model import NATIONAL, TABLES, Dataset, Invalid, Record, fold, region_code, shown

__all__ = ["CELL_LIMIT", "ERROR", "HEADERS", "TABLE_NAMES", "WARNING", "Checked", "InvalidDataset", "Known",
           "Mapping", "Problem", "RawTable", "Source", "check_dataset", "check_source", "check_tables", "describe",
           "first_of_each_kind", "read_dataset", "read_source", "table_of", "write_problems"]

REQUIRED_TABLES = ("actors", "collaborations")
GRAPH_SUFFIXES = (".graphml", ".gexf", ".xml")
KINDS = ("dataset", "kumu", "gephi", "graph")
"""ecograph's own tables; a Kumu map; Gephi's node and edge tables; a GraphML or GEXF file."""


@dataclass
class Source:
    """What a path holds, read: its name, its kind (:data:`KINDS`), its tables, and whether it is a graph file
    ecograph wrote (which carries its own regions)."""

    name: str
    kind: str
    tables: dict[str, RawTable]
    own: bool = False

    @property
    def is_map(self) -> bool:
        """A map from another tool: actors and ties only, read against the regions already known."""
        return self.kind != "dataset" and not self.own


@dataclass
class Checked:
    """A source, validated: the dataset (None when any problem is an error), every problem found, and the mapping
    used (``recalled`` when it was the one remembered for this source)."""

    dataset: Dataset | None
    problems: list[Problem]
    name: str = ""
    kind: str = "dataset"
    is_map: bool = False
    columns: list[str] = field(default_factory=list)
    mapping: Mapping = field(default_factory=Mapping)
    recalled: bool = False
    remembered: Path | None = None


def read_dataset(path: str | Path, strict: bool = False, mapping: Mapping | None = None,
                 known: Known | Callable[[], Known] | None = None) -> Dataset:
    """Read and validate the dataset at ``path``; raise :class:`InvalidDataset` listing every problem.

    Warnings do not stop it (unless ``strict``); use :func:`check_dataset` to see them.
    """
    dataset, problems = check_dataset(path, strict, mapping, known)
    if dataset is None:
        raise InvalidDataset(problems)
    return dataset


def check_dataset(path: str | Path, strict: bool = False, mapping: Mapping | None = None,
                  known: Known | Callable[[], Known] | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Validate the dataset at ``path``: the dataset (None when any problem is an error) and every problem
    found, warnings included. ``strict`` makes every warning an error; ``mapping`` says which columns hold which
    fields; ``known`` gives the regions a map from another tool is read against (INEI's when None)."""
    checked = check_source(path, strict, mapping, known)
    return checked.dataset, checked.problems


def check_source(path: str | Path, strict: bool = False, mapping: Mapping | None = None,
                 known: Known | Callable[[], Known] | None = None, memory: Path | None = None,
                 name: str | None = None) -> Checked:
    """:func:`check_dataset`, saying which mapping was used. With ``memory`` (a mappings file, see
    :func:`ecograph.formats.mapping.memory_path`), a source read without a mapping uses the one remembered for
    its name and columns, and a mapping that makes a source valid is remembered. ``name`` is the source's name
    when the path's is not (an upload kept under another name)."""
    path = Path(path)
    try:
        source = read_source(path)
    except InvalidDataset as error:
        return Checked(None, error.problems, name or path.name)
    if name is not None:
        source.name = name
    columns = columns_of(source.tables)
    recalled = False
    if not mapping and memory is not None:
        found = recall(source.name, columns, memory)
        mapping, recalled = (found, True) if found else (mapping, False)
    mapping = mapping or Mapping()
    problems = apply(source.tables, mapping, source.name) if mapping else []
    if source.is_map:
        context = known() if callable(known) else known
        context = context.or_peru() if context is not None else Known.peru()
        problems += (kumu.adapt(source.tables, context) if source.kind == "kumu"
                     else gephi.adapt(source.tables, context))
        for table, records in (("regions", context.regions), ("indicators", context.indicators)):
            source.tables.setdefault(table, records_table(
                f"{table}.csv", [record.model_dump(mode="json") for record in records], start=2))
    elif source.own:
        problems += gephi.adapt(source.tables, Known(), own=True)
    dataset, found_problems = check_tables(source.tables, strict, is_map=source.is_map)
    problems = sorted(set(found_problems + [replace(p, severity=ERROR) if strict else p for p in problems]),
                      key=order)
    if any(problem.severity == ERROR for problem in problems):
        dataset = None
    remembered = None
    if dataset is not None and mapping and not recalled and memory is not None:
        remembered = remember(source.name, columns, mapping, memory)
    return Checked(dataset, problems, source.name, source.kind, source.is_map, columns, mapping, recalled, remembered)


def read_source(path: Path) -> Source:
    """What ``path`` holds, as raw tables (see :data:`KINDS`); :class:`InvalidDataset` when it cannot be read."""
    if not path.exists():
        raise InvalidDataset([Problem.at(str(path), 0, "-", "problem.no_such_path")])
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_workbook(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix in GRAPH_SUFFIXES:
        tables, own = graphs.read(path)
        return Source(path.name, "graph", tables, own)
    if suffix == ".csv":
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.csv_not_folder")])
    raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.unsupported_type", suffix=shown(suffix or path.name))])


def read_raw(path: Path) -> dict[str, RawTable]:
    """The raw tables at ``path``."""
    return read_source(path).tables


def _read_folder(folder: Path) -> Source:
    files = sorted(folder.glob("*.csv"))
    if any(table_of(file.name) for file in files) or not files:
        return Source(folder.name, "dataset", {table: sheet_table(file.name, *csv_lines(file))
                                               for file in files if (table := table_of(file.name)) is not None})
    if any(kumu.table_of(file.name) for file in files):
        tables = {table: sheet_table(file.name, *csv_lines(file))
                  for file in files if (table := kumu.table_of(file.name)) is not None}
        tables.setdefault("collaborations", RawTable("connections.csv", [], []))
        return Source(folder.name, "kumu", tables)
    tables = {}
    for file in files:
        lines, problems = csv_lines(file)
        table = gephi.table_of(file.name, lines[0] if lines else [])
        if table is not None and table not in tables:
            tables[table] = sheet_table(file.name, lines, problems)
    return Source(folder.name, "gephi" if tables else "dataset", tables)


def _read_workbook(path: Path) -> Source:
    sheets = workbook_sheets(path, lambda title: bool(table_of(title) or kumu.table_of(title)
                                                      or fold(title) in gephi.NODE_NAMES + gephi.EDGE_NAMES))
    tables = {table: sheet_table(f"{path.name}[{title}]", rows, [])
              for title, rows in sheets.items() if (table := table_of(title)) is not None}
    if tables or not sheets:
        return Source(path.name, "dataset", tables)
    found = {table: sheet_table(f"{path.name}[{title}]", rows, [])
             for title, rows in sheets.items() if (table := kumu.table_of(title)) is not None}
    if found:
        found.setdefault("collaborations", RawTable(f"{path.name}[Connections]", [], []))
        return Source(path.name, "kumu", found)
    found = {table: sheet_table(f"{path.name}[{title}]", rows, [])
             for title, rows in sheets.items() if (table := gephi.table_of(title, rows[0] if rows else []))}
    return Source(path.name, "gephi", found)


def _read_json(path: Path) -> Source:
    content = path.read_bytes()
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.json_not_utf8", offset=error.start)]) from None
    except json.JSONDecodeError as error:
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.json_invalid", line=error.lineno,
                                         col=error.colno)]) from None
    except RecursionError:
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.json_too_deep")]) from None
    if not isinstance(document, dict):
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.json_not_object")])
    found = kumu.from_json(path.name, document)
    if found is not None:
        return Source(path.name, "kumu", found)
    tables: dict[str, RawTable] = {}
    problems = []
    for key, records in document.items():
        table = table_of(key)
        if table is None:
            problems.append(Problem.at(path.name, 0, shown(key), "problem.unknown_section", section=shown(key),
                                       expected=", ".join(TABLES)))
            continue
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            problems.append(Problem.at(path.name, 0, shown(key), "problem.json_not_list"))
            continue
        tables[table] = records_table(f"{path.name}[{key}]", records)
    if problems:
        raise InvalidDataset(problems)
    return Source(path.name, "dataset", tables)


def check_tables(raw: dict[str, RawTable], strict: bool = False,
                 is_map: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """Validate every row of every table, then the references between tables (``is_map``: of a map from another
    tool, whose regions are the known ones).

    The tables' rows are consumed: each raw row is let go once validated, so a large table is not held twice (as
    text cells and as records). Cost: O(rows) time; memory about that of the records, which for 100,000 actors and
    492,664 ties (a 47 MB CSV folder) is some 450 MB of pydantic objects.
    """
    problems: list[Problem] = []
    for table in REQUIRED_TABLES:
        if table not in raw:
            problems.append(Problem.at(f"{table}.csv", 0, "-", "problem.missing_table", table=table,
                                       aliases=", ".join(TABLE_NAMES[table])))
    records: dict[str, list[tuple[int | str, Record]]] = {table: [] for table in TABLES}
    original: dict[str, dict[str, str]] = {}
    # Keys of rows that failed validation still count as known, so one bad row does not
    # also turn every reference to it into a problem.
    failed_keys: dict[str, set[str]] = {table: set() for table in TABLES}
    for table, content in raw.items():
        columns, header_problems = _map_headers(table, content)
        problems += content.problems + header_problems
        missing = {p.column for p in header_problems if p.key == "problem.missing_column"}
        broken = {p.row for p in content.problems if p.severity == ERROR}
        original[table] = {name: content.column(header) for header, name in columns.items()}
        pending, content.rows = content.rows[::-1], []
        while pending:
            number, row = pending.pop()
            values = {columns[header]: value for header, value in row.items() if header in columns}
            oversize = [Problem.at(content.label, number, header or "-", "problem.cell_too_large", size=len(value),
                                   limit=CELL_LIMIT)
                        for header, value in row.items() if isinstance(value, str) and len(value) > CELL_LIMIT]
            if oversize or number in broken:
                problems += oversize
                failed_keys[table].add(_raw_key(table, values))
                continue
            try:
                records[table].append((number, TABLES[table].model_validate(values)))
            except ValidationError as error:
                problems += [p for p in _row_problems(content.label, number, error, original[table])
                             if p.column not in missing]
                failed_keys[table].add(_raw_key(table, values))
    problems += _check_references(raw, records, original, failed_keys, is_map)
    if strict:
        problems = [replace(problem, severity=ERROR) for problem in problems]
    problems = sorted(set(problems), key=order)
    if any(problem.severity == ERROR for problem in problems):
        return None, problems
    dataset = Dataset(**{table: [record for _, record in rows] for table, rows in records.items()})
    return dataset, problems


def _raw_key(table: str, values: dict[str, Any]) -> str:
    key = str(values.get(TABLES[table].key_field) or "").strip()
    return region_code(key) if table == "regions" else key


def _map_headers(table: str, content: RawTable) -> tuple[dict[str, str], list[Problem]]:
    """Map each header as written to its field name; an unknown header is a warning, a missing one an error."""
    lookup = {fold(alias): name for name, aliases in spellings(table).items() for alias in (name, *aliases)}
    expected = ", ".join(spellings(table))
    columns: dict[str, str] = {}
    problems = []
    for position, header in enumerate(content.headers, start=1):
        name = lookup.get(fold(header))
        column = shown(content.column(header)) or get_column_letter(position)
        if name is None:
            guess = get_close_matches(fold(header), list(lookup), n=1)
            if guess:
                problems.append(Problem.at(content.label, 1, column, "problem.unknown_column_guess", WARNING,
                                           header=shown(header), guess=lookup[guess[0]], expected=expected))
            else:
                problems.append(Problem.at(content.label, 1, column, "problem.unknown_column", WARNING,
                                           header=shown(header), expected=expected))
        elif name in columns.values():
            problems.append(Problem.at(content.label, 1, column, "problem.duplicate_column", field=name))
        else:
            columns[header] = name
    required = [name for name, info in TABLES[table].model_fields.items()
                if info.is_required() and name not in columns.values()]
    if content.rows or content.headers:
        problems += [Problem.at(content.label, 1, name, "problem.missing_column", field=name) for name in required]
    return columns, problems


# pydantic's own checks (types, bounds) as catalog messages; the model's validators raise Invalid.
PYDANTIC_MESSAGES = {
    "missing": "problem.required",
    "string_too_short": "problem.required",
    "string_type": "problem.not_text",
    "int_parsing": "problem.not_whole_number",
    "int_from_float": "problem.not_whole_number",
    "int_type": "problem.not_whole_number",
    "float_parsing": "problem.not_number",
    "float_type": "problem.not_number",
    "finite_number": "problem.not_number",
    "greater_than_equal": "problem.too_small",
    "less_than_equal": "problem.too_large",
}


def _row_problems(label: str, row: int | str, error: ValidationError, headers: dict[str, str]) -> list[Problem]:
    problems = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        context = item.get("ctx", {})
        cause = context.get("error")
        if isinstance(cause, Invalid):
            name, key, values = cause.field or name, cause.key, cause.values
        else:
            key = PYDANTIC_MESSAGES.get(item["type"], "problem.invalid")
            values = {} if key == "problem.required" else {"value": shown(item.get("input"))}
            if key in ("problem.too_small", "problem.too_large"):
                values["limit"] = str(context.get("ge", context.get("le")))
            elif key == "problem.invalid":
                values["detail"] = item["msg"]
        problems.append(Problem.at(label, row, headers.get(name, name or "-"), key, **values))
    return problems


def _check_references(raw: dict[str, RawTable], records: dict[str, list[tuple[int | str, Record]]],
                      headers: dict[str, dict[str, str]], failed_keys: dict[str, set[str]],
                      is_map: bool = False) -> list[Problem]:
    """Duplicate keys, and references to regions and actors that the dataset does not have."""
    problems: list[Problem] = []

    def label(table: str) -> str:
        return raw[table].label if table in raw else f"{table}.csv"

    def column(table: str, name: str) -> str:
        return headers.get(table, {}).get(name, name)

    first_row: dict[str, dict[str, int | str]] = {}
    for table, rows in records.items():
        seen = first_row.setdefault(table, {})
        for number, record in rows:
            if record.key not in seen:
                seen[record.key] = number
                continue
            key = {"indicators": "problem.duplicate_figure", "regions": "problem.duplicate_region"}.get(
                table, "problem.duplicate_id")
            where = column(table, "indicator" if table == "indicators" else record.key_field)
            problems.append(Problem.at(label(table), number, where, key, value=shown(record.key),
                                       first=seen[record.key]))
    regions = set(first_row["regions"]) | failed_keys["regions"]
    actors = set(first_row["actors"]) | failed_keys["actors"]
    example = next(iter(sorted(first_row["regions"])), "06")
    if is_map:
        names = sorted((region.key, region.name) for _, region in records["regions"])  # type: ignore[attr-defined]
        example = f"{names[0][1]} ({names[0][0]})" if names else "Cajamarca (06)"
    for number, actor in records["actors"]:
        if actor.region is not None and actor.region not in regions:  # type: ignore[attr-defined]
            problems.append(Problem.at(label("actors"), number, column("actors", "region"),
                                       "problem.unknown_region_map" if is_map else "problem.unknown_region",
                                       value=shown(actor.region), example=example))  # type: ignore[attr-defined]
    for number, indicator in records["indicators"]:
        if indicator.region not in regions and indicator.region != NATIONAL:  # type: ignore[attr-defined]
            problems.append(Problem.at(label("indicators"), number, column("indicators", "region"),
                                       "problem.unknown_indicator_region", value=shown(indicator.region),  # type: ignore[attr-defined]
                                       national=NATIONAL))
    for number, tie in records["collaborations"]:
        for end in ("source", "target"):
            actor_id = getattr(tie, end)
            if actor_id not in actors:
                problems.append(Problem.at(label("collaborations"), number, column("collaborations", end),
                                           "problem.unknown_actor", value=shown(actor_id)))
    return problems


def first_of_each_kind(problems: Iterable[Problem], per_kind: int) -> tuple[list[Problem], list[tuple[Problem, int]]]:
    """The first ``per_kind`` problems of each kind (same file, column and message), in order, and for each kind cut
    short its first problem and how many more there are: a file with the same mistake in 2,000 rows shows it a
    few times, not 2,000."""
    shown, counts, first = [], Counter[tuple[str, str, str]](), {}
    for problem in problems:
        counts[problem.kind] += 1
        first.setdefault(problem.kind, problem)
        if counts[problem.kind] <= per_kind:
            shown.append(problem)
    return shown, [(first[kind], count - per_kind) for kind, count in counts.items() if count > per_kind]


def describe(shown: Iterable[Problem], more: Iterable[tuple[Problem, int]] = (), lang: str = DEFAULT) -> str:
    """Problems one per line, as ``validate`` prints them, then a line for each kind cut short (``more``, from
    :func:`first_of_each_kind`) saying how many more there are."""
    texts = Texts(lang)
    return "\n".join([*(problem.line(lang) for problem in shown),
                      *(texts.plural("problem.more_of_kind", count, file=problem.file, column=problem.column)
                        for problem, count in more)])


def write_problems(path: Path, problems: Iterable[Problem], lang: str = DEFAULT) -> None:
    """Every problem as a row of a CSV file that opens in a spreadsheet (UTF-8 with a byte order mark, for
    Excel): file, row, column, kind (error or warning) and the message, with headers in ``lang``."""
    texts = Texts(lang)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([texts(f"problem.csv.{name}") for name in ("file", "row", "column", "severity", "message")])
        out.writerows([problem.file, problem.row, problem.column,
                       texts("problem.warning" if problem.severity == WARNING else "problem.error"),
                       problem.text(lang)] for problem in problems)
