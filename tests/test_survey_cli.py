"""``ecograph campaign``: a whole survey from the command line, in Spanish (and English on request)."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner, Result

from ecograph import cli
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from ecograph.survey.model import SectionAnswer, now
from tests.conftest import MINI


def invoke(*args: str | Path, lang: str = "es") -> Result:
    return CliRunner().invoke(cli.app, [str(arg) for arg in args], env={"ECOGRAPH_LANG": lang})


def test_a_campaign_from_create_to_publish(tmp_path: Path) -> None:
    db = tmp_path / "eco.db"
    with SQLiteStore(db) as store:
        store.load(read_dataset(MINI))
    today = now().date().isoformat()
    created = invoke("campaign", "create", "caj", "--name", "Cajamarca", "--region", "06", "--opens", today,
                     "--closes", today, "--store", db)
    assert created.exit_code == 0, created.output
    assert created.stdout.startswith("Campaña «caj» creada: regiones 06")
    bad = invoke("campaign", "create", "otra", "--name", "X", "--region", "99", "--opens", today, "--closes", today,
                 "--store", db)
    assert bad.exit_code == 2 and "«99»" in bad.output
    backwards = invoke("campaign", "create", "otra", "--name", "X", "--region", "06", "--opens", "2025-05-01",
                       "--closes", "2025-04-01", "--store", db, lang="en")
    assert backwards.exit_code == 2 and "closes (2025-04-01) before it opens" in backwards.output

    invited = invoke("campaign", "roster", "caj", "--all", "--store", db)
    assert invited.exit_code == 0, invited.output
    assert invited.stdout.splitlines()[0] == "3 actores invitados."
    assert "enlace aún no entregado" in invited.stdout
    outside = invoke("campaign", "roster", "caj", "asoc-mujeres-cusco", "--store", db)
    assert outside.exit_code == 2 and "fuera de la campaña" in outside.output

    out = tmp_path / "enlaces.csv"
    written = invoke("campaign", "links", "caj", "--out", out, "--base-url", "https://eco.example.pe", "--store", db)
    assert written.exit_code == 0, written.output
    assert written.stdout.startswith(f"{out}: 3 enlaces nuevos")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [row["actor"] for row in rows] == ["camara-cajamarca", "gore-cajamarca", "unc"]
    assert all(row["link"].startswith("https://eco.example.pe/survey/sv_") for row in rows)
    again = invoke("campaign", "links", "caj", "--out", tmp_path / "otra.xlsx", "--store", db)
    assert "0 enlaces nuevos" in again.stdout

    with SQLiteStore(db) as store:
        for actor in ("gore-cajamarca", "unc"):
            store.survey.save_section(SectionAnswer(campaign="caj", actor=actor, section="capabilities",
                                                    payload=[{"capability": "policy", "level": 2}]))
            store.survey.save_section(SectionAnswer(campaign="caj", actor=actor, section="consent",
                                                    payload={"accepted": True}))
        store.survey.save_section(SectionAnswer(campaign="caj", actor="gore-cajamarca", section="partners", payload=[
            {"proposed": {"name": "Univ. Nacional de Cajamarca", "sector": "academia", "region": "06"},
             "type": "training"}]))
    progress = invoke("campaign", "progress", "caj", "--store", db)
    assert progress.stdout.splitlines()[0] == "2 de 3 actores respondieron (67 %)"
    assert "Sin responder: camara-cajamarca" in progress.stdout

    listed = invoke("campaign", "review", "caj", "--store", db)
    assert "new:univ-nacional-de-cajamarca  [pendiente]" in listed.stdout and "(unc)" in listed.stdout
    merged = invoke("campaign", "review", "caj", "--merge", "new:univ-nacional-de-cajamarca=unc", "--store", db)
    assert "new:univ-nacional-de-cajamarca  [merge → unc]" in merged.stdout
    assert invoke("campaign", "review", "caj", "--accept", "new:ghost", "--store", db).exit_code == 2

    published = invoke("campaign", "publish", "caj", "--store", db, lang="en")
    assert published.exit_code == 0, published.output
    assert published.stdout.startswith("Published: dataset version 2 (2 actors and 1 collaborations written)")
    with SQLiteStore(db) as store:
        [tie] = store.collaborations(ids=["gore-cajamarca--unc--training"])
        assert tie.confirmation == "reported" and tie.provenance.startswith("campaign:caj;respondent:gore-cajamarca")
    assert invoke("campaign", "progress", "ghost", "--store", db).exit_code == 2
