"""Reports as text or files: a terminal table, Markdown, JSON, CSV files or an xlsx workbook (through pandas).

The tables of a region's report are the summary (every figure, with its label), the key actors (each with the
sentence of why it matters), the per-actor measures, the communities, the gaps, the bridging opportunities and the
convening set. Files for people (CSV, xlsx, Markdown) name their tables and
label their figures in the language of the run, and give the gaps' and opportunities' sentences in it (the
``text`` column); columns keep their codes (``degree``, ``severity`` ...), so a script reads any language's
file the same way. CSV and xlsx files say what they hold: the dataset version and the options used (an *about*
sheet; ``#`` rows at the top of each CSV, which ``pandas.read_csv(..., comment="#")`` skips), and hold no cell a
spreadsheet would run as a formula (:func:`ecograph.writers.neutralize`, as for datasets). CSV files are UTF-8
with a byte-order mark, so Excel shows accents right.

The terminal table keeps the tables' codes as names (``== summary ==``), as scripts read them.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from ecograph.analysis.models import Community, Gap, KeyActor, RegionReport
from ecograph.analysis.report import Options
from ecograph.i18n import DEFAULT, Texts
from ecograph.writers import neutralize

TABLES = ("summary", "key_actors", "measures", "communities", "gaps", "opportunities", "convening")
"""The report's table codes; each is named in the run's language by the message ``report.table.<code>`` (other
tables, like the comparison, keep their code)."""
ABOUT = "about"


def _figure(texts: Texts, name: str) -> str:
    for key in (f"report.figure.{name}", f"figure.{name}", f"measure.{name}"):
        if texts.has(key):
            return texts(key)
    return name


def _cells(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """A result as table cells: lists ``;``-joined, and of the two sentences only the one in ``lang``."""
    cells = {key: ";".join(map(str, value)) if isinstance(value, list | tuple) else value
             for key, value in record.items() if key not in ("text_es", "text_en")}
    if "text_es" in record:
        cells["text"] = record.get(f"text_{lang}", record["text_es"])
    return cells


def report_tables(report: RegionReport, lang: str = DEFAULT) -> dict[str, pd.DataFrame]:
    """A region report as tables (by code): summary, key actors, measures, communities (named), gaps,
    opportunities, convening."""
    texts = Texts(lang)
    s, c = report.structure, report.convening
    figures: list[tuple[str, Any]] = [
        ("region", report.region or "PE"), ("dataset_version", report.version), ("actors", s.actors),
        ("ties", s.ties), ("density", round(s.density, 4)), ("components", s.components),
        ("fragmentation", round(s.fragmentation, 4)), ("isolates", len(s.isolates)), ("ei_index", s.ei_index),
        ("assortativity", s.assortativity), ("cross_sector_share", s.cross_sector_share),
        ("outside_ties", s.outside_ties), ("national_ties", s.national_ties), ("modularity", report.modularity),
        ("betweenness_method", report.betweenness_method), ("convening_steps", c.steps),
        ("convening_reached", c.reached), ("reach_share", c.reach_share),
        ("sectors_covered", ";".join(c.sectors_covered)), ("fragmentation_without", c.fragmentation_without)]
    names = {m.id: (m.name, m.sector) for m in report.measures}
    summary = pd.DataFrame([(name, _figure(texts, name), value) for name, value in figures],
                           columns=["figure", "label", "value"])
    key_actors = pd.DataFrame([_cells({"id": k.id, "name": names.get(k.id, ("", ""))[0],
                                       "sector": names.get(k.id, ("", ""))[1], **k.model_dump(exclude={"id"})}, lang)
                               for k in report.key_actors],
                              columns=["id", "name", "sector", *(name for name in KeyActor.model_fields
                                                                 if name not in ("id", "text_es", "text_en")), "text"])
    measures = pd.DataFrame([{**m.model_dump(exclude={"brokerage"}), **m.brokerage} for m in report.measures])
    if not measures.empty:
        measures = measures.sort_values(["local", "betweenness", "id"], ascending=[False, False, True])
    community_columns = [*(name for name in Community.model_fields if name not in ("sectors", "text_es", "text_en")),
                         "text"]
    communities = pd.DataFrame([_cells(c.model_dump(exclude={"sectors"}), lang) for c in report.communities],
                               columns=community_columns)
    gap_columns = list(_cells(dict.fromkeys(Gap.model_fields), lang))
    gaps = pd.DataFrame([_cells(g.model_dump(), lang) for g in report.gaps], columns=gap_columns)
    opportunities = pd.DataFrame([_cells(o.model_dump(), lang) for o in report.opportunities])
    convening = pd.DataFrame(
        [{"role": role, "actor": actor, "name": names.get(actor, ("", ""))[0], "sector": names.get(actor, ("", ""))[1]}
         for role, actors in (("convener", c.actors), ("fragmenter", c.fragmenters)) for actor in actors],
        columns=["role", "actor", "name", "sector"])
    return {"summary": summary, "key_actors": key_actors, "measures": measures, "communities": communities,
            "gaps": gaps,
            "opportunities": opportunities, "convening": convening}


def about(lang: str, version: int, region: str | None = None, options: Options | None = None,
          regions: tuple[str, ...] | None = None) -> list[tuple[str, Any]]:
    """What a file holds, as (label, value) rows in ``lang``: the program, the dataset version, the region (or
    regions) and every option used (lists ``;``-separated, as in datasets)."""
    texts = Texts(lang)
    try:
        program = f"ecograph {package_version('ecograph')}"
    except PackageNotFoundError:  # run from a source tree that is not installed
        program = "ecograph"
    rows: list[tuple[str, Any]] = [(texts("report.about.program"), program),
                                   (texts("report.about.dataset_version"), version),
                                   (texts("report.about.language"), lang)]
    if regions is not None:
        rows.append((texts("report.about.regions"), ";".join(regions) or texts("report.about.all")))
    else:
        rows.append((texts("report.about.region"), region or texts("report.about.country")))
    if options is not None:
        for name, value in asdict(options).items():
            shown = ";".join(map(str, value)) if isinstance(value, tuple) else value
            rows.append((texts(f"report.option.{name}"), shown if shown not in ("", None) else
                         texts("report.about.all" if isinstance(value, tuple) else "report.about.none")))
    return rows


def named(tables: dict[str, pd.DataFrame], lang: str) -> dict[str, pd.DataFrame]:
    """``tables`` by their names in ``lang`` (table codes without a name keep their code)."""
    texts = Texts(lang)
    return {texts(f"report.table.{code}") if texts.has(f"report.table.{code}") else code: table
            for code, table in tables.items()}


def _safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with no text a spreadsheet would run as a formula."""
    def cell(value: Any) -> Any:
        return neutralize(value) if isinstance(value, str) else value

    return table.rename(columns=lambda name: cell(str(name))).map(cell)


def _file_name(name: str) -> str:
    return re.sub(r"[^\w\-]+", "_", name).strip("_") or "table"


def csv_files(tables: dict[str, pd.DataFrame], lang: str, info: list[tuple[str, Any]] | None = None) -> dict[str, str]:
    """Each table as the text of a CSV file, by file name: the *about* rows (``# label: value``, one line each,
    unquoted, so ``read_csv(..., comment="#")`` skips them), then the table."""
    files = {}
    for name, table in named(tables, lang).items():
        buffer = io.StringIO(newline="")
        for label, value in info or ():
            buffer.write(re.sub(r"\s+", " ", f"# {label}: {value}") + "\n")
        _safe(table).to_csv(buffer, index=False, lineterminator="\n")
        files[f"{_file_name(name)}.csv"] = buffer.getvalue()
    return files


def write_csv(tables: dict[str, pd.DataFrame], folder: Path, lang: str,
              info: list[tuple[str, Any]] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in csv_files(tables, lang, info).items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def xlsx_bytes(tables: dict[str, pd.DataFrame], lang: str, info: list[tuple[str, Any]] | None = None) -> bytes:
    """The tables as an xlsx workbook: the *about* sheet first, then one sheet per table."""
    texts = Texts(lang)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as workbook:
        if info is not None:
            sheet = pd.DataFrame(info, columns=[texts("report.about.item"), texts("report.about.value")])
            _safe(sheet).to_excel(workbook, sheet_name=texts("report.table.about")[:31], index=False)
        for name, table in named(tables, lang).items():
            _safe(table).to_excel(workbook, sheet_name=name[:31], index=False)
    return buffer.getvalue()


COMPACT = {"key_actors": ["id", "text"],
           "measures": ["id", "sector", "local", "degree", "betweenness", "pagerank", "constraint", "community"],
           "communities": ["number", "actors", "text"], "gaps": ["severity", "kind", "text"],
           "opportunities": ["score", "text"],
           "summary": ["figure", "value"]}


def render(result: BaseModel | list[BaseModel], tables: dict[str, pd.DataFrame], format: str,
           output: Path | None, lang: str = DEFAULT, info: list[tuple[str, Any]] | None = None) -> str:
    """Write or return ``result`` in ``format``; the message to print, in ``lang`` (``wrote …`` for files)."""
    texts = Texts(lang)

    def wrote(*paths: Path) -> str:
        return "\n".join(texts("cli.wrote", path=path) for path in paths)

    if format == "json":
        data = [r.model_dump(mode="json") for r in result] if isinstance(result, list) else result.model_dump(
            mode="json")
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif format == "md":
        head = "\n".join(f"- {label}: {value}" for label, value in info or ())
        text = "\n\n".join([*([head] if head else []), *(f"## {name}\n\n{markdown(table)}"
                                                          for name, table in named(tables, lang).items())])
    elif format == "table":
        with pd.option_context("display.max_rows", 60, "display.max_columns", 12, "display.width", 160,
                               "display.max_colwidth", 60):
            text = "\n\n".join(
                f"== {name} ==\n" + (table[COMPACT[name]] if name in COMPACT and not table.empty else table)
                .head(30).to_string(index=False) for name, table in tables.items())
    elif format == "csv":
        assert output is not None
        return wrote(*write_csv(tables, output, lang, info))
    else:
        assert output is not None
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(xlsx_bytes(tables, lang, info))
        return wrote(output)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
        return wrote(output)
    return text


def markdown(table: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table, with ``|`` in cells escaped."""
    def cell(value: object) -> str:
        return "" if value is None or value != value else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)
