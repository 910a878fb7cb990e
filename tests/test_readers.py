"""Reading datasets: every format, Spanish or English headers, and every problem reported at once."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from ecograph.model import Dataset
from ecograph.readers import check_dataset, read_dataset
from ecograph.writers import write_json, write_xlsx
from tests.conftest import DATA, MINI

BAD = DATA / "bad"

# One case per kind of error: the folder in tests/data/bad/ overlays the small dataset.
EXPECTED = {
    "unknown_sector": ["actors.csv:6:sector: unknown sector 'privada'; use one of academia, public, private, "
                       "civil_society, international"],
    "duplicate_id": ["actors.csv:8:id: duplicate id 'unc' (first on row 5); give each row its own"],
    "unknown_actor": ["collaborations.csv:6:target: tie to unknown actor 'upao'; add it to actors or correct the id"],
    "self_tie": ["collaborations.csv:6:target: self-tie: unc collaborates with itself; correct source or target"],
    "bad_date": ["collaborations.csv:6:start: bad date '15/03/2022'; write it as YYYY-MM-DD, YYYY-MM or YYYY"],
    "unknown_region": ["actors.csv:8:region: unknown region '13'; use a code from regions, e.g. 06"],
    "weight_out_of_range": ["collaborations.csv:6:weight: weight '7' is out of range; use a whole number from 1 to 5"],
    "unknown_column": ["actors.csv:1:target_group: unknown column 'target_group'; did you mean 'target_groups'? "
                       "expected id, name, acronym, sector, type, region, scope, capabilities, target_groups, "
                       "website, description, source, illustrative"],
    "missing_column": ["collaborations.csv:1:type: missing column 'type'; add it to the header row"],
    "bad_id": ["actors.csv:8:id: bad id 'Univ Cusco'; use lower-case letters, digits and dashes, e.g. univ-cusco"],
    "end_before_start": ["collaborations.csv:6:end: end 2021 is before start 2023; swap or correct the dates"],
    "empty_name": ["actors.csv:8:name: required value is empty; fill it in"],
    "bad_website": ["actors.csv:8:website: bad website 'www.upao.edu.pe'; write the full address, starting with "
                    "https://"],
    "unknown_capability": ["actors.csv:8:capabilities: unknown capability 'inteligencia_artificial'; use one of "
                           "connectivity, digital_skills, e_government, digital_payments, e_commerce, "
                           "entrepreneurship, research_innovation, data_statistics, financing, policy, "
                           "cybersecurity, e_learning, e_health, digital_agriculture"],
    "bad_population": ["regions.csv:2:population: '1.3 millones' is not a whole number; write digits only, "
                       "e.g. 1341012"],
    "not_utf8": ["actors.csv:3:-: not UTF-8 (byte 342); save the file as 'CSV UTF-8'"],
}


def overlay(case: str, tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(MINI, tmp_path / case))
    for file in (BAD / case).iterdir():
        shutil.copy(file, folder / file.name)
    return folder


def test_every_case_in_the_corpus_is_checked() -> None:
    assert {case.name for case in BAD.iterdir()} == set(EXPECTED) | {"many_errors"}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_error_kind_gives_its_exact_message(case: str, tmp_path: Path) -> None:
    dataset, problems = check_dataset(overlay(case, tmp_path))
    assert dataset is None
    assert [str(problem) for problem in problems] == EXPECTED[case]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    _, problems = check_dataset(overlay("many_errors", tmp_path))
    assert [str(problem) for problem in problems] == [
        "actors.csv:8:capabilities: unknown capability 'magia'; use one of connectivity, digital_skills, "
        "e_government, digital_payments, e_commerce, entrepreneurship, research_innovation, data_statistics, "
        "financing, policy, cybersecurity, e_learning, e_health, digital_agriculture",
        "actors.csv:8:illustrative: 'quizás' is not yes or no; write true or false",
        "actors.csv:8:name: required value is empty; fill it in",
        "actors.csv:8:sector: unknown sector 'empresa_privada'; use one of academia, public, private, "
        "civil_society, international",
        "actors.csv:9:scope: unknown scope 'planetary'; use one of local, regional, national, international",
        "collaborations.csv:6:start: bad date '2022-13': no such date; write it as YYYY-MM-DD, YYYY-MM or YYYY",
        "collaborations.csv:6:status: unknown status 'maybe'; use one of active, planned, ended",
        "collaborations.csv:6:type: unknown collaboration type 'friendship'; use one of agreement, joint_project, "
        "funding, training, data_sharing, network_membership, service",
        "collaborations.csv:6:weight: weight '9' is out of range; use a whole number from 1 to 5",
        "collaborations.csv:7:source: tie to unknown actor 'ghost'; add it to actors or correct the id",
    ]


def test_missing_table_and_missing_path(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(MINI, tmp_path / "partial"))
    (folder / "collaborations.csv").unlink()
    _, problems = check_dataset(folder)
    assert [str(p) for p in problems] == [
        "collaborations.csv or colaboraciones.csv or vinculos.csv:0:-: missing the collaborations table; "
        "add collaborations.csv (or a sheet named collaborations)"]
    _, problems = check_dataset(tmp_path / "nowhere")
    assert "no such file or folder" in str(problems[0])


def test_spanish_headers_and_file_names(mini: Dataset, tmp_path: Path) -> None:
    spanish = {"regions": ("regiones", ["codigo", "nombre", "capital", "población", "latitud", "longitud", "fuente"]),
               "indicators": ("indicadores", ["región", "indicador", "periodo", "ámbito", "valor", "unidad",
                                              "fuente"]),
               "actors": ("actores", ["id", "nombre", "sigla", "sector", "tipo", "región", "alcance", "capacidades",
                                      "grupos objetivo", "sitio web", "descripción", "fuente", "ilustrativo"]),
               "collaborations": ("colaboraciones", ["id", "origen", "destino", "tipo", "peso", "inicio", "fin",
                                                     "estado", "programa", "evidencia", "ilustrativo"])}
    folder = tmp_path / "es"
    folder.mkdir()
    for table, (name, header) in spanish.items():
        rows = list(csv.reader((MINI / f"{table}.csv").read_text(encoding="utf-8").splitlines()))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows[1:]])
    assert read_dataset(folder) == mini


def test_xlsx_and_json_read_the_same_dataset(mini: Dataset, tmp_path: Path) -> None:
    write_xlsx(mini, tmp_path / "mini.xlsx")
    write_json(mini, tmp_path / "mini.json")
    assert read_dataset(tmp_path / "mini.xlsx") == mini
    assert read_dataset(tmp_path / "mini.json") == mini


def test_xlsx_problems_name_the_sheet(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "mini.xlsx"
    write_xlsx(mini, path)
    workbook = openpyxl.load_workbook(path)
    workbook["actors"]["D3"] = "privada"
    workbook["collaborations"]["E2"] = 9  # numbers typed in Excel arrive as numbers
    workbook.save(path)
    _, problems = check_dataset(path)
    assert [str(p) for p in problems] == [
        "mini.xlsx[actors]:3:sector: unknown sector 'privada'; use one of academia, public, private, "
        "civil_society, international",
        "mini.xlsx[collaborations]:2:weight: weight '9' is out of range; use a whole number from 1 to 5",
    ]


def test_json_problems_name_the_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"actors": [{"id": "a", "name": "A", "sector": "x", "type": "ngo", "scope": "local", '
                    '"region": "06"}], "collaborations": [], "regions": [{"code": "06", "name": "Cajamarca"}]}',
                    encoding="utf-8")
    _, problems = check_dataset(path)
    assert [str(p) for p in problems] == [
        "bad.json[actors]:1:sector: unknown sector 'x'; use one of academia, public, private, civil_society, "
        "international"]


def test_line_breaks_inside_quoted_cells_survive(mini_path: Path) -> None:
    text = (mini_path / "actors.csv").read_text(encoding="utf-8")
    (mini_path / "actors.csv").write_text(text.replace("Agencia de la ONU", '"Agencia de la ONU\nen Perú"'),
                                          encoding="utf-8")
    pnud = next(a for a in read_dataset(mini_path).actors if a.id == "pnud")
    assert pnud.description == "Agencia de la ONU\nen Perú"


def test_duplicate_figures_are_named_as_such(mini_path: Path) -> None:
    with (mini_path / "indicators.csv").open("a", encoding="utf-8") as handle:
        handle.write("PE,households_with_internet,2020-Q1,total,41,percent,INEI\n")
    _, problems = check_dataset(mini_path)
    assert [str(p) for p in problems] == [
        "indicators.csv:5:indicator: duplicate figure 'PE|households_with_internet|2020-Q1|total': same region, "
        "indicator, period and area as row 2; keep one"]


def test_damaged_files_get_a_clear_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "data.txt").write_text("x", encoding="utf-8")
    assert "cannot open the workbook" in str(check_dataset(tmp_path / "broken.xlsx")[1][0])
    assert "not valid UTF-8 JSON at 1:2" in str(check_dataset(tmp_path / "broken.json")[1][0])
    assert "unsupported file type '.txt'" in str(check_dataset(tmp_path / "data.txt")[1][0])
