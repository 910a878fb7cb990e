"""The analysis as files: ``ecograph analyze --format xlsx|csv`` and ``GET /api/v1/regions/{code}/analysis?format=
xlsx|csv``, named and labelled in the run's language, saying what they hold, and with no formula cells."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from api.main import create_app
from ecograph import cli
from ecograph.analysis.output import render
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from tests.conftest import MINI
from tests.test_api import API, sqlite_settings, wait_for_analysis

FORMULA = '=HYPERLINK("http://evil","x")'
SPANISH_SHEETS = ["acerca de", "resumen", "actores clave", "medidas", "comunidades", "brechas", "oportunidades",
                  "convocatoria"]
ENGLISH_SHEETS = ["about", "summary", "key actors", "measures", "communities", "gaps", "opportunities", "convening"]


def file(table: str) -> str:
    """The CSV file a table is written to: its name, spaces as underscores ("key actors" → key_actors.csv)."""
    return f"{table.replace(' ', '_')}.csv"


def hostile() -> Dataset:
    """The small dataset, with a university whose name a spreadsheet would run as a formula."""
    mini = read_dataset(MINI)
    return mini.model_copy(update={"actors": [a.model_copy(update={"name": FORMULA}) if a.id == "unc" else a
                                              for a in mini.actors]})


def invoke(*args: object, lang: str = "es") -> Result:
    return CliRunner().invoke(cli.app, [str(arg) for arg in args], env={"ECOGRAPH_LANG": lang})


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    with SQLiteStore(tmp_path / "eco.db") as store:
        store.load(hostile())
    return tmp_path


def no_formulas(workbook: bytes | Path) -> None:
    with zipfile.ZipFile(workbook if isinstance(workbook, Path) else io.BytesIO(workbook)) as opened:
        sheets = [opened.read(name) for name in opened.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)


def report_json(lang: str = "es") -> dict:
    return json.loads(invoke("analyze", "--region", "06", "--format", "json", "--db", "eco.db", lang=lang).stdout)


def test_xlsx_in_the_language_of_the_run(here: Path) -> None:
    report = report_json()
    spanish = invoke("analyze", "--region", "06", "--format", "xlsx", "-o", "es.xlsx", "--db", "eco.db")
    assert spanish.exit_code == 0 and spanish.stdout == "se escribió es.xlsx\n"
    sheets = pd.read_excel(here / "es.xlsx", sheet_name=None)
    assert list(sheets) == SPANISH_SHEETS
    info = dict(zip(sheets["acerca de"]["dato"], sheets["acerca de"]["valor"], strict=True))
    assert (info["Versión del conjunto de datos"], info["Región"], info["Idioma"]) == (1, "06", "es")
    assert (info["Oportunidades listadas (top)"], info["Tamaño del grupo convocante (k)"], info["Sectores"]) == (
        20, 5, "(todos)")
    summary = dict(zip(sheets["resumen"]["figure"], sheets["resumen"]["label"], strict=True))
    assert summary["density"] == "Densidad" and summary["actors"] == "Actores"
    assert list(sheets["brechas"]["text"]) == [gap["text_es"] for gap in report["gaps"]]
    assert "text_en" not in sheets["brechas"] and len(sheets["medidas"]) == 4
    english = invoke("analyze", "--region", "06", "--format", "xlsx", "-o", "en.xlsx", "--db", "eco.db", lang="en")
    assert english.stdout == "wrote en.xlsx\n"
    sheets = pd.read_excel(here / "en.xlsx", sheet_name=None)
    assert list(sheets) == ENGLISH_SHEETS
    assert list(sheets["gaps"]["text"]) == [gap["text_en"] for gap in report["gaps"]]
    assert dict(zip(sheets["summary"]["figure"], sheets["summary"]["label"], strict=True))["density"] == "Density"
    assert list(sheets["opportunities"]["text"]) == [item["text_en"] for item in report["opportunities"]]


def test_xlsx_and_csv_hold_no_formula(here: Path) -> None:
    assert invoke("analyze", "--region", "06", "--format", "xlsx", "-o", "a.xlsx", "--db", "eco.db").exit_code == 0
    no_formulas(here / "a.xlsx")
    names = [cell.value for cell in openpyxl.load_workbook(here / "a.xlsx")["medidas"]["B"]]
    assert "'" + FORMULA in names
    assert invoke("analyze", "--region", "06", "--format", "csv", "-o", "out", "--db", "eco.db").exit_code == 0
    text = (here / "out" / "medidas.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"" in text and "\n=" not in text and ",=" not in text


def test_csv_files_say_what_they_hold(here: Path) -> None:
    written = invoke("analyze", "--region", "06", "--format", "csv", "-o", "out", "--sector", "public",
                     "--sector", "academia", "--top", "3", "--db", "eco.db", lang="en")
    assert written.exit_code == 0, written.stderr
    assert written.stdout.splitlines() == [f"wrote {Path('out') / file(name)}" for name in ENGLISH_SHEETS[1:]]
    lines = (here / "out" / "gaps.csv").read_text(encoding="utf-8").splitlines()
    about = [line for line in lines if line.startswith("# ")]
    assert about[0].startswith("# Program: ecograph")
    assert about[1:4] == ["# Dataset version: 1", "# Language: en", "# Region: 06"]
    assert "# Sectors: public;academia" in lines and "# Opportunities listed (top): 3" in lines
    assert "# Since: —" in lines
    gaps = pd.read_csv(here / "out" / "gaps.csv", comment="#")
    assert {"kind", "severity", "text"} <= set(gaps.columns)
    assert invoke("analyze", "--region", "06", "--format", "csv", "-o", "es", "--db", "eco.db").exit_code == 0
    assert sorted(path.name for path in (here / "es").iterdir()) == sorted(file(name) for name in SPANISH_SHEETS[1:])
    assert "# Versión del conjunto de datos: 1" in (here / "es" / "resumen.csv").read_text(encoding="utf-8")


def test_markdown_and_json_files_say_they_were_written(here: Path, tmp_path: Path) -> None:
    markdown = invoke("analyze", "--region", "06", "--format", "md", "-o", "r.md", "--db", "eco.db", lang="en")
    assert markdown.stdout == "wrote r.md\n"
    text = (here / "r.md").read_text(encoding="utf-8")
    assert "## summary" in text and "- Dataset version: 1" in text
    report = read_dataset(MINI)  # any pydantic model renders as JSON
    assert render(report, {}, "json", tmp_path / "d.json", "es") == f"se escribió {tmp_path / 'd.json'}"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_settings(tmp_path, hostile()))) as test_client:
        wait_for_analysis(test_client)
        yield test_client


def test_api_analysis_as_a_workbook(client: TestClient) -> None:
    report = client.get(f"{API}/regions/06/analysis").json()
    spanish = client.get(f"{API}/regions/06/analysis", params={"format": "xlsx"})
    assert spanish.status_code == 200
    assert spanish.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    version = report["dataset_version"]
    assert spanish.headers["content-disposition"] == f'attachment; filename="ecograph-v{version}-06-analysis.xlsx"'
    assert spanish.headers["content-language"] == "es" and "Accept-Language" in spanish.headers["vary"]
    sheets = pd.read_excel(io.BytesIO(spanish.content), sheet_name=None)
    assert list(sheets) == SPANISH_SHEETS
    assert list(sheets["brechas"]["text"]) == [gap["text_es"] for gap in report["gaps"]]
    info = dict(zip(sheets["acerca de"]["dato"], sheets["acerca de"]["valor"], strict=True))
    assert info["Versión del conjunto de datos"] == version
    no_formulas(spanish.content)
    english = client.get(f"{API}/regions/06/analysis", params={"format": "xlsx", "k": "2"},
                         headers={"Accept-Language": "en"})
    sheets = pd.read_excel(io.BytesIO(english.content), sheet_name=None)
    assert list(sheets) == ENGLISH_SHEETS and english.headers["etag"] != spanish.headers["etag"]
    info = dict(zip(sheets["about"]["item"], sheets["about"]["value"], strict=True))
    assert info["Size of the convening set (k)"] == 2
    assert list(sheets["gaps"]["text"]) == [gap["text_en"] for gap in report["gaps"]]


def test_api_analysis_as_csv_files(client: TestClient) -> None:
    answer = client.get(f"{API}/regions/06/analysis", params={"format": "csv"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].endswith('-06-analysis.zip"')
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert sorted(archive.namelist()) == sorted(file(name) for name in ENGLISH_SHEETS[1:])
        measures = archive.read("measures.csv").decode("utf-8")
    assert "# Region: 06" in measures and "'=HYPERLINK" in measures
    assert client.get(f"{API}/regions/06/analysis", params={"format": "pdf"}).status_code == 422
    assert client.get(f"{API}/regions/99/analysis", params={"format": "csv"}).status_code == 404
    assert client.get(f"{API}/regions/06/analysis").headers["content-type"] == "application/json"
