"""Export then import gives the identical dataset; GraphML opens in networkx's own reader."""

from __future__ import annotations

import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from ecograph.generate import generate_dataset
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.stores import Store
from ecograph.writers import DATASET_FORMATS, export


@pytest.mark.parametrize("format", DATASET_FORMATS)
def test_dataset_formats_round_trip(store: Store, mini: Dataset, tmp_path: Path, format: str) -> None:
    store.load(mini)
    path = tmp_path / ("out" if format == "csv" else f"out.{format}")
    export(store.dataset(), None, path, format)
    again = read_dataset(path)
    assert again == mini
    names = {a.name for a in again.actors}
    assert "Asociación de Mujeres Emprendedoras del Cusco — Ñawi" in names


@pytest.mark.parametrize("format", DATASET_FORMATS)
def test_generated_dataset_round_trips(tmp_path: Path, format: str) -> None:
    dataset = generate_dataset(120, seed=7)
    path = tmp_path / ("out" if format == "csv" else f"out.{format}")
    export(dataset, None, path, format)
    assert read_dataset(path) == dataset


def test_graphml_opens_in_networkx(store: Store, mini: Dataset, tmp_path: Path) -> None:
    """GraphML opens in networkx's own reader. (GEXF mixes undirected ties with directed funding and service ties,
    which networkx's GEXF reader refuses; tests/test_formats.py checks it against the official schema.)"""
    store.load(mini)
    graph = store.graph()
    path = tmp_path / "ecosystem.graphml"
    export(store.dataset(), graph, path, "graphml")
    read = nx.read_graphml(path)
    assert sorted(read.nodes) == sorted(graph.nodes)
    assert read.number_of_edges() == graph.number_of_edges()
    assert read.nodes["asoc-mujeres-cusco"]["name"] == "Asociación de Mujeres Emprendedoras del Cusco — Ñawi"
    assert read.nodes["pnud"]["capabilities"] == "digital_skills;entrepreneurship"
    weights = sorted(int(data["weight"]) for _, _, data in read.edges(data=True))
    assert weights == sorted(data["weight"] for _, _, data in graph.edges(data=True))


def test_region_export_is_a_valid_dataset(store: Store, mini: Dataset, tmp_path: Path) -> None:
    store.load(mini)
    part = store.dataset("06")
    export(part, None, tmp_path / "cajamarca", "csv")
    again = read_dataset(tmp_path / "cajamarca")
    assert [r.code for r in again.regions] == ["06"]
    assert {a.id for a in again.actors} == {"camara-cajamarca", "gore-cajamarca", "produce", "unc"}
    assert [i.region for i in again.indicators] == ["06"]


FORMULA = '=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_formula_like_cells_export_as_text_and_read_back_unchanged(mini: Dataset, tmp_path: Path,
                                                                   format: str) -> None:
    actors = [actor.model_copy(update={"name": FORMULA, "description": "-1+2", "acronym": "'@x"})
              if actor.id == "unc" else actor for actor in mini.actors]
    dataset = mini.model_copy(update={"actors": actors})
    path = tmp_path / ("out" if format == "csv" else "out.xlsx")
    export(dataset, None, path, format)
    if format == "csv":
        text = (path / "actors.csv").read_text(encoding="utf-8")
        assert "\n'=HYPERLINK" not in text and ",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"," in text
        assert ",'-1+2," in text and ",''@x," in text
        assert ",-7.1547," in (path / "regions.csv").read_text(encoding="utf-8"), "numbers stay numbers"
    else:
        with zipfile.ZipFile(path) as workbook:
            sheets = [workbook.read(name) for name in workbook.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
        assert "'" + FORMULA in [cell.value for cell in openpyxl.load_workbook(path)["actors"]["B"]]
    again = read_dataset(path)
    assert again == dataset
    assert next(actor for actor in again.actors if actor.id == "unc").name == FORMULA
