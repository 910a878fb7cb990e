"""Reading datasets: every format, Spanish or English headers, and every problem reported at once, in Spanish
or English."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from ecograph.formats.tables import spellings
from ecograph.model import Dataset
from ecograph.readers import CELL_LIMIT, ERROR, WARNING, check_dataset, read_dataset
from ecograph.writers import write_json, write_xlsx
from tests.conftest import DATA, MINI

BAD = DATA / "bad"
CAPABILITIES = ("connectivity, digital_skills, e_government, digital_payments, e_commerce, entrepreneurship, "
                "research_innovation, data_statistics, financing, policy, cybersecurity, e_learning, e_health, "
                "digital_agriculture")
ACTOR_COLUMNS = ", ".join(spellings("actors"))
"""id, name, acronym, sector, type, region, scope, capabilities, target_groups, website, description, source,
illustrative, and any field the model gains."""

# One case per kind of error: the folder in tests/data/bad/ overlays the small dataset. Spanish is the default.
EXPECTED = {
    "unknown_sector": ["actors.csv:6:sector: sector desconocido «privada»; use uno de estos: academia, public, "
                       "private, civil_society, international"],
    "duplicate_id": ["actors.csv:8:id: identificador repetido «unc» (aparece primero en la fila 5); dé a cada fila "
                     "uno propio"],
    "unknown_actor": ["collaborations.csv:6:target: vínculo con un actor desconocido «upao»; agréguelo a la tabla "
                      "actors o corrija el identificador"],
    "self_tie": ["collaborations.csv:6:target: el actor unc figura como origen y como destino (una colaboración "
                 "consigo mismo); corrija el origen o el destino"],
    "bad_date": ["collaborations.csv:6:start: fecha no válida «15/03/2022»; escríbala como AAAA-MM-DD, AAAA-MM o "
                 "AAAA, con un año entre 1800 y 2999"],
    "unknown_region": ["actors.csv:8:region: región desconocida «13»; use un código de la tabla regions, por "
                       "ejemplo 06"],
    "weight_out_of_range": ["collaborations.csv:6:weight: el peso «7» está fuera de rango; use un número entero del "
                            "1 al 5"],
    "missing_column": ["collaborations.csv:1:type: falta la columna «type»; agréguela a la fila de encabezados"],
    "bad_id": ["actors.csv:8:id: identificador no válido «Univ Cusco»; use minúsculas sin tildes, dígitos y guiones, "
               "por ejemplo univ-cusco"],
    "end_before_start": ["collaborations.csv:6:end: la fecha de fin 2021 es anterior a la de inicio 2023; "
                         "intercámbielas o corríjalas"],
    "empty_name": ["actors.csv:8:name: falta un valor obligatorio; complételo"],
    "bad_website": ["actors.csv:8:website: sitio web no válido «www.upao.edu.pe»; escriba la dirección completa, "
                    "empezando por https://"],
    "unknown_capability": [f"actors.csv:8:capabilities: capacidad desconocida «inteligencia_artificial»; use una de "
                           f"estas: {CAPABILITIES}"],
    "bad_population": ["regions.csv:2:population: «1.3 millones» no es un número entero; escriba solo dígitos, por "
                       "ejemplo 1341012"],
    "extra_cells": ["collaborations.csv:6:L: la fila tiene más celdas que el encabezado (celdas: 12; columnas con "
                    "nombre: 11); escriba el nombre de la columna en la fila 1 o borre el valor sobrante (en un CSV, "
                    "quizá sobra un separador)"],
    "short_row": ["actors.csv:8:capabilities: la fila tiene menos celdas que el encabezado (celdas: 7; columnas: 13); "
                  "complete la fila (en un CSV, quizá falta un separador)"],
}
ENGLISH = {
    "unknown_sector": ["actors.csv:6:sector: unknown sector 'privada'; use one of academia, public, private, "
                       "civil_society, international"],
    "bad_date": ["collaborations.csv:6:start: bad date '15/03/2022'; write it as YYYY-MM-DD, YYYY-MM or YYYY, with a "
                 "year from 1800 to 2999"],
    "self_tie": ["collaborations.csv:6:target: self-tie: unc collaborates with itself; correct source or target"],
    "extra_cells": ["collaborations.csv:6:L: the row has more cells than the header (cells: 12; named columns: 11); "
                    "name the column in row 1 or delete the extra value (in a CSV, perhaps a stray separator)"],
    "unknown_column": [f"actors.csv:1:target_group: warning: unknown column 'target_group': its values are not read; "
                       f"did you mean 'target_groups'? Expected {ACTOR_COLUMNS}"],
}
# Cases that load all the same, with a warning.
WARNINGS = {
    "unknown_column": [f"actors.csv:1:target_group: advertencia: columna desconocida «target_group»: sus valores no "
                       f"se leen; ¿quiso decir «target_groups»? Las columnas esperadas son {ACTOR_COLUMNS}"],
    "not_utf8": ["actors.csv:3:-: advertencia: el archivo no está en UTF-8 y se leyó como Windows-1252 (Latin-1), la "
                 "codificación de Excel en Windows; revise que las tildes y la ñ se vean bien o, mejor, guárdelo "
                 "como «CSV UTF-8 (delimitado por comas)»"],
    "semicolon_cp1252": [
        "actors.csv:1:-: advertencia: el archivo usa punto y coma (;) como separador, como lo guarda Excel en "
        "español, y se leyó así; si los valores salen mezclados, guárdelo como «CSV UTF-8 (delimitado por comas)»",
        "actors.csv:3:-: advertencia: el archivo no está en UTF-8 y se leyó como Windows-1252 (Latin-1), la "
        "codificación de Excel en Windows; revise que las tildes y la ñ se vean bien o, mejor, guárdelo como «CSV "
        "UTF-8 (delimitado por comas)»"],
}


def overlay(case: str, tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(MINI, tmp_path / case))
    for file in (BAD / case).iterdir():
        shutil.copy(file, folder / file.name)
    return folder


def test_every_case_in_the_corpus_is_checked() -> None:
    assert {case.name for case in BAD.iterdir()} == set(EXPECTED) | set(WARNINGS) | {"many_errors"}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_error_kind_gives_its_exact_message(case: str, tmp_path: Path) -> None:
    dataset, problems = check_dataset(overlay(case, tmp_path))
    assert dataset is None
    assert [str(problem) for problem in problems] == EXPECTED[case]
    assert {problem.severity for problem in problems} == {ERROR}


@pytest.mark.parametrize("case", sorted(ENGLISH))
def test_problems_read_in_english_too(case: str, tmp_path: Path) -> None:
    _, problems = check_dataset(overlay(case, tmp_path))
    assert [problem.line("en") for problem in problems] == ENGLISH[case]


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_warnings_do_not_stop_the_load(case: str, mini: Dataset, tmp_path: Path) -> None:
    dataset, problems = check_dataset(overlay(case, tmp_path))
    assert [str(problem) for problem in problems] == WARNINGS[case]
    assert {problem.severity for problem in problems} == {WARNING}
    assert dataset is not None
    if case == "semicolon_cp1252":  # ";"-separated Windows-1252, as Excel in Spanish saves it, reads as the original
        assert dataset == mini


def test_strict_makes_warnings_errors(tmp_path: Path) -> None:
    folder = overlay("unknown_column", tmp_path)
    dataset, problems = check_dataset(folder, strict=True)
    assert dataset is None
    assert [problem.severity for problem in problems] == [ERROR]
    assert str(problems[0]).startswith("actors.csv:1:target_group: columna desconocida «target_group»")
    with pytest.raises(Exception, match="1 problem"):
        read_dataset(folder, strict=True)
    assert read_dataset(folder).actors


def test_a_problem_keeps_its_key_values_and_spanish_message(tmp_path: Path) -> None:
    _, problems = check_dataset(overlay("unknown_sector", tmp_path))
    problem = problems[0]
    assert (problem.file, problem.row, problem.column, problem.key) == ("actors.csv", 6, "sector",
                                                                        "problem.unknown.sector")
    assert dict(problem.values)["value"] == "privada"
    assert problem.message == problem.text("es") == problem.text() == str(problem).split(": ", 1)[1]
    assert problem.text("en").startswith("unknown sector 'privada'")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    _, problems = check_dataset(overlay("many_errors", tmp_path))
    assert [str(problem) for problem in problems] == [
        f"actors.csv:8:capabilities: capacidad desconocida «magia»; use una de estas: {CAPABILITIES}",
        "actors.csv:8:illustrative: «quizás» no es sí ni no; escriba true o false (también valen sí y no)",
        "actors.csv:8:name: falta un valor obligatorio; complételo",
        "actors.csv:8:sector: sector desconocido «empresa_privada»; use uno de estos: academia, public, private, "
        "civil_society, international",
        "actors.csv:9:scope: alcance desconocido «planetary»; use uno de estos: local, regional, national, "
        "international",
        "collaborations.csv:6:start: fecha no válida «2022-13»; escríbala como AAAA-MM-DD, AAAA-MM o AAAA, con un año "
        "entre 1800 y 2999",
        "collaborations.csv:6:status: estado desconocido «maybe»; use uno de estos: active, planned, ended",
        "collaborations.csv:6:type: tipo de colaboración desconocido «friendship»; use uno de estos: agreement, "
        "joint_project, funding, training, data_sharing, network_membership, service",
        "collaborations.csv:6:weight: el peso «9» está fuera de rango; use un número entero del 1 al 5",
        "collaborations.csv:7:source: vínculo con un actor desconocido «ghost»; agréguelo a la tabla actors o corrija "
        "el identificador",
    ]


def test_missing_table_and_missing_path(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(MINI, tmp_path / "partial"))
    (folder / "collaborations.csv").unlink()
    _, problems = check_dataset(folder)
    assert [p.line("en") for p in problems] == [
        "collaborations.csv:0:-: missing the collaborations table; add collaborations.csv or a sheet named "
        "collaborations (these names work too: colaboraciones, vinculos)"]
    _, problems = check_dataset(tmp_path / "nowhere")
    assert str(problems[0]).endswith(":0:-: no existe ese archivo ni esa carpeta; revise la ruta")


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
    workbook["collaborations"]["O3"] = "sobra"  # a value beyond the header
    workbook.save(path)
    _, problems = check_dataset(path)
    assert [str(p) for p in problems] == [
        "mini.xlsx[actors]:3:sector: sector desconocido «privada»; use uno de estos: academia, public, private, "
        "civil_society, international",
        "mini.xlsx[collaborations]:2:weight: el peso «9» está fuera de rango; use un número entero del 1 al 5",
        "mini.xlsx[collaborations]:3:O: la fila tiene más celdas que el encabezado (celdas: 15; columnas con nombre: "
        "13); escriba el nombre de la columna en la fila 1 o borre el valor sobrante (en un CSV, quizá sobra un "
        "separador)",
    ]


def test_json_problems_name_the_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"actors": [{"id": "a", "name": 5, "sector": "x", "type": "ngo", "scope": "local", '
                    '"region": "06"}], "collaborations": [], "regions": [{"code": "06", "name": "Cajamarca"}]}',
                    encoding="utf-8")
    _, problems = check_dataset(path)
    assert [p.line("en") for p in problems] == [
        "bad.json[actors]:1:name: '5' is not text; put it in quotes",
        "bad.json[actors]:1:sector: unknown sector 'x'; use one of academia, public, private, civil_society, "
        "international"]


def test_json_with_a_byte_order_mark_reads_like_csv_with_one(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    write_json(mini, path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_dataset(path) == mini


def test_an_oversize_cell_is_a_located_problem_not_a_crash(mini_path: Path) -> None:
    with (mini_path / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"upao,UPAO,,academia,university,06,regional,,,,{'x' * 200_000},,true\n")
    dataset, problems = check_dataset(mini_path)
    assert dataset is None
    assert [str(p) for p in problems] == [
        f"actors.csv:8:description: la celda tiene 200000 caracteres y el máximo es {CELL_LIMIT}; acórtela"]
    with (mini_path / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"upao2,UPAO,,academia,university,06,regional,,,,{'x' * CELL_LIMIT},,true\n")
    assert [p.row for p in check_dataset(mini_path)[1]] == [8], "a cell at the limit is fine"


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
        "indicators.csv:5:indicator: cifra repetida «PE|households_with_internet|2020-Q1|total»: la misma región, "
        "indicador, periodo y ámbito que la fila 2; deje solo una"]


def test_damaged_files_get_a_clear_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (tmp_path / "latin.json").write_bytes('{"actors": "Producción"}'.encode("cp1252"))
    (tmp_path / "data.txt").write_text("x", encoding="utf-8")
    (tmp_path / "binary").mkdir()
    (tmp_path / "binary" / "actors.csv").write_bytes(b"id,name\n\x81\x8d,x\n")
    (tmp_path / "utf16").mkdir()
    (tmp_path / "utf16" / "actors.csv").write_bytes("id,name\nunc,Universidad\n".encode("utf-16"))

    def line(path: Path) -> str:
        return str(check_dataset(path)[1][0])

    assert line(tmp_path / "broken.xlsx") == ("broken.xlsx:0:-: no se puede abrir el libro (BadZipFile); "
                                              "ábralo en Excel y vuelva a guardarlo como .xlsx")
    assert line(tmp_path / "broken.json") == ("broken.json:0:-: no es un JSON válido (línea 1, columna 2); revise las "
                                              "comas, comillas y llaves cerca de ese punto")
    assert "demasiados niveles anidados" in line(tmp_path / "deep.json")
    assert line(tmp_path / "latin.json").startswith("latin.json:0:-: el archivo JSON no está en UTF-8 (byte 20)")
    assert "tipo de archivo no admitido «.txt»" in line(tmp_path / "data.txt")
    assert line(tmp_path / "utf16").startswith("actors.csv:1:-: la codificación del archivo no es UTF-8 ni")
    assert line(tmp_path / "binary") == ("actors.csv:2:-: la codificación del archivo no es UTF-8 ni Windows-1252 "
                                         "(byte 8); en Excel, guárdelo como «CSV UTF-8 (delimitado por comas)»")
