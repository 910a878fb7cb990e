"""The command line's help (``--help``) in Spanish by default, in English with ``--lang en`` or the environment, every
text of it from the message catalogs.

A few runs start the installed ``ecograph`` script as a person would; the rest run the same app in this process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ecograph import cli
from ecograph.i18n import LANGUAGES, Texts

ECOGRAPH = Path(sys.executable).parent / "ecograph"
LANGUAGE_VARIABLES = ("ECOGRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
# What typer and click say in English when nothing translates them.
ENGLISH_WORDS = ("Usage:", "Options", "Arguments", "Commands", "Show this message", "[required]", "[default:",
                 "env var")


def plain(output: str) -> str:
    """A help page as one line of words: no box drawing, no line breaks (so a wrapped sentence reads whole)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def run(*args: str, **env: str) -> str:
    """``ecograph ARGS`` in a process of its own, with no language in the environment but ``env``'s."""
    clean = {name: value for name, value in os.environ.items() if name not in LANGUAGE_VARIABLES}
    done = subprocess.run([str(ECOGRAPH), *args], capture_output=True, text=True, timeout=120, env=clean | env)
    assert done.returncode == 0, done.stderr
    return plain(done.stdout)


def invoke(*args: str, **env: str) -> str:
    """``ecograph ARGS`` in this process, with no language in the environment but ``env``'s."""
    unset: dict[str, str | None] = dict.fromkeys(LANGUAGE_VARIABLES)
    result = CliRunner().invoke(cli.app, list(args), env=unset | env, prog_name="ecograph")
    assert result.exit_code == 0, result.output
    return plain(result.stdout)


def test_help_is_spanish_by_default_and_english_when_asked() -> None:
    spanish = run("--help")
    assert "Uso: ecograph [OPCIONES] COMANDO [ARGUMENTOS]..." in spanish
    assert "ecograph: mapea y analiza el ecosistema digital de una región." in spanish
    assert "load Carga en el almacén un conjunto de datos o un mapa de otra herramienta" in spanish
    assert "Muestra esta ayuda y termina." in spanish
    assert "serve Sirve la API JSON" in spanish and "token Crea, lista y revoca tokens" in spanish, "plugins too"
    assert not [word for word in ENGLISH_WORDS if word in spanish]
    for english in (run("--help", "--lang", "en"), invoke("--lang", "en", "--help"),
                    invoke("--help", LANG="en_US.UTF-8")):
        assert "Usage: ecograph [OPTIONS] COMMAND [ARGS]..." in english
        assert "load Load a dataset, or a map from another tool, into the store" in english
        assert "Show this message and exit." in english
        assert "Carga" not in english


def test_a_command_help_follows_lang_before_it_or_the_environment() -> None:
    spanish = invoke("load", "--help")
    assert "Uso: ecograph load [OPCIONES]" in spanish
    assert ("Las regiones de un mapa son las del almacén; con --replace, solo se reemplazan los actores y los "
            "vínculos.") in spanish
    assert "Argumentos" in spanish and "[obligatorio]" in spanish and "[por defecto: no-replace]" in spanish
    assert "[variable de entorno: ECOGRAPH_STORE]" in spanish
    assert "archivo SQLite o URI neo4j:// (por defecto: ./ecograph.db)" in spanish
    assert not [word for word in ENGLISH_WORDS if word in spanish]
    for english in (invoke("--lang", "en", "load", "--help"), run("load", "--help", LANG="en_US.UTF-8")):
        assert "Usage: ecograph load [OPTIONS]" in english
        assert "A map's regions are the store's; with --replace it replaces the actors and ties only." in english
        assert "Arguments" in english and "[required]" in english and "[env var: ECOGRAPH_STORE]" in english
        assert "almacén" not in english
    assert "Carga en el almacén" in invoke("load", "--help", LANG="en_US.UTF-8", ECOGRAPH_LANG="es"), (
        "ECOGRAPH_LANG before LANG")


@pytest.mark.parametrize(("args", "spanish", "english"), [
    (("campaign", "--help"), "create Crea una campaña en una o varias regiones.",
     "create Create a campaign over some regions."),
    (("campaign", "create", "--help"), "primer día en que se reciben respuestas, AAAA-MM-DD",
     "first day answers are taken, YYYY-MM-DD"),
    (("campaign", "links", "--help"), "Escribe los enlaces para una combinación de correspondencia",
     "Write the links for a mail merge"),
    (("serve", "--help"), "Sirve la API JSON (/api/v1, documentada en /docs) y las páginas web.",
     "Serve the JSON API (/api/v1, documented at /docs) and the web pages."),
    (("token", "create", "--help"), "una región en la que puede escribir un editor",
     "a region an editor may write in"),
    (("analyze", "--help"), "tamaño del grupo convocante", "size of the convening set"),
])
def test_survey_service_and_analysis_help_in_both_languages(args: tuple[str, ...], spanish: str, english: str) -> None:
    said = invoke(*args)
    assert spanish in said and english not in said
    assert not [word for word in ENGLISH_WORDS if word in said]
    assert english in invoke("--lang", "en", *args)
    assert english in invoke(*args, LC_ALL="en_US.UTF-8")
    assert os.environ.get("ECOGRAPH_LANG") is None, "--lang is for its run only"


def test_no_arguments_shows_the_help_in_the_run_language() -> None:
    result = CliRunner().invoke(cli.app, ["campaign"], env={"ECOGRAPH_LANG": "en"})
    assert "Run an ecosystem survey" in plain(result.output)
    result = CliRunner().invoke(cli.app, ["campaign"], env={"ECOGRAPH_LANG": "es"})
    assert "Realiza una encuesta del ecosistema" in plain(result.output)


def commands(group: typer.core.TyperGroup, path: str = "ecograph") -> list[tuple[str, typer.core.TyperCommand]]:
    """Every command and group under ``group``, with its command line."""
    found: list[tuple[str, typer.core.TyperCommand]] = [(path, group)]
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            found += commands(command, f"{path} {name}")
        else:
            found.append((f"{path} {name}", command))
    return found


def test_every_help_text_is_a_catalog_key_in_both_languages() -> None:
    tree = commands(typer.main.get_command(cli.app))
    assert {"ecograph serve", "ecograph token create", "ecograph campaign review"} <= {path for path, _ in tree}
    for path, command in tree:
        assert command.help, f"{path} has no help"
        texts = [command.help, *(param.help for param in command.params if param.help)]
        for text in texts:
            missing = [lang for lang in LANGUAGES if not Texts(lang).has(text)]
            assert not missing, f"{path}: help {text!r} is no message key in {missing}"
