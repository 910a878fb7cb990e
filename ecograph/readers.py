"""Read a dataset from a folder of CSV files, an ``.xlsx`` workbook or a JSON file, and validate it.

Validation collects **every** problem before giving up, each as ``file:row:column: message``
with the fix, so a person can correct a spreadsheet in one pass. Rows are counted the way a
spreadsheet shows them: the header is row 1, the first record row 2. In JSON, the row is the
record's position in its list (from 1).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import openpyxl
from pydantic import ValidationError

from ecograph.model import NATIONAL, TABLES, Dataset, Record, fold

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


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset, where it is, and how to fix it."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class InvalidDataset(Exception):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the dataset")
        self.problems = problems


@dataclass
class RawTable:
    """A table as read from its file: where it came from, its headers, and its rows by row number."""

    label: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def table_of(name: str) -> str | None:
    """Which table a file or sheet name holds (``actores.csv`` → ``actors``), or None."""
    stem = fold(Path(name).stem)
    for table, aliases in TABLE_NAMES.items():
        if stem == table or stem in aliases:
            return table
    return None


def read_dataset(path: str | Path) -> Dataset:
    """Read and validate the dataset at ``path``; raise :class:`InvalidDataset` listing every problem."""
    dataset, problems = check_dataset(path)
    if problems or dataset is None:
        raise InvalidDataset(problems)
    return dataset


def check_dataset(path: str | Path) -> tuple[Dataset | None, list[Problem]]:
    """Validate the dataset at ``path``: the dataset (when valid) and all problems found."""
    path = Path(path)
    try:
        raw = read_raw(path)
    except InvalidDataset as error:
        return None, error.problems
    return check_tables(raw)


def read_raw(path: Path) -> dict[str, RawTable]:
    if not path.exists():
        raise InvalidDataset([Problem(str(path), 0, "-", "no such file or folder; check the path")])
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_workbook(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".csv":
        raise InvalidDataset([Problem(path.name, 0, "-", "a dataset is a folder of CSV files; "
                                      "give the folder that holds actors.csv and collaborations.csv")])
    raise InvalidDataset([Problem(path.name, 0, "-", f"unsupported file type {suffix or '(none)'!r}; "
                                  "give a folder of CSV files, an .xlsx workbook or a .json file")])


def _read_folder(folder: Path) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for file in sorted(folder.glob("*.csv")):
        table = table_of(file.name)
        if table is None:
            continue
        content = file.read_bytes()
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content[:error.start].count(b"\n") + 1
            raise InvalidDataset([Problem(file.name, line, "-", f"not UTF-8 (byte {error.start}); "
                                          "save the file as 'CSV UTF-8'")]) from None
        lines = list(csv.reader(io.StringIO(text, newline="")))
        tables[table] = _table(file.name, lines)
    return tables


def _read_workbook(path: Path) -> dict[str, RawTable]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidDataset([Problem(path.name, 0, "-", f"cannot open the workbook ({type(error).__name__}); "
                                      "save it again from Excel as .xlsx")]) from None
    tables: dict[str, RawTable] = {}
    try:
        for sheet in workbook.worksheets:
            table = table_of(sheet.title)
            if table is not None:
                rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
                tables[table] = _table(f"{path.name}[{sheet.title}]", rows)
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


def _table(label: str, lines: list[list[str]]) -> RawTable:
    headers = [str(cell).strip() for cell in (lines[0] if lines else [])]
    while headers and headers[-1] == "":
        headers.pop()
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if all(str(cell).strip() == "" for cell in line):
            continue
        rows.append((number, {header: line[i] if i < len(line) else "" for i, header in enumerate(headers)}))
    return RawTable(label, headers, rows)


def _read_json(path: Path) -> dict[str, RawTable]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f"{getattr(error, 'lineno', 0)}:{getattr(error, 'colno', 0)}"
        raise InvalidDataset([Problem(path.name, 0, "-", f"not valid UTF-8 JSON at {where}: {error}")]) from None
    if not isinstance(document, dict):
        raise InvalidDataset([Problem(path.name, 0, "-", "expected an object with the keys regions, "
                                      "indicators, actors and collaborations")])
    tables: dict[str, RawTable] = {}
    problems = []
    for key, records in document.items():
        table = table_of(key)
        if table is None:
            problems.append(Problem(path.name, 0, key, f"unknown section {key!r}; use {', '.join(TABLES)}"))
            continue
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            problems.append(Problem(path.name, 0, key, "expected a list of objects"))
            continue
        headers = sorted({field for record in records for field in record})
        label = f"{path.name}[{key}]"
        tables[table] = RawTable(label, headers, list(enumerate(records, start=1)))
    if problems:
        raise InvalidDataset(problems)
    return tables


def check_tables(raw: dict[str, RawTable]) -> tuple[Dataset | None, list[Problem]]:
    """Validate every row of every table, then the references between tables."""
    problems: list[Problem] = []
    for table in REQUIRED_TABLES:
        if table not in raw:
            names = " or ".join([f"{table}.csv", *(f"{alias}.csv" for alias in TABLE_NAMES[table])])
            problems.append(Problem(names, 0, "-", f"missing the {table} table; add {table}.csv "
                                    f"(or a sheet named {table})"))
    records: dict[str, list[tuple[int, Record]]] = {table: [] for table in TABLES}
    original: dict[str, dict[str, str]] = {}
    # Keys of rows that failed validation still count as known, so one bad row does not
    # also turn every reference to it into a problem.
    failed_keys: dict[str, set[str]] = {table: set() for table in TABLES}
    for table, content in raw.items():
        columns, header_problems = _map_headers(table, content)
        problems += header_problems
        missing = {p.column for p in header_problems if p.message.startswith("missing column")}
        original[table] = {field: header for header, field in columns.items()}
        for number, row in content.rows:
            values = {columns[header]: value for header, value in row.items() if header in columns}
            try:
                records[table].append((number, TABLES[table].model_validate(values)))
            except ValidationError as error:
                problems += [p for p in _row_problems(content.label, number, error, original[table])
                             if p.column not in missing]
                failed_keys[table].add(_raw_key(table, values))
    problems += _check_references(raw, records, original, failed_keys)
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.row, p.column, p.message))
    return Dataset(**{table: [record for _, record in rows] for table, rows in records.items()}), []


def _raw_key(table: str, values: dict[str, Any]) -> str:
    key = str(values.get(TABLES[table].key_field) or "").strip()
    return "0" + key if table == "regions" and key.isdigit() and len(key) == 1 else key


def _map_headers(table: str, content: RawTable) -> tuple[dict[str, str], list[Problem]]:
    """Map each header as written to its field name; complain about unknown and missing ones."""
    lookup = {fold(alias): field for field, aliases in HEADERS[table].items() for alias in (field, *aliases)}
    columns: dict[str, str] = {}
    problems = []
    for position, header in enumerate(content.headers, start=1):
        field = lookup.get(fold(header))
        if field is None:
            guess = get_close_matches(fold(header), list(lookup), n=1)
            hint = f"did you mean {lookup[guess[0]]!r}? " if guess else ""
            problems.append(Problem(content.label, 1, header or f"column {position}",
                                    f"unknown column {header!r}; {hint}expected {', '.join(HEADERS[table])}"))
        elif field in columns.values():
            problems.append(Problem(content.label, 1, header, f"column {field!r} appears twice; keep one"))
        else:
            columns[header] = field
    required = [name for name, info in TABLES[table].model_fields.items()
                if info.is_required() and name not in columns.values()]
    if content.rows or content.headers:
        problems += [Problem(content.label, 1, name, f"missing column {name!r}; add it to the header row")
                     for name in required]
    return columns, problems


PYDANTIC_MESSAGES = {
    "missing": "required value is empty; fill it in",
    "int_parsing": "{input!r} is not a whole number; write digits only, e.g. 1341012",
    "int_from_float": "{input!r} is not a whole number; write digits only",
    "float_parsing": "{input!r} is not a number; use a dot for decimals, e.g. 38.5",
    "string_too_short": "required value is empty; fill it in",
    "greater_than_equal": "{input!r} is too small: {msg}",
    "less_than_equal": "{input!r} is too large: {msg}",
    "extra_forbidden": "unknown field; remove it",
}


def _row_problems(label: str, row: int, error: ValidationError, headers: dict[str, str]) -> list[Problem]:
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        message = re.sub(r"^(Value|Assertion) error, ", "", item["msg"])
        if not field and (match := re.match(r"^(\w+): (.*)$", message)):
            field, message = match.groups()
        template = PYDANTIC_MESSAGES.get(item["type"])
        if template:
            message = template.format(input=item.get("input"), msg=message.lower())
        problems.append(Problem(label, row, headers.get(field, field or "-"), message))
    return problems


def _check_references(raw: dict[str, RawTable], records: dict[str, list[tuple[int, Record]]],
                      headers: dict[str, dict[str, str]], failed_keys: dict[str, set[str]]) -> list[Problem]:
    """Duplicate keys, and references to regions and actors that the dataset does not have."""
    problems: list[Problem] = []

    def label(table: str) -> str:
        return raw[table].label if table in raw else f"{table}.csv"

    def column(table: str, field: str) -> str:
        return headers.get(table, {}).get(field, field)

    first_row: dict[str, dict[str, int]] = {}
    for table, rows in records.items():
        seen = first_row.setdefault(table, {})
        for number, record in rows:
            if record.key in seen and table == "indicators":
                problems.append(Problem(label(table), number, column(table, "indicator"),
                                        f"duplicate figure {record.key!r}: same region, indicator, period and area "
                                        f"as row {seen[record.key]}; keep one"))
            elif record.key in seen:
                what = "region code" if table == "regions" else "id"
                problems.append(Problem(label(table), number, column(table, record.key_field),
                                        f"duplicate {what} {record.key!r} (first on row {seen[record.key]}); "
                                        "give each row its own"))
            else:
                seen[record.key] = number
    regions = set(first_row["regions"]) | failed_keys["regions"]
    actors = set(first_row["actors"]) | failed_keys["actors"]
    example = next(iter(sorted(first_row["regions"])), "06")
    for number, actor in records["actors"]:
        if actor.region is not None and actor.region not in regions:  # type: ignore[attr-defined]
            problems.append(Problem(label("actors"), number, column("actors", "region"),
                                    f"unknown region {actor.region!r}; use a code from regions, "  # type: ignore[attr-defined]
                                    f"e.g. {example}"))
    for number, indicator in records["indicators"]:
        if indicator.region not in regions and indicator.region != NATIONAL:  # type: ignore[attr-defined]
            problems.append(Problem(label("indicators"), number, column("indicators", "region"),
                                    f"unknown region {indicator.region!r}; use a code from regions "  # type: ignore[attr-defined]
                                    f"or {NATIONAL} for the whole country"))
    for number, tie in records["collaborations"]:
        for end in ("source", "target"):
            actor_id = getattr(tie, end)
            if actor_id not in actors:
                problems.append(Problem(label("collaborations"), number, column("collaborations", end),
                                        f"tie to unknown actor {actor_id!r}; add it to actors or correct the id"))
    return problems


def describe(problems: Iterable[Problem]) -> str:
    """All problems, one per line, as ``validate`` prints them."""
    return "\n".join(str(problem) for problem in problems)
