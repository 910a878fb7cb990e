"""The command line as a person uses it: Spanish by default or English, exit codes, no tracebacks, quiet when piped.

A few runs start ``python -m ecograph`` as a person would; the rest run the same app in this process (faster).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from ecograph import cli
from ecograph.service import COMPLETE
from ecograph.stores import SQLiteStore
from tests.conftest import DATA, MINI, PERU

ECOGRAPH = [sys.executable, "-m", "ecograph"]
LANGUAGE_VARIABLES = ("ECOGRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def run(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``ecograph ARGS`` in a process of its own, with no language in the environment but ``env``'s."""
    clean = {name: value for name, value in os.environ.items() if name not in LANGUAGE_VARIABLES}
    return subprocess.run([*ECOGRAPH, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=clean | env)


def invoke(*args: str | Path, lang: str = "es") -> Result:
    """``ecograph ARGS`` in this process, in the current folder, with ECOGRAPH_LANG=lang."""
    return CliRunner().invoke(cli.app, [str(arg) for arg in args], env={"ECOGRAPH_LANG": lang})


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder to work in, holding eco.db with the small dataset loaded."""
    monkeypatch.chdir(tmp_path)
    assert invoke("load", MINI, "--db", "eco.db").exit_code == 0
    return tmp_path


def test_validate_ok_and_bad_in_spanish_by_default_and_in_english(tmp_path: Path) -> None:
    ok = run("validate", MINI, cwd=tmp_path)
    assert ok.returncode == 0
    assert ok.stdout.strip() == "Correcto: 2 regiones, 3 indicadores, 6 actores, 4 colaboraciones"
    assert run("--lang", "en", "validate", MINI, cwd=tmp_path).stdout.strip() == (
        "OK: 2 regions, 3 indicators, 6 actors, 4 collaborations")
    (tmp_path / "bad").mkdir()
    for file in MINI.iterdir():
        (tmp_path / "bad" / file.name).write_text(file.read_text(encoding="utf-8").replace(",privat", ",privad"),
                                                  encoding="utf-8")
    bad = run("validate", tmp_path / "bad", cwd=tmp_path)
    assert bad.returncode == 1
    assert "actors.csv:6:sector: sector desconocido «privade»; use uno de estos:" in bad.stdout
    assert bad.stderr == "1 error; no se cargó nada.\n"
    english = run("validate", tmp_path / "bad", cwd=tmp_path, LANG="en_US.UTF-8")
    assert "actors.csv:6:sector: unknown sector 'privade'; use one of" in english.stdout
    assert english.stderr == "1 error; nothing was loaded.\n"
    assert "Traceback" not in bad.stdout + bad.stderr + english.stderr


def test_the_language_comes_from_lang_then_the_environment() -> None:
    runner = CliRunner()
    assert runner.invoke(cli.app, ["validate", str(MINI)], env={"ECOGRAPH_LANG": "en"}).stdout.startswith("OK:")
    spanish = runner.invoke(cli.app, ["--lang", "es", "validate", str(MINI)], env={"ECOGRAPH_LANG": "en"})
    assert spanish.stdout.startswith("Correcto:")
    assert os.environ.get("ECOGRAPH_LANG") is None, "--lang is for its run only"
    assert runner.invoke(cli.app, ["validate", str(MINI)], env={"LC_ALL": "es_PE.UTF-8", "LANG": "en_US"}
                         ).stdout.startswith("Correcto:")


USAGE_MISTAKES = [
    (["load", "--nope"], "no existe la opción --nope; ¿quiso decir --store?", "no such option --nope; did you mean"),
    (["load"], "falta el argumento PATH", "missing argument PATH"),
    (["export", "x", "--format", "nope"], "valor no válido para --format/-f; use uno de estos: csv, xlsx, json, "
     "graphml, gexf, cytoscape", "invalid value for --format/-f; use one of csv, xlsx"),
    (["generate", "x", "--actors", "0"], "valor no válido para --actors; use un número entero mayor o igual que 1",
     "use a whole number of at least 1"),
    (["generate", "x", "--ties-per-actor", "-1"], "use un número mayor o igual que 0", "use a number of at least 0"),
    (["generate", "x", "--seed"], "la opción --seed necesita un valor", "option --seed needs a value"),
    (["nope"], "no existe el comando «nope»; los comandos son: validate, load,", "no such command 'nope'"),
    (["--lang", "fr", "stats"], "valor no válido para --lang; use uno de estos: es, en", None),
    (["load", "a", "b"], "la línea de comando no es válida", "the command line is not valid"),
]


@pytest.mark.parametrize(("args", "spanish", "english"), USAGE_MISTAKES)
def test_mistakes_on_the_command_line_are_said_in_the_run_language(args: list[str], spanish: str,
                                                                   english: str | None) -> None:
    def said(result: Result) -> str:  # the error panel's text, its box and line wrapping taken out
        return " ".join(result.output.translate(str.maketrans("", "", "│╭╮╰╯─")).split())

    result = invoke(*args)
    assert result.exit_code == 2 and spanish in said(result) and "Uso:" in result.output
    for english_word in ("No such", "Missing", "Invalid value", "Input should", "Got unexpected", "requires"):
        assert english_word not in result.output
    if english is not None:
        assert english in said(invoke(*args, lang="en"))


def test_plural_forms_where_counts_appear(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(MINI, tmp_path / "two"))
    with (folder / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("Mal Id,,,academia,university,06,regional,,,,,,true\n")
    result = CliRunner().invoke(cli.app, ["validate", str(folder)], env={"ECOGRAPH_LANG": "es"})
    assert result.exit_code == 1 and result.stderr == "2 errores; no se cargó nada.\n"


def test_a_mistake_repeated_in_many_rows_is_shown_a_few_times_and_listed_whole_in_a_csv(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(MINI, tmp_path / "many"))
    with (folder / "actors.csv").open("a", encoding="utf-8") as handle:
        for number in range(25):
            handle.write(f"otro-{number},Otro {number},,privade,company,06,regional,,,,,,true\n")
    shown = invoke("validate", folder)
    assert shown.exit_code == 1
    lines = shown.stdout.splitlines()
    assert sum("sector desconocido «privade»" in line for line in lines) == cli.SHOWN_PER_KIND
    assert lines[-1] == "actors.csv:sector: … y 15 problemas más del mismo tipo en este archivo y columna"
    assert "agregue --problems problemas.csv" in shown.stderr and "25 errores" in shown.stderr
    written = invoke("load", folder, "--db", tmp_path / "eco.db", "--problems", tmp_path / "problemas.csv")
    assert written.exit_code == 1 and not (tmp_path / "eco.db").exists(), "nothing was loaded"
    assert f"La lista completa de problemas está en {tmp_path / 'problemas.csv'}" in written.stderr
    with (tmp_path / "problemas.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["archivo", "fila", "columna", "tipo", "problema"]
    assert len(rows) == 26 and rows[-1][:4] == ["actors.csv", "32", "sector", "error"]
    assert rows[-1][4].startswith("sector desconocido «privade»")
    english = invoke("validate", folder, "--problems", tmp_path / "problems.csv", lang="en")
    assert english.stdout.splitlines()[-1] == ("actors.csv:sector: … and 15 more problems of the same kind in this "
                                               "file and column")
    assert (tmp_path / "problems.csv").read_text(encoding="utf-8-sig").startswith("file,row,column,kind,problem")


def test_unknown_columns_warn_unless_strict(here: Path) -> None:
    folder = Path(shutil.copytree(MINI, here / "extra"))
    shutil.copy(DATA / "bad" / "unknown_column" / "actors.csv", folder / "actors.csv")
    warned = invoke("validate", folder)
    assert warned.exit_code == 0
    assert warned.stdout.splitlines()[0].startswith("actors.csv:1:target_group: advertencia: columna desconocida")
    assert warned.stdout.splitlines()[-1] == ("Correcto, con 1 advertencia: 2 regiones, 3 indicadores, 6 actores, "
                                              "4 colaboraciones")
    strict = invoke("validate", "--strict", folder)
    assert strict.exit_code == 1 and "advertencia" not in strict.stdout
    assert invoke("load", "--strict", folder, "--db", "eco.db").exit_code == 1
    loaded = invoke("load", folder, "--db", "eco.db", lang="en")
    assert loaded.exit_code == 0 and "warning: unknown column 'target_group'" in loaded.stdout


def test_load_is_all_or_nothing_and_idempotent_and_quiet_when_piped(tmp_path: Path) -> None:
    first = run("load", MINI, "--db", "eco.db", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "actores         se agregan 6, se actualizan 0, se eliminan 0, sin cambios 0" in first.stdout
    assert "Análisis de la versión 1 calculado y guardado en el almacén." in first.stdout
    assert first.stderr == "", "no progress bar when not on a terminal"
    with SQLiteStore(tmp_path / "eco.db") as store:
        assert COMPLETE in store.analysis_keys(1), "the load computed and stored the analysis"
    again = run("--lang", "en", "load", MINI, "--db", "eco.db", cwd=tmp_path)
    assert "actors          +0 added, ~0 updated, -0 removed, 6 unchanged" in again.stdout
    assert "dataset version 1 (nothing changed)" in again.stdout


def test_stats_and_a_failed_load(here: Path) -> None:
    bad = invoke("load", here / "missing", "--db", "eco.db")
    assert bad.exit_code == 1 and bad.stderr == "1 error; no se cargó nada.\n"
    stats = invoke("stats", "--db", "eco.db")
    assert "Cajamarca" in stats.stdout and "(nacional / internacional)" in stats.stdout
    assert "6 actores, 4 colaboraciones, 2 regiones, 3 indicadores" in stats.stdout
    assert invoke("stats", "--db", "eco.db", lang="en").stdout.splitlines()[0].split() == [
        "code", "region", "actors", "ties", "academia", "public", "private", "civil", "soc.", "intl."]


def test_store_from_environment_and_clear_errors(here: Path) -> None:
    both = invoke("stats", "--db", "a.db", "--store", "b.db")
    assert both.exit_code == 2 and both.stderr == "error: indique --store o --db, no ambos\n"
    unknown = invoke("stats", "--store", "http://example")
    assert unknown.exit_code == 2 and "http://example" in unknown.stderr
    region = invoke("export", "x", "--region", "99", "--db", "eco.db")
    assert region.exit_code == 2
    assert region.stderr == "error: no existe la región «99»; vea los códigos con `ecograph stats`\n"
    zero = invoke("analyze", "--region", "6", "--db", "eco.db", lang="en")
    assert zero.exit_code == 2 and zero.stderr == "error: no region '6'; did you mean 06?\n"
    date = invoke("analyze", "--since", "1700", "--db", "eco.db")
    assert date.exit_code == 2 and date.stderr.startswith("error: fecha no válida «1700»")
    ghost = invoke("what-if", "--region", "06", "--remove", "ghost", "--db", "eco.db")
    assert ghost.exit_code == 2 and ghost.stderr == "error: no hay ningún actor «ghost» en el grafo de esta región\n"


def test_export_generate_analyze_compare_what_if(here: Path) -> None:
    out = invoke("export", "peru.xlsx", "--format", "xlsx", "--db", "eco.db")
    assert out.exit_code == 0 and out.stdout.strip() == "se escribió peru.xlsx"
    assert invoke("validate", "peru.xlsx").exit_code == 0
    gen = invoke("generate", "syn", "--actors", "60", "--seed", "2", lang="en")
    assert gen.exit_code == 0 and gen.stdout.startswith("wrote syn")
    assert invoke("validate", "syn").stdout.startswith("Correcto: 3 regiones, 0 indicadores, 60 actores")
    report = invoke("analyze", "--region", "06", "--format", "md", "--output", "cajamarca.md", "--db", "eco.db")
    assert report.stdout.strip() == "se escribió cajamarca.md" and (here / "cajamarca.md").is_file()
    needs_output = invoke("compare", "--format", "csv", "--db", "eco.db", lang="en")
    assert needs_output.exit_code == 2 and needs_output.stderr == "error: --format csv writes files; give --output\n"
    compared = invoke("compare", "06", "--format", "json", "--db", "eco.db")
    assert compared.exit_code == 0 and '"region": "06"' in compared.stdout and '"08"' not in compared.stdout
    change = invoke("what-if", "--region", "06", "--remove", "unc", "--db", "eco.db")
    assert change.exit_code == 0 and change.stdout.startswith("componentes")


def test_editor_tokens_name_regions_of_the_store(here: Path) -> None:
    tokens = ["--db", "eco.db", "--tokens", "tokens.db"]
    six = invoke("token", "create", "--role", "editor", "--region", "6", *tokens)
    assert six.exit_code == 2 and six.stderr == "error: no existe la región «6»; ¿quiso decir 06?\n"
    unknown = invoke("token", "create", "--role", "editor", "--region", "99", *tokens, lang="en")
    assert unknown.exit_code == 2 and unknown.stderr == "error: no region '99'; see `ecograph stats` for the codes\n"
    no_store = invoke("token", "create", "--role", "editor", "--region", "06", "--db", "none.db")
    assert no_store.exit_code == 2 and "no existe el almacén none.db" in no_store.stderr
    assert not (here / "none.db").exists()
    made = invoke("token", "create", "--role", "editor", "--region", "06", "--region", "08", *tokens)
    assert made.exit_code == 0 and made.stdout.startswith("eg_")
    assert "para las regiones 06, 08; guárdelo ahora" in made.stderr
    assert "activo" in invoke("token", "list", "--tokens", "tokens.db").stdout


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the generator broke")

    monkeypatch.setattr(cli, "generate_dataset", broken)
    result = CliRunner().invoke(cli.app, ["--lang", "en", "generate", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.stderr == ("error: unexpected error (RuntimeError: the generator broke); please report it to the "
                             "ecograph maintainers\n")
    monkeypatch.undo()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    blocked = CliRunner().invoke(cli.app, ["generate", str(tmp_path / "file" / "x"), "--format", "json"],
                                 env={"ECOGRAPH_LANG": "es"})
    assert blocked.exit_code == 1
    assert blocked.stderr.startswith("error: no se puede leer o escribir «") and blocked.stderr.endswith(
        "file»: ya hay un archivo con ese nombre\n")


# -- analyze, compare and what-if: the figures they print, through the service -------------------
def figures_of(stdout: str) -> dict[str, str]:
    """The summary table of ``analyze``: figure → value."""
    block = stdout.split("== summary ==")[1].split("==")[0]
    return {" ".join(line.split()[:-1]): line.split()[-1] for line in block.strip().splitlines()[1:]}


def before_after(stdout: str) -> dict[str, tuple[str, str]]:
    """What ``what-if`` prints: figure → (before, after)."""
    found = {}
    for line in stdout.strip().splitlines():
        *label, before, arrow, after = line.split()
        assert arrow == "->", line
        found[" ".join(label)] = (before, after)
    return found


def test_analyze_the_small_dataset(here: Path) -> None:
    result = invoke("analyze", "--region", "06", "--format", "json", "--db", "eco.db")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    s = report["structure"]
    # Cajamarca: GORE and UNC tied, the chamber tied only to PRODUCE (national): two groups, one isolate.
    assert (report["region"], report["version"], s["actors"], s["ties"], s["components"]) == ("06", 1, 3, 1, 2)
    assert s["by_sector"] == {"academia": 1, "private": 1, "public": 1} and s["isolates"] == ["camara-cajamarca"]
    assert s["fragmentation"] == pytest.approx(1 / 3) and s["density"] == pytest.approx(1 / 3)
    assert (s["outside_ties"], s["national_ties"], s["cross_sector_share"]) == (1, 1, 1.0)
    assert [(m["id"], m["local"], m["degree"]) for m in report["measures"]] == [
        ("camara-cajamarca", True, 1), ("gore-cajamarca", True, 1), ("produce", False, 1), ("unc", True, 1)]
    gaps = {(g["kind"], g["subject"]): g for g in report["gaps"]}
    assert gaps[("missing_sector", "civil_society")]["severity"] == "medium"
    assert gaps[("weak_national_connection", None)]["value"] == 1
    assert gaps[("isolated_actors", None)]["actors"] == ["camara-cajamarca"]
    assert not any(kind in ("single_point_of_failure", "bridge") for kind, _ in gaps)
    assert [(o["source"], o["target"], o["score"]) for o in report["opportunities"]] == [
        ("camara-cajamarca", "gore-cajamarca", 0.4), ("camara-cajamarca", "unc", 0.4)]
    table = invoke("analyze", "--region", "06", "--db", "eco.db")
    assert table.exit_code == 0
    assert {name: figures_of(table.stdout)[name] for name in ("actors", "ties", "components", "fragmentation")} == {
        "actors": "3", "ties": "1", "components": "2", "fragmentation": "0.3333"}
    public = json.loads(invoke("analyze", "--region", "06", "--sector", "public", "--sector", "academia",
                               "--format", "json", "--db", "eco.db").stdout)
    assert public["filters"]["sectors"] == ["public", "academia"]
    assert (public["structure"]["actors"], public["structure"]["ties"], public["structure"]["isolates"]) == (2, 1, [])
    ended = json.loads(invoke("analyze", "--region", "06", "--status", "ended", "--format", "json",
                              "--db", "eco.db").stdout)
    assert (ended["structure"]["ties"], ended["structure"]["national_ties"]) == (0, 1), "only the funding ended"


def test_analyze_writes_each_table(here: Path) -> None:
    report = json.loads(invoke("analyze", "--region", "06", "--format", "json", "--db", "eco.db").stdout)
    written = invoke("analyze", "--region", "06", "--format", "csv", "-o", "out", "--db", "eco.db", lang="en")
    assert written.exit_code == 0
    assert sorted(path.name for path in (here / "out").iterdir()) == [
        "communities.csv", "convening.csv", "gaps.csv", "key_actors.csv", "measures.csv", "opportunities.csv",
        "summary.csv"]
    gaps = pd.read_csv(here / "out" / "gaps.csv", comment="#", encoding="utf-8-sig")
    assert list(gaps["kind"]) == [g["kind"] for g in report["gaps"]]
    assert list(gaps["severity"]) == [g["severity"] for g in report["gaps"]]
    assert invoke("analyze", "--region", "06", "--format", "xlsx", "-o", "out.xlsx", "--db", "eco.db",
                  lang="en").exit_code == 0
    sheets = pd.read_excel(here / "out.xlsx", sheet_name=None)
    assert {"summary", "measures", "gaps", "opportunities", "convening"} <= set(sheets)
    assert list(sheets["gaps"]["kind"]) == [g["kind"] for g in report["gaps"]]
    assert sorted(sheets["measures"]["id"]) == ["camara-cajamarca", "gore-cajamarca", "produce", "unc"]


def test_compare_the_small_dataset(here: Path) -> None:
    rows = json.loads(invoke("compare", "--format", "json", "--db", "eco.db").stdout)
    # 06: 100 (0.25·3/5 + 0.25·(1 − 1/3) + 0.2·1 + 0.15·1/10 + 0.15·max(0, 1 − 4/4)) = 53.2
    # 08: one actor, no tie: 100 (0.25·1/5 + 0.25 + 0 + 0.15·1/10 + 0) = 31.5
    assert [(r["region"], r["actors"], r["ties"], r["gaps_high"], r["score"]) for r in rows] == [
        ("06", 3, 1, 4, 53.2), ("08", 1, 0, 4, 31.5)]
    assert rows[0]["households_with_internet"] is None, "06's only figure is unpublished: missing, not zero"
    assert (rows[1]["households_with_internet"], rows[1]["internet_period"]) == (38, "2023")
    assert invoke("compare", "08", "06", "--format", "csv", "-o", "cmp", "--db", "eco.db").exit_code == 0
    with (here / "cmp" / "comparison.csv").open(encoding="utf-8") as handle:
        assert [row["region"] for row in csv.DictReader(handle)] == ["06", "08"]


def test_what_if_on_the_small_dataset(here: Path) -> None:
    removed = invoke("what-if", "--region", "06", "--remove", "unc", "--db", "eco.db", lang="en")
    assert removed.exit_code == 0
    assert before_after(removed.stdout) == {"components": ("2", "2"), "fragmentation": ("0.3333", "0.5"),
                                            "E-I index": ("1.0", "n/a"), "convening reach": ("1.0", "1.0")}
    joined = before_after(invoke("what-if", "--region", "06", "--add", "unc:camara-cajamarca", "--db", "eco.db").stdout)
    assert joined["componentes"] == ("2", "1") and joined["fragmentación"] == ("0.3333", "0.0")
    bad = invoke("what-if", "--region", "06", "--add", "unc", "--db", "eco.db")
    assert bad.exit_code == 2 and bad.stdout == ""


# -- the same commands on the bundled Peru data, against figures read straight from its CSV files --
@pytest.fixture(scope="module")
def peru_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("peru") / "peru.db"
    loaded = invoke("load", PERU, "--db", db)
    assert loaded.exit_code == 0, loaded.stderr
    return db


def peru_csv(name: str) -> list[dict[str, str]]:
    with (PERU / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def own_graph(region: str) -> tuple[nx.Graph, int]:
    """A region's own actors and the pairs of them with any tie, and its ties to national or international
    actors (pairs), straight from the CSV files."""
    actors = {row["id"]: row for row in peru_csv("actors")}
    graph = nx.Graph()
    graph.add_nodes_from(a for a, row in actors.items() if row["region"] == region)
    national = set()
    for tie in peru_csv("collaborations"):
        ends = {tie["source"], tie["target"]}
        inside = ends & set(graph)
        if len(inside) == 2:
            graph.add_edge(*ends)
        elif len(inside) == 1 and actors[(ends - inside).pop()]["scope"] in ("national", "international"):
            national.add(frozenset(ends))
    return graph, len(national)


def outside_share(graph: nx.Graph) -> float:
    return 1 - max(len(c) for c in nx.connected_components(graph)) / graph.number_of_nodes()


def test_analyze_cajamarca_on_the_peru_data(peru_db: Path) -> None:
    graph, national = own_graph("06")
    report = json.loads(invoke("analyze", "--region", "06", "--format", "json", "--db", peru_db).stdout)
    s = report["structure"]
    assert (s["actors"], s["ties"], s["national_ties"]) == (graph.number_of_nodes(), graph.number_of_edges(), national)
    assert (s["actors"], s["ties"]) == (24, 54)
    assert s["components"] == nx.number_connected_components(graph)
    assert s["fragmentation"] == pytest.approx(outside_share(graph))
    assert s["isolates"] == sorted(nx.isolates(graph))
    points = {g["actors"][0]: g["isolates"] for g in report["gaps"] if g["kind"] == "single_point_of_failure"}
    expected = {}
    for actor in nx.articulation_points(graph):
        rest = graph.subgraph(nx.node_connected_component(graph, actor) - {actor})
        pieces = sorted(nx.connected_components(rest), key=len)
        expected[actor] = sorted(set().union(*pieces[:-1]))
    assert points == expected and points == {"cajamarca-instituto-tecnologico": ["cajamarca-agente-telecom"]}
    written = invoke("analyze", "--region", "06", "--format", "csv", "-o", peru_db.parent / "cajamarca", "--db",
                     peru_db, lang="en")
    assert written.exit_code == 0, written.stderr
    gaps = pd.read_csv(peru_db.parent / "cajamarca" / "gaps.csv", comment="#", encoding="utf-8-sig")
    point = gaps[gaps["kind"] == "single_point_of_failure"]
    assert list(point["actors"]) == ["cajamarca-instituto-tecnologico"]
    assert list(point["isolates"]) == ["cajamarca-agente-telecom"]
    assert len(report["opportunities"]) == 20 and report["betweenness_method"] == "exact"


def test_compare_every_region_of_the_peru_data(peru_db: Path) -> None:
    rows = json.loads(invoke("compare", "--format", "json", "--db", peru_db).stdout)
    regions = [row["code"] for row in peru_csv("regions")]
    assert sorted(row["region"] for row in rows) == sorted(regions) and len(rows) == 26
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    internet = {}
    for row in sorted(peru_csv("indicators"), key=lambda row: row["period"]):
        if row["indicator"] == "households_with_internet" and row["area"] == "total" and row["value"]:
            internet[row["region"]] = float(row["value"])
    for row in rows:
        graph, national = own_graph(row["region"])
        assert (row["actors"], row["ties"], row["national_ties"]) == (
            graph.number_of_nodes(), graph.number_of_edges(), national), row["region"]
        assert row["households_with_internet"] == internet.get(row["region"]), row["region"]
    assert None in [row["households_with_internet"] for row in rows], "an unpublished figure stays missing"
    three = json.loads(invoke("compare", "06", "08", "23", "--format", "json", "--db", peru_db).stdout)
    assert sorted(row["region"] for row in three) == ["06", "08", "23"]
    assert three == [row for row in rows if row["region"] in ("06", "08", "23")]


def test_what_if_cajamarca_on_the_peru_data(peru_db: Path) -> None:
    graph, _ = own_graph("06")
    changed = graph.copy()
    changed.remove_node("gore-cajamarca")
    changed.add_edge("unc", "camara-comercio-cajamarca")
    result = invoke("what-if", "--region", "06", "--remove", "gore-cajamarca", "--add", "unc:camara-comercio-cajamarca",
                    "--db", peru_db, lang="en")
    assert result.exit_code == 0, result.stderr
    found = before_after(result.stdout)
    assert found["components"] == (str(nx.number_connected_components(graph)),
                                   str(nx.number_connected_components(changed)))
    assert [float(value) for value in found["fragmentation"]] == pytest.approx(
        [outside_share(graph), outside_share(changed)], abs=1e-4)
    cut = graph.copy()
    cut.remove_node("cajamarca-instituto-tecnologico")  # cuts off the telecom agent: one more group
    alone = before_after(invoke("what-if", "--region", "06", "--remove", "cajamarca-instituto-tecnologico",
                                "--db", peru_db, lang="en").stdout)
    assert alone["components"] == (str(nx.number_connected_components(graph)),
                                   str(nx.number_connected_components(graph) + 1))
    assert int(alone["components"][1]) == nx.number_connected_components(cut)
