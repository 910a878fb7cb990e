"""The command line as a person uses it: Spanish by default or English, exit codes, no tracebacks, quiet when piped.

A few runs start ``python -m ecograph`` as a person would; the rest run the same app in this process (faster).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ecograph import cli
from ecograph.stores import SQLiteStore
from tests.conftest import DATA, MINI

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


def test_plural_forms_where_counts_appear(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(MINI, tmp_path / "two"))
    with (folder / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("Mal Id,,,academia,university,06,regional,,,,,,true\n")
    result = CliRunner().invoke(cli.app, ["validate", str(folder)], env={"ECOGRAPH_LANG": "es"})
    assert result.exit_code == 1 and result.stderr == "2 errores; no se cargó nada.\n"


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
        assert "complete" in store.analysis_keys(1), "the load computed and stored the analysis"
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


def test_every_command_has_help(tmp_path: Path) -> None:
    assert "token" in run("--help", cwd=tmp_path).stdout, "the service's commands are there too"
    for command in ("validate", "load", "export", "stats", "generate", "analyze", "compare", "what-if", "serve",
                    "token"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout, command
