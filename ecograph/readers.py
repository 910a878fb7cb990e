"""Read a dataset from a folder of CSV files, an ``.xlsx`` workbook or a JSON file, and validate it.

Validation collects **every** problem before giving up, each as ``file:row:column: message``
with the fix, so a person can correct a spreadsheet in one pass. Rows are counted the way a
spreadsheet shows them: the header is row 1, the first record row 2. In JSON, the row is the
record's position in its list (from 1).

Each :class:`Problem` is a message of the ``validation`` catalog with its values, so it reads in
Spanish (the default) or English: ``problem.line("en")``. A *warning* (an unknown column, a CSV
separated by ``;`` or saved as Windows-1252) does not stop the dataset from loading, unless
validation is ``strict``.

CSV files as spreadsheets save them are accepted: UTF-8 with or without a byte-order mark, or
Windows-1252 (Latin-1, said in a warning); ``,`` or ``;`` between cells. A cell may hold up to
:data:`CELL_LIMIT` characters. A leading ``'`` that an export put before a formula-like cell (see
:func:`ecograph.writers.neutralize`) is taken off again, so exports read back identically.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from ecograph.i18n import DEFAULT, Texts
from ecograph.model import NATIONAL, TABLES, Dataset, Invalid, Record, fold, region_code, shown
from ecograph.writers import restore

ERROR, WARNING = "error", "warning"
CELL_LIMIT = 128 * 1024
"""Most characters one cell may hold; a longer cell is a problem at its row and column."""

# The csv module stops at its own field limit (128 KiB) with an error that says nothing of where the
# cell is; cells are held to CELL_LIMIT after parsing instead, so an oversize one gets its location.
csv.field_size_limit(2**31 - 1)

# Accepted column headers per table: canonical English name first, then Spanish spellings.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "regions": {
        "code": ("codigo", "ubigeo", "ubigeo_inei"), "name": ("nombre", "region", "departamento"),
        "capital": (), "population": ("poblacion",), "latitude": ("latitud", "lat"),
        "longitude": ("longitud", "lon"), "source": ("fuente",),
    },
    "indicators": {
        "region": ("codigo_region",), "indicator": ("indicador",), "period": ("periodo",),
        "area": ("ambito", "zona"), "value": ("valor",), "unit": ("unidad",), "source": ("fuente",),
    },
    "actors": {
        "id": ("identificador",), "name": ("nombre",), "acronym": ("sigla", "siglas"), "sector": (),
        "type": ("tipo",), "region": ("codigo_region",), "scope": ("alcance", "ambito"),
        "capabilities": ("capacidades",), "target_groups": ("grupos_objetivo", "publico_objetivo"),
        "website": ("sitio_web", "web", "pagina_web"), "description": ("descripcion",),
        "source": ("fuente",), "illustrative": ("ilustrativo",),
    },
    "collaborations": {
        "id": ("identificador",), "source": ("origen", "actor_origen"), "target": ("destino", "actor_destino"),
        "type": ("tipo",), "weight": ("peso", "intensidad", "fuerza"), "start": ("inicio", "fecha_inicio"),
        "end": ("fin", "fecha_fin"), "status": ("estado",), "program": ("programa",),
        "evidence": ("evidencia", "fuente"), "illustrative": ("ilustrativo",),
    },
}
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "regions": ("regiones",), "indicators": ("indicadores",), "actors": ("actores",),
    "collaborations": ("colaboraciones", "vinculos"),
}
REQUIRED_TABLES = ("actors", "collaborations")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, where it is, and how to fix it: a ``validation`` catalog message."""

    file: str
    row: int
    column: str
    key: str
    values: tuple[tuple[str, str | int], ...] = ()
    severity: str = ERROR

    @classmethod
    def at(cls, file: str, row: int, column: str, key: str, severity: str = ERROR, **values: str | int) -> Problem:
        return cls(file, row, column, key, tuple(values.items()), severity)

    def text(self, lang: str = DEFAULT) -> str:
        """The message in ``lang``, without its location."""
        return Texts(lang)(self.key, **dict(self.values))

    @property
    def message(self) -> str:
        """The message in Spanish, the default language."""
        return self.text()

    def line(self, lang: str = DEFAULT) -> str:
        """``file:row:column: message`` in ``lang``, a warning marked as one: a line of ``ecograph validate``."""
        kind = f"{Texts(lang)('problem.warning')}: " if self.severity == WARNING else ""
        return f"{self.file}:{self.row}:{self.column}: {kind}{self.text(lang)}"

    def __str__(self) -> str:
        return self.line()


class InvalidDataset(Exception):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the dataset")
        self.problems = problems


@dataclass
class RawTable:
    """A table as read from its file: where it came from, its headers, its rows by row number, and the
    problems of the file itself (its encoding, separator, rows of the wrong length)."""

    label: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    problems: list[Problem] = field(default_factory=list)


def table_of(name: str) -> str | None:
    """Which table a file or sheet name holds (``actores.csv`` → ``actors``), or None."""
    stem = fold(Path(name).stem)
    for table, aliases in TABLE_NAMES.items():
        if stem == table or stem in aliases:
            return table
    return None


def read_dataset(path: str | Path, strict: bool = False) -> Dataset:
    """Read and validate the dataset at ``path``; raise :class:`InvalidDataset` listing every problem.

    Warnings do not stop it (unless ``strict``); use :func:`check_dataset` to see them.
    """
    dataset, problems = check_dataset(path, strict)
    if dataset is None:
        raise InvalidDataset(problems)
    return dataset


def check_dataset(path: str | Path, strict: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """Validate the dataset at ``path``: the dataset (None when any problem is an error) and every problem
    found, warnings included. ``strict`` makes every warning an error."""
    path = Path(path)
    try:
        raw = read_raw(path)
    except InvalidDataset as error:
        return None, error.problems
    return check_tables(raw, strict)


def read_raw(path: Path) -> dict[str, RawTable]:
    if not path.exists():
        raise InvalidDataset([Problem.at(str(path), 0, "-", "problem.no_such_path")])
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_workbook(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".csv":
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.csv_not_folder")])
    raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.unsupported_type", suffix=shown(suffix or path.name))])


def _read_folder(folder: Path) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for file in sorted(folder.glob("*.csv")):
        table = table_of(file.name)
        if table is None:
            continue
        text, problems = _decode(file.name, file.read_bytes())
        header = text.split("\n", 1)[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        if delimiter == ";":
            problems.append(Problem.at(file.name, 1, "-", "problem.semicolon", WARNING))
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        tables[table] = _table(file.name, lines, problems)
    return tables


def _decode(name: str, content: bytes) -> tuple[str, list[Problem]]:
    """A CSV file's text: UTF-8 (with or without a byte-order mark), else Windows-1252 with a warning.

    NUL bytes mean neither (UTF-16, as Excel's "Unicode text", or not text at all).
    """
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = content[:error.start].count(b"\n") + 1
        try:
            text: str | None = content.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is None or "\0" in text:
            raise InvalidDataset([Problem.at(name, line, "-", "problem.not_utf8", offset=error.start)]) from None
        return text, [Problem.at(name, line, "-", "problem.read_as_cp1252", WARNING)]


def _read_workbook(path: Path) -> dict[str, RawTable]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.workbook_unreadable",
                                         reason=type(error).__name__)]) from None
    tables: dict[str, RawTable] = {}
    try:
        for sheet in workbook.worksheets:
            table = table_of(sheet.title)
            if table is not None:
                rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
                tables[table] = _table(f"{path.name}[{sheet.title}]", rows, [])
    finally:
        workbook.close()
    return tables


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(label: str, lines: list[list[str]], problems: list[Problem]) -> RawTable:
    """A CSV file or sheet as a table: a row with cells beyond the header, or short of it, is a problem."""
    headers = [cell.strip() for cell in (lines[0] if lines else [])]
    while headers and headers[-1] == "":
        headers.pop()
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [restore(cell) for cell in line]
        if all(cell.strip() == "" for cell in cells):
            continue
        extra = [position for position in range(len(headers), len(cells)) if cells[position].strip()]
        if extra:
            problems.append(Problem.at(label, number, get_column_letter(extra[0] + 1), "problem.too_many_cells",
                                       cells=extra[-1] + 1, headers=len(headers)))
        elif len(cells) < len(headers):
            problems.append(Problem.at(label, number, headers[len(cells)] or get_column_letter(len(cells) + 1),
                                       "problem.too_few_cells", cells=len(cells), headers=len(headers)))
        rows.append((number, {header: cells[i] if i < len(cells) else "" for i, header in enumerate(headers)}))
    return RawTable(label, headers, rows, problems)


def _read_json(path: Path) -> dict[str, RawTable]:
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
        headers = sorted({name for record in records for name in record})
        tables[table] = RawTable(f"{path.name}[{key}]", headers, list(enumerate(records, start=1)))
    if problems:
        raise InvalidDataset(problems)
    return tables


def check_tables(raw: dict[str, RawTable], strict: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """Validate every row of every table, then the references between tables."""
    problems: list[Problem] = []
    for table in REQUIRED_TABLES:
        if table not in raw:
            problems.append(Problem.at(f"{table}.csv", 0, "-", "problem.missing_table", table=table,
                                       aliases=", ".join(TABLE_NAMES[table])))
    records: dict[str, list[tuple[int, Record]]] = {table: [] for table in TABLES}
    original: dict[str, dict[str, str]] = {}
    # Keys of rows that failed validation still count as known, so one bad row does not
    # also turn every reference to it into a problem.
    failed_keys: dict[str, set[str]] = {table: set() for table in TABLES}
    for table, content in raw.items():
        columns, header_problems = _map_headers(table, content)
        problems += content.problems + header_problems
        missing = {p.column for p in header_problems if p.key == "problem.missing_column"}
        broken = {p.row for p in content.problems if p.severity == ERROR}
        original[table] = {name: header for header, name in columns.items()}
        for number, row in content.rows:
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
    problems += _check_references(raw, records, original, failed_keys)
    if strict:
        problems = [replace(problem, severity=ERROR) for problem in problems]
    problems = sorted(set(problems), key=lambda p: (p.file, p.row, p.column, p.key, repr(p.values)))
    if any(problem.severity == ERROR for problem in problems):
        return None, problems
    dataset = Dataset(**{table: [record for _, record in rows] for table, rows in records.items()})
    return dataset, problems


def _raw_key(table: str, values: dict[str, Any]) -> str:
    key = str(values.get(TABLES[table].key_field) or "").strip()
    return region_code(key) if table == "regions" else key


def _map_headers(table: str, content: RawTable) -> tuple[dict[str, str], list[Problem]]:
    """Map each header as written to its field name; an unknown header is a warning, a missing one an error."""
    lookup = {fold(alias): name for name, aliases in HEADERS[table].items() for alias in (name, *aliases)}
    expected = ", ".join(HEADERS[table])
    columns: dict[str, str] = {}
    problems = []
    for position, header in enumerate(content.headers, start=1):
        name = lookup.get(fold(header))
        column = shown(header) or get_column_letter(position)
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


def _row_problems(label: str, row: int, error: ValidationError, headers: dict[str, str]) -> list[Problem]:
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


def _check_references(raw: dict[str, RawTable], records: dict[str, list[tuple[int, Record]]],
                      headers: dict[str, dict[str, str]], failed_keys: dict[str, set[str]]) -> list[Problem]:
    """Duplicate keys, and references to regions and actors that the dataset does not have."""
    problems: list[Problem] = []

    def label(table: str) -> str:
        return raw[table].label if table in raw else f"{table}.csv"

    def column(table: str, name: str) -> str:
        return headers.get(table, {}).get(name, name)

    first_row: dict[str, dict[str, int]] = {}
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
    for number, actor in records["actors"]:
        if actor.region is not None and actor.region not in regions:  # type: ignore[attr-defined]
            problems.append(Problem.at(label("actors"), number, column("actors", "region"), "problem.unknown_region",
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


def describe(problems: Iterable[Problem], lang: str = DEFAULT) -> str:
    """All problems, one per line, as ``validate`` prints them."""
    return "\n".join(problem.line(lang) for problem in problems)
