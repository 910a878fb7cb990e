"""Tables as read from a file, before validation: what every reader (ecograph's own formats, Kumu, Gephi,
GraphML, GEXF) produces, and the problems found on the way.

A :class:`RawTable` holds a table's headers as written and its rows, each keyed by where a person finds it
again: the spreadsheet row number (the header is row 1), the record's position in a JSON list, or a node's or
edge's id in a graph file. :mod:`ecograph.readers` validates raw tables into a :class:`~ecograph.model.Dataset`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from ecograph.i18n import DEFAULT, Texts
from ecograph.model import TABLES, fold
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
        "type": ("tipo", "tie_type", "tipo_de_vinculo"), "weight": ("peso", "intensidad", "fuerza"),
        "start": ("inicio", "fecha_inicio"), "end": ("fin", "fecha_fin"), "status": ("estado",),
        "program": ("programa",), "evidence": ("evidencia", "fuente"), "illustrative": ("ilustrativo",),
    },
}


def spellings(table: str) -> dict[str, tuple[str, ...]]:
    """Every field of ``table`` with its accepted spellings: :data:`HEADERS`, and any field of the model that
    HEADERS does not list yet, by its own name."""
    return {**{name: HEADERS[table].get(name, ()) for name in TABLES[table].model_fields},
            **{name: aliases for name, aliases in HEADERS[table].items() if name not in TABLES[table].model_fields}}


TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "regions": ("regiones",), "indicators": ("indicadores",), "actors": ("actores",),
    "collaborations": ("colaboraciones", "vinculos"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, where it is, and how to fix it: a ``validation`` catalog message.

    ``row`` is the spreadsheet row (the header is row 1; 0 for the whole file), the record's position in a JSON
    list, or the id of a node or edge in a graph file.
    """

    file: str
    row: int | str
    column: str
    key: str
    values: tuple[tuple[str, str | int], ...] = ()
    severity: str = ERROR

    @classmethod
    def at(cls, file: str, row: int | str, column: str, key: str, severity: str = ERROR,
           **values: str | int) -> Problem:
        return cls(file, row, column, key, tuple(values.items()), severity)

    @property
    def kind(self) -> tuple[str, str, str]:
        """The same mistake, wherever it is repeated: file, column and message key."""
        return self.file, self.column, self.key

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


def order(problem: Problem) -> tuple[Any, ...]:
    """The order problems are listed in: by file, then row (numbers before element ids), column and message."""
    row = (0, problem.row, "") if isinstance(problem.row, int) else (1, 0, problem.row)
    return problem.file, row, problem.column, problem.key, repr(problem.values)


class InvalidDataset(Exception):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the dataset")
        self.problems = problems


@dataclass
class RawTable:
    """A table as read from its file: where it came from, its headers, its rows by where they are (row number or
    element id), and the problems of the file itself (its encoding, separator, rows of the wrong length).

    ``sources`` names, for a header a reader or a mapping gave a row, the column it was read from, so problems
    point at the column a person wrote (``Label`` for the name of a Kumu element).
    """

    label: str
    headers: list[str]
    rows: list[tuple[int | str, dict[str, Any]]]
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def column(self, header: str) -> str:
        """The column a person finds ``header``'s values in."""
        return self.sources.get(header, header)


def table_of(name: str) -> str | None:
    """Which table a file or sheet name holds (``actores.csv`` → ``actors``), or None."""
    stem = fold(Path(name).stem)
    for table, aliases in TABLE_NAMES.items():
        if stem == table or stem in aliases:
            return table
    return None


def header_of(table: str, headers: list[str], name: str, *extra: str) -> str | None:
    """The header of ``headers`` that holds field ``name`` of ``table`` (its English or Spanish spellings, or
    ``extra`` ones), or None."""
    wanted = {fold(alias) for alias in (name, *spellings(table).get(name, ()), *extra)}
    return next((header for header in headers if fold(header) in wanted), None)


def decode(name: str, content: bytes) -> tuple[str, list[Problem]]:
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


def csv_lines(file: Path) -> tuple[list[list[str]], list[Problem]]:
    """The cells of a CSV file as spreadsheets save them (``,`` or ``;`` between cells), and its problems."""
    text, problems = decode(file.name, file.read_bytes())
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    if delimiter == ";":
        problems.append(Problem.at(file.name, 1, "-", "problem.semicolon", WARNING))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), problems


def cell(value: Any) -> str:
    """A spreadsheet cell as text (dates as ISO dates, whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_table(label: str, lines: list[list[str]], problems: list[Problem]) -> RawTable:
    """A CSV file or sheet as a table: a row with cells beyond the header, or short of it, is a problem."""
    headers = [value.strip() for value in (lines[0] if lines else [])]
    while headers and headers[-1] == "":
        headers.pop()
    rows: list[tuple[int | str, dict[str, Any]]] = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [restore(value) if value[:1] == "'" else value for value in line]  # the few cells it may change
        if all(value.strip() == "" for value in cells):
            continue
        extra = [position for position in range(len(headers), len(cells)) if cells[position].strip()]
        if extra:
            problems.append(Problem.at(label, number, get_column_letter(extra[0] + 1), "problem.too_many_cells",
                                       cells=extra[-1] + 1, headers=len(headers)))
        elif len(cells) < len(headers):
            problems.append(Problem.at(label, number, headers[len(cells)] or get_column_letter(len(cells) + 1),
                                       "problem.too_few_cells", cells=len(cells), headers=len(headers)))
        # cells past the last header are dropped (a problem above when not empty), missing ones are empty
        rows.append((number, dict(zip(headers, cells + [""] * (len(headers) - len(cells)), strict=False))))
    return RawTable(label, headers, rows, problems)


def workbook_sheets(path: Path, wanted: Callable[[str], bool]) -> dict[str, list[list[str]]]:
    """The sheets of an .xlsx workbook whose title is ``wanted``, as text cells; a workbook that cannot be opened
    is a problem."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidDataset([Problem.at(path.name, 0, "-", "problem.workbook_unreadable",
                                         reason=type(error).__name__)]) from None
    try:
        return {sheet.title: [[cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
                for sheet in workbook.worksheets if wanted(sheet.title)}
    finally:
        workbook.close()


def records_table(label: str, records: list[dict[str, Any]], start: int = 1) -> RawTable:
    """A list of JSON objects as a table, each row numbered by its position in the list."""
    headers = sorted({name for record in records for name in record})
    return RawTable(label, headers, list(enumerate(records, start=start)))
