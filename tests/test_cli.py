"""The command line as a person uses it: exit codes, messages, no tracebacks, quiet when piped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI

ECOGRAPH = [sys.executable, "-m", "ecograph"]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ECOGRAPH, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_validate_ok_and_bad(tmp_path: Path) -> None:
    ok = run("validate", MINI, cwd=tmp_path)
    assert ok.returncode == 0
    assert ok.stdout.strip() == "OK: 2 regions, 3 indicators, 6 actors, 4 collaborations"
    (tmp_path / "bad").mkdir()
    for file in MINI.iterdir():
        (tmp_path / "bad" / file.name).write_text(file.read_text(encoding="utf-8").replace(",privat", ",privad"),
                                                  encoding="utf-8")
    bad = run("validate", tmp_path / "bad", cwd=tmp_path)
    assert bad.returncode == 1
    assert "actors.csv:6:sector: unknown sector 'privade'" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_load_is_all_or_nothing_and_idempotent_and_quiet_when_piped(tmp_path: Path) -> None:
    first = run("load", MINI, "--db", "eco.db", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "actors          +6 added" in first.stdout
    assert first.stderr == "", "no progress bar when not on a terminal"
    again = run("load", MINI, "--db", "eco.db", cwd=tmp_path)
    assert "dataset version 1 (nothing changed)" in again.stdout
    bad = run("load", tmp_path / "missing", "--db", "eco.db", cwd=tmp_path)
    assert bad.returncode == 1 and "nothing was loaded" in bad.stderr
    stats = run("stats", "--db", "eco.db", cwd=tmp_path)
    assert "Cajamarca" in stats.stdout and "6 actors, 4 collaborations" in stats.stdout


def test_store_from_environment_and_clear_errors(tmp_path: Path) -> None:
    both = run("stats", "--db", "a.db", "--store", "b.db", cwd=tmp_path)
    assert both.returncode == 2 and both.stderr == "error: give either --store or --db, not both\n"
    unknown = run("stats", "--store", "http://example", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown store 'http://example'" in unknown.stderr
    region = run("export", "x", "--region", "99", cwd=tmp_path)
    assert region.returncode == 2 and "no region '99'" in region.stderr
    assert "Traceback" not in both.stderr + unknown.stderr + region.stderr


def test_export_and_generate(tmp_path: Path) -> None:
    assert run("load", MINI, "--db", "eco.db", cwd=tmp_path).returncode == 0
    out = run("export", "peru.xlsx", "--format", "xlsx", "--db", "eco.db", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == "wrote peru.xlsx"
    assert run("validate", "peru.xlsx", cwd=tmp_path).returncode == 0
    gen = run("generate", "syn", "--actors", "60", "--seed", "2", cwd=tmp_path)
    assert gen.returncode == 0
    assert run("validate", "syn", cwd=tmp_path).stdout.startswith("OK: 3 regions, 0 indicators, 60 actors")


def test_every_command_has_help(tmp_path: Path) -> None:
    for command in ("validate", "load", "export", "stats", "generate"):
        result = run(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "Usage" in result.stdout
