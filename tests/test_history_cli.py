"""The history commands: `ecograph history`, `export --version`, `analyze --as-of` (and --since/--until), `changes`
and `follow-up`, on a hand-built history in a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from ecograph import cli
from ecograph.stores import SQLiteStore
from ecograph.writers import export
from tests.test_history import ACTORS, JAN_2024, TIES, dataset

DAY = 86_400.0


def invoke(*args: str | Path, lang: str = "en") -> Result:
    return CliRunner().invoke(cli.app, [str(arg) for arg in args], env={"ECOGRAPH_LANG": lang})


def built(path: Path) -> Path:
    """Version 1 (2024-01-01): two ties; version 2 (ten days later): every tie, two actors more."""
    with SQLiteStore(path) as store:
        store.clock = lambda: JAN_2024
        store.load(dataset([a for a in ACTORS if a.id not in ("camara", "ong")], [TIES[0], TIES[3]]))
        store.clock = lambda: JAN_2024 + 10 * DAY
        store.load(dataset())
    return path


def test_history_lists_versions_and_a_past_version_exports_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with SQLiteStore(db) as store:
        store.load(dataset(ties=TIES[:3]))
        when_current = {p.name: p.read_bytes() for p in export(store.dataset(), None, tmp_path / "then", "csv")}
        store.load(dataset())
    listed = invoke("history", "--db", db)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].startswith("v1 ") and "collaborations +3 ~0 -0" in lines[0] and " load " in lines[0]
    assert lines[1].startswith("v2 ") and "collaborations +3 ~0 -0" in lines[1] and "actors" not in lines[1]
    done = invoke("export", tmp_path / "past", "--version", "1", "--db", db)
    assert done.exit_code == 0, done.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "past").iterdir()} == when_current
    now = invoke("export", tmp_path / "now", "--version", "2", "--db", db)
    assert (tmp_path / "now" / "collaborations.csv").read_bytes() != when_current["collaborations.csv"], now.output
    missing = invoke("export", tmp_path / "x", "--version", "9", "--db", db)
    assert missing.exit_code == 2 and "no version 9" in missing.output


def figures(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_as_of_since_and_until_each_change_the_analysis(tmp_path: Path) -> None:
    db = built(tmp_path / "h.db")
    base = ["analyze", "--region", "06", "--format", "json", "--db", db]
    everything = figures(invoke(*base))
    early, late = figures(invoke(*base, "--as-of", "2019")), figures(invoke(*base, "--as-of", "2024"))
    actors = {name: {row["id"] for row in found["measures"] if row["local"]}  # type: ignore[index]
              for name, found in (("all", everything), ("2019", early), ("2024", late))}
    assert actors == {"all": {"unc", "gore", "camara", "ong", "iso"}, "2019": {"unc", "gore", "ong", "iso"},
                      "2024": {"unc", "gore", "camara", "ong", "iso"}}
    ties = {name: found["structure"]["ties"] for name, found in (  # type: ignore[index]
        ("all", everything), ("2019", early), ("2024", late),
        ("since", figures(invoke(*base, "--since", "2023"))), ("until", figures(invoke(*base, "--until", "2018"))))}
    assert ties == {"all": 5, "2019": 2, "2024": 2, "since": 4, "until": 1}
    assert early["filters"]["as_of_rule"]["en"].startswith("Date rule")  # type: ignore[index]
    table = invoke("analyze", "--region", "06", "--as-of", "2019", "--db", db)
    assert table.output.startswith("Date rule: a tie counts on a date")


def test_changes_and_follow_up_commands(tmp_path: Path) -> None:
    db = built(tmp_path / "h.db")
    said = invoke("changes", "--region", "06", "--from", "v1", "--to", "v2", "--db", db)
    assert said.exit_code == 0, said.output
    assert "- New tie: CAMARA — ONG (Training, from 2023)." in said.output
    assert "- CAMARA joined the ecosystem." in said.output and said.output.rstrip().endswith("none at all.")
    spanish = invoke("changes", "--region", "06", "--from", "2019", "--to", "2022", "--db", db, lang="es")
    assert "- Nueva alianza: GORE — CAMARA (Proyecto conjunto, desde 2021)." in spanish.output
    assert "- ONG salió del ecosistema (ya no tiene alianzas vigentes)." in spanish.output
    bad = invoke("changes", "--region", "06", "--from", "last year", "--to", "v2", "--db", db)
    assert bad.exit_code == 2 and "last year" in bad.output
    nothing = invoke("follow-up", "--db", db)
    assert nothing.exit_code == 2 and "no recommendations were kept" in nothing.output
    assert invoke("load", Path(__file__).parent / "data" / "mini", "--db", db).exit_code == 0  # analysed: kept
    followed = figures(invoke("follow-up", "--region", "06", "--format", "json", "--db", db))
    assert followed["since"] == 3 and followed["regions"][0]["region"] == "06"  # type: ignore[index]
