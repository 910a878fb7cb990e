"""Maps from other tools in (Kumu, Gephi, yEd, networkx, ecograph's own GraphML and GEXF), the mapping step, GEXF
that validates against the official schema, and Cytoscape.js JSON out of the CLI and the API."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from typer.testing import CliRunner

from api.main import create_app
from api.tokens import TokenStore
from ecograph import cli
from ecograph.formats import gexf
from ecograph.formats.mapping import Mapping, recall
from ecograph.formats.regions import Known
from ecograph.generate import generate_dataset
from ecograph.graph import build_graph
from ecograph.model import Dataset, Invalid, Region
from ecograph.readers import ERROR, WARNING, check_dataset, check_source, read_dataset
from ecograph.stores import SQLiteStore, Store
from ecograph.writers import GRAPH_FORMATS, export
from tests.conftest import DATA, MINI
from tests.test_api import API, sqlite_settings, wait_for_analysis

FORMATS = DATA / "formats"
SCHEMA = DATA / "gexf" / "gexf.xsd"
KUMU = ("kumu-cajamarca.xlsx", "kumu-cajamarca.json", "kumu-csv")
CAJAMARCA = {"universidad-nacional-de-cajamarca", "gobierno-regional-de-cajamarca", "camara-de-comercio-de-cajamarca",
             "pnud"}


@pytest.fixture(autouse=True)
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Remembered mappings go to a scratch file, never to the user's config folder."""
    path = tmp_path / "mappings.json"
    monkeypatch.setenv("ECOGRAPH_MAPPINGS", str(path))
    return path


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


# -- round trips -----------------------------------------------------------------------------------
@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_graph_formats_read_back_as_the_identical_dataset(store: Store, mini: Dataset, tmp_path: Path,
                                                          format: str) -> None:
    store.load(mini)
    path = tmp_path / f"ecosystem.{format}"
    export(store.dataset(), store.graph(), path, format)
    assert read_dataset(path) == mini
    region = tmp_path / f"cajamarca.{format}"
    export(store.dataset("06"), store.graph("06"), region, format)
    assert read_dataset(region) == store.dataset("06")
    dataset, problems = check_dataset(path)
    assert problems == [] and dataset == mini


@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_a_generated_dataset_round_trips_through_graph_formats(tmp_path: Path, format: str) -> None:
    dataset = generate_dataset(120, seed=7)
    path = tmp_path / f"synthetic.{format}"
    export(dataset, build_graph(dataset.actors, dataset.collaborations), path, format)
    assert read_dataset(path) == dataset


def test_odd_text_survives_the_graph_formats(mini: Dataset, tmp_path: Path) -> None:
    """Quotes, ampersands, ``?>`` and line breaks in names and sources (the regions travel in a processing
    instruction, which ``?>`` would end)."""
    odd = 'Asociación "Ñawi" & <Co> ?> \n línea dos'
    actors = [a.model_copy(update={"description": odd}) if a.id == "unc" else a for a in mini.actors]
    regions = [r.model_copy(update={"source": "INEI ?> <censo> & más"}) for r in mini.regions]
    dataset = mini.model_copy(update={"actors": actors, "regions": regions})
    for format in GRAPH_FORMATS:
        path = tmp_path / f"odd.{format}"
        export(dataset, build_graph(dataset.actors, dataset.collaborations), path, format)
        assert read_dataset(path) == dataset, format


# -- GEXF that opens in Gephi ----------------------------------------------------------------------
def test_gexf_validates_against_the_official_schema(store: Store, mini: Dataset, tmp_path: Path) -> None:
    store.load(mini)
    path = tmp_path / "ecosystem.gexf"
    export(store.dataset(), store.graph(), path, "gexf")
    document = etree.parse(str(path))
    checker = schema()
    assert checker.validate(document), checker.error_log
    ns = {"g": gexf.NS}
    graph = document.find("g:graph", ns)
    assert graph.get("defaultedgetype") == "undirected" and graph.get("mode") == "static"
    edges = {edge.get("id"): edge for edge in graph.iterfind("g:edges/g:edge", ns)}
    assert {key for key, edge in edges.items() if edge.get("type")} == {"produce--camara-cajamarca--funding"}
    assert edges["produce--camara-cajamarca--funding"].get("type") == "directed"
    assert not any(edge.get("start") or edge.get("end") for edge in edges.values()), "dates are attributes"
    declared = {(attributes.get("class"), attribute.get("id"))
                for attributes in graph.iterfind("g:attributes", ns) for attribute in attributes}
    assert {("edge", "tie_type"), ("edge", "start"), ("edge", "end"), ("node", "sector")} <= declared
    used = {(kind, value.get("for")) for kind, path_ in (("node", "g:nodes/g:node"), ("edge", "g:edges/g:edge"))
            for element in graph.iterfind(path_, ns) for value in element.iterfind("g:attvalues/g:attvalue", ns)}
    assert used <= declared, "every attribute is a declared column"
    funding = {value.get("for"): value.get("value")
               for value in edges["produce--camara-cajamarca--funding"].iterfind("g:attvalues/g:attvalue", ns)}
    assert funding["tie_type"] == "funding" and (funding["start"], funding["end"]) == ("2021-01-15", "2023-12-31")
    assert edges["produce--camara-cajamarca--funding"].get("weight") == "2"


def test_the_schema_check_is_not_vacuous(mini: Dataset, tmp_path: Path) -> None:
    """What the old export wrote (the tie type in GEXF's own edge ``type``, dates as dynamic spells) fails it."""
    document = etree.fromstring(gexf.document(build_graph(mini.actors, mini.collaborations), mini))
    edge = document.find(f".//{{{gexf.NS}}}edge")
    edge.set("type", "funding")
    assert not schema().validate(etree.ElementTree(document))


def test_gexf_of_a_region_from_the_api_validates(tmp_path: Path) -> None:
    with TestClient(create_app(sqlite_settings(tmp_path))) as client:
        body = client.get(f"{API}/export", params={"format": "gexf", "region": "06"})
    assert body.headers["content-type"].startswith("application/gexf+xml")
    assert schema().validate(etree.parse(io.BytesIO(body.content)))


# -- Kumu ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", KUMU)
def test_kumu_maps_load_as_expected(name: str) -> None:
    checked = check_source(FORMATS / name)
    assert checked.kind == "kumu" and checked.dataset is not None, [str(p) for p in checked.problems]
    dataset = checked.dataset
    actors = {actor.id: actor for actor in dataset.actors}
    assert set(actors) == CAJAMARCA, "ids are the labels' slugs"
    unc, gore = actors["universidad-nacional-de-cajamarca"], actors["gobierno-regional-de-cajamarca"]
    camara, pnud = actors["camara-de-comercio-de-cajamarca"], actors["pnud"]
    assert (unc.name, unc.type, unc.sector, unc.region, unc.scope) == (
        "Universidad Nacional de Cajamarca", "university", "academia", "06", "regional")
    assert (unc.capabilities, unc.target_groups, unc.website) == (["research_innovation"], ["youth"],
                                                                   "https://www.unc.edu.pe")
    assert (gore.type, gore.sector, gore.region, gore.capabilities) == ("regional_government", "public", "06",
                                                                         ["e_government"])
    assert (camara.type, camara.capabilities, camara.target_groups) == ("company", ["entrepreneurship"], ["msme"])
    assert (pnud.type, pnud.region, pnud.scope, pnud.target_groups) == ("un_agency", None, "national", ["women"])
    assert pnud.description == "Programa de las Naciones Unidas para el Desarrollo"
    ties = {(tie.source, tie.target): tie for tie in dataset.collaborations}
    assert {(key, tie.type, tie.weight) for key, tie in ties.items()} == {
        (("universidad-nacional-de-cajamarca", "gobierno-regional-de-cajamarca"), "agreement", 4),
        (("pnud", "camara-de-comercio-de-cajamarca"), "funding", 3),
        (("gobierno-regional-de-cajamarca", "camara-de-comercio-de-cajamarca"), "joint_project", 3),
        (("pnud", "universidad-nacional-de-cajamarca"), "joint_project", 2)}
    warnings = sorted((p.key, dict(p.values).get("value")) for p in checked.problems)
    assert warnings == [("problem.kumu_tag_ignored", "networking"), ("problem.kumu_tie_type_default", "Friendship"),
                        ("problem.kumu_type_default", "Organization"), ("problem.scope_derived", None)]
    assert {p.severity for p in checked.problems} == {WARNING}
    assert [r.code for r in dataset.regions][:3] == ["01", "02", "03"], "read against INEI's regions"


def test_kumu_warnings_are_located_and_read_in_both_languages() -> None:
    _, problems = check_dataset(FORMATS / "kumu-cajamarca.xlsx")
    lines = [problem.line("en") for problem in problems]
    assert ("kumu-cajamarca.xlsx[Elements]:4:Type: warning: unknown Kumu type 'Organization': read as company, the "
            "usual type of the private sector; if it is not, use an ecograph type") in lines
    assert "kumu-cajamarca.xlsx[Connections]:5:Type: warning: unknown Kumu connection type 'Friendship'" in "\n".join(
        lines)
    spanish = [str(problem) for problem in problems]
    assert any(line.startswith("kumu-cajamarca.xlsx[Elements]:4:Tags: advertencia: la etiqueta «networking»")
               for line in spanish)
    strict, problems = check_dataset(FORMATS / "kumu-cajamarca.xlsx", strict=True)
    assert strict is None and {p.severity for p in problems} == {ERROR}


def test_kumu_errors_are_all_reported_at_once(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FORMATS / "kumu-csv", tmp_path / "kumu"))
    elements = (folder / "Elements.csv").read_text(encoding="utf-8")
    (folder / "Elements.csv").write_text(elements.replace(",privado,", ",privada,").replace(",06,", ",Atlantis,"),
                                         encoding="utf-8")
    connections = (folder / "Connections.csv").read_text(encoding="utf-8")
    (folder / "Connections.csv").write_text(connections + "PNUD,Nadie,convenio,,3\nPNUD,PNUD,convenio,,9\n",
                                            encoding="utf-8")
    dataset, problems = check_dataset(folder)
    assert dataset is None
    lines = [problem.line("en") for problem in problems if problem.severity == ERROR]
    assert lines == [
        "Connections.csv:6:To: tie to unknown actor 'nadie'; add it to actors or correct the id",
        "Connections.csv:7:Strength: weight '9' is out of range; use a whole number from 1 to 5",
        "Elements.csv:3:Región: unknown region 'Atlantis'; the map has no regions table: use the name or code of a "
        "known region, for example Amazonas (01)",
        "Elements.csv:4:Sector: unknown sector 'privada'; use one of academia, public, private, civil_society, "
        "international"]


# -- Gephi, yEd, networkx --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["gephi", "gephi-cajamarca.gexf"])
def test_gephi_exports_load_as_expected(name: str) -> None:
    checked = check_source(FORMATS / name)
    assert checked.dataset is not None, [str(p) for p in checked.problems]
    actors = {actor.id: actor for actor in checked.dataset.actors}
    assert set(actors) == CAJAMARCA, "Gephi's numeric ids give way to the labels' slugs"
    assert (actors["universidad-nacional-de-cajamarca"].type, actors["universidad-nacional-de-cajamarca"].region,
            actors["pnud"].scope) == ("university", "06", "international")
    ties = {(tie.source, tie.target, tie.type, tie.weight) for tie in checked.dataset.collaborations}
    assert ties == {("universidad-nacional-de-cajamarca", "gobierno-regional-de-cajamarca", "agreement", 4),
                    ("pnud", "camara-de-comercio-de-cajamarca", "funding", 3),
                    ("gobierno-regional-de-cajamarca", "camara-de-comercio-de-cajamarca", "joint_project", 3),
                    ("pnud", "universidad-nacional-de-cajamarca", "training", 2)}
    assert [p.key for p in checked.problems] == ["problem.unknown_column"], "only Gephi's modularity is not read"


def test_yed_graphml_with_mixed_directions_loads() -> None:
    checked = check_source(FORMATS / "yed-cajamarca.graphml")
    assert checked.dataset is not None, [str(p) for p in checked.problems]
    assert {a.id: a.name for a in checked.dataset.actors}["universidad-nacional-de-cajamarca"] == (
        "Universidad Nacional de Cajamarca"), "yEd's node label is the name"
    assert {(t.type, t.weight) for t in checked.dataset.collaborations} == {("agreement", 4), ("funding", 3)}


def test_networkx_graphml_and_gexf_load(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node(0, label="Universidad Nacional de Cajamarca", sector="academia", type="university",
                   region="Cajamarca")
    graph.add_node(1, label="PNUD", sector="international", type="un_agency", scope="international")
    graph.add_edge(1, 0, type="training", weight=2)
    nx.write_graphml(graph, tmp_path / "nx.graphml")
    nx.write_gexf(nx.DiGraph(graph), tmp_path / "nx.gexf")
    for name in ("nx.graphml", "nx.gexf"):
        dataset = read_dataset(tmp_path / name)
        assert {a.id for a in dataset.actors} == {"universidad-nacional-de-cajamarca", "pnud"}, name
        assert [(t.source, t.target, t.type) for t in dataset.collaborations] == [
            ("pnud", "universidad-nacional-de-cajamarca", "training")], name


def test_unreadable_xml_is_a_located_problem_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gexf"
    broken.write_text('<?xml version="1.0"?>\n<gexf version="1.2">\n  <graph>\n    <nodes><node id="a"></nodes>\n',
                      encoding="utf-8")
    _, problems = check_dataset(broken)
    assert [(p.file, p.row, p.column, p.key) for p in problems] == [("broken.gexf", 4, "27", "problem.xml_unreadable")]
    assert problems[0].line("en").startswith("broken.gexf:4:27: the file is not well-formed XML"), "at </nodes>"
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<graphml>&lol;</graphml>\n',
                    encoding="utf-8")
    assert [p.key for p in check_dataset(bomb)[1]] == ["problem.xml_doctype"]
    other = tmp_path / "other.xml"
    other.write_text("<svg/>", encoding="utf-8")
    assert [str(p) for p in check_dataset(other)[1]] == [
        "other.xml:1:-: se esperaba un archivo GraphML o GEXF, pero su elemento raíz es «svg»"]
    bad = tmp_path / "bad.graphml"
    bad.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
                   '<node id="a"><data key="nokey">x</data></node></graph></graphml>', encoding="utf-8")
    assert [p.key for p in check_dataset(bad)[1]] == ["problem.graph_unreadable"]


# -- the regions a map is read against -------------------------------------------------------------
def test_a_map_is_read_against_the_known_regions(mini: Dataset) -> None:
    known = Known(mini.regions, mini.indicators)
    dataset, problems = check_dataset(FORMATS / "kumu-csv", known=known)
    assert dataset is not None and dataset.regions == mini.regions and dataset.indicators == mini.indicators
    cusco_only = Known([Region(code="08", name="Cusco")])
    _, problems = check_dataset(FORMATS / "kumu-csv", known=cusco_only)
    errors = [p.line("en") for p in problems if p.severity == ERROR]
    assert errors == [f"Elements.csv:{row}:Región: unknown region '{value}'; the map has no regions table: use the "
                      f"name or code of a known region, for example Cusco (08)"
                      for row, value in ((2, "Cajamarca"), (3, "06"), (4, "cajamarca"))]


# -- the mapping step ------------------------------------------------------------------------------
def categorised(tmp_path: Path) -> Path:
    """Gephi's tables with the sector in a column called Category."""
    folder = Path(shutil.copytree(FORMATS / "gephi", tmp_path / "gephi"))
    nodes = folder / "nodes.csv"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace(",sector,", ",Category,", 1), encoding="utf-8")
    return folder


def test_a_mapping_says_which_column_holds_which_field(tmp_path: Path, memory: Path) -> None:
    folder = categorised(tmp_path)
    dataset, problems = check_dataset(folder)
    assert dataset is None and "nodes.csv:1:sector: missing column 'sector'; add it to the header row" in [
        p.line("en") for p in problems]
    mapping = Mapping.parse(["sector=Category"])
    assert read_dataset(folder, mapping=mapping).actors[0].sector == "private"
    checked = check_source(folder, mapping=mapping, memory=memory)
    assert checked.dataset is not None and checked.remembered == memory and not checked.recalled
    assert recall("gephi", checked.columns, memory) == mapping
    again = check_source(folder, memory=memory)
    assert again.recalled and again.mapping == mapping and again.dataset == checked.dataset
    renamed = Path(shutil.copytree(folder, tmp_path / "other-name"))
    assert check_source(renamed, memory=memory).dataset is None, "another name is another source"
    wrong = check_source(folder, mapping=Mapping.parse(["sector=Categoria"]))
    assert "gephi:0:Categoria: there is no column 'Categoria', which --map sector=Categoria names" in "\n".join(
        p.line("en") for p in wrong.problems)


def test_mapping_specs() -> None:
    assert Mapping.parse(["región=Departamento", "collaborations.type = Relación", "actores.tipo=Clase"]).pairs == (
        (None, "region", "Departamento"), ("collaborations", "type", "Relación"), ("actors", "type", "Clase"))
    for spec, key in (("sector", "problem.mapping_bad_spec"), ("=x", "problem.mapping_bad_spec"),
                      ("color=Colour", "problem.mapping_unknown_field"),
                      ("fuente=Origen", "problem.mapping_unknown_field"),
                      ("planets.name=x", "problem.mapping_unknown_table")):
        with pytest.raises(Invalid) as raised:
            Mapping.parse([spec])
        assert raised.value.key == key, spec


def test_a_mapped_column_displaces_the_one_it_replaces(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FORMATS / "kumu-csv", tmp_path / "kumu"))
    elements = folder / "Elements.csv"
    text = elements.read_text(encoding="utf-8").replace("Label,Type,", "Label,Tipo,", 1)
    elements.write_text(text.replace("Website\n", "Website,Clase\n", 1).replace("\n", ",\n").replace(
        "Website,Clase,\n", "Website,Clase\n"), encoding="utf-8")
    _, problems = check_dataset(folder, mapping=Mapping.parse(["actors.type=Clase"]))
    assert "Elements.csv:1:Tipo: warning: the column 'Tipo' is not read: --map type=Clase takes its place" in [
        p.line("en") for p in problems]


# -- the command line and the API ------------------------------------------------------------------
def invoke(*args: object, lang: str = "en") -> object:
    return CliRunner().invoke(cli.app, [str(arg) for arg in args], env={"ECOGRAPH_LANG": lang})


def test_cli_loads_maps_with_a_remembered_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  memory: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("load", MINI, "--db", "eco.db").exit_code == 0
    folder = categorised(tmp_path)
    failed = invoke("validate", folder)
    assert failed.exit_code == 1 and "nodes.csv:1:sector: missing column 'sector'" in failed.stdout
    bad = invoke("validate", folder, "--map", "sector")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: bad mapping 'sector'; write it as field=column")
    mapped = invoke("validate", folder, "--map", "sector=Category")
    assert mapped.exit_code == 0 and mapped.stdout.splitlines()[-1].startswith("OK, with 1 warning: 26 regions")
    assert f"mapping remembered for gephi (in {memory}): sector=Category" in mapped.stderr
    loaded = invoke("load", folder, "--db", "eco.db")
    assert loaded.exit_code == 0, loaded.stdout + loaded.stderr
    assert "using the mapping remembered for gephi: sector=Category" in loaded.stderr
    assert "regions         +0 added, ~0 updated, -0 removed, 2 unchanged" in loaded.stdout, "the store's regions"
    with SQLiteStore(tmp_path / "eco.db") as store:
        ids = {actor.id for actor in store.actors()}
        assert ids >= CAJAMARCA and "unc" in ids
        assert len(store.regions()) == 2 and len(store.indicators()) == 3
    replaced = invoke("load", FORMATS / "kumu-cajamarca.json", "--db", "eco.db", "--replace")
    assert replaced.exit_code == 0, replaced.stdout
    with SQLiteStore(tmp_path / "eco.db") as store:
        assert {actor.id for actor in store.actors()} == CAJAMARCA
        assert len(store.regions()) == 2 and len(store.indicators()) == 3, "a map replaces actors and ties only"


def test_cli_export_gexf_and_cytoscape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("load", MINI, "--db", "eco.db").exit_code == 0
    done = invoke("export", "eco.gexf", "--format", "gexf", "--db", "eco.db", lang="es")
    assert done.exit_code == 0 and done.stdout == "se escribió eco.gexf\n"
    assert schema().validate(etree.parse("eco.gexf"))
    assert invoke("validate", "eco.gexf").stdout == "OK: 2 regions, 3 indicators, 6 actors, 4 collaborations\n"
    for region in (None, "06"):
        where = ["--region", region] if region else []
        written = invoke("export", "cy.json", "--format", "cytoscape", *where, "--db", "eco.db")
        assert written.exit_code == 0, written.stderr
        with TestClient(create_app(sqlite_settings(tmp_path / f"api-{region}", read_dataset(MINI)))) as client:
            wait_for_analysis(client)
            path = f"{API}/regions/{region}/graph" if region else f"{API}/graph"
            served = client.get(path, params={"format": "cytoscape"}).content
            exported = client.get(f"{API}/export", params={"format": "cytoscape", **({"region": region} if region
                                                                                       else {})})
        assert (tmp_path / "cy.json").read_bytes() == served == exported.content, "the same document"
        assert exported.headers["content-type"] == "application/json"
        document = json.loads(served)
        assert {node["data"]["id"] for node in document["elements"]["nodes"]} >= {"gore-cajamarca", "unc"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    (tmp_path / "api").mkdir()
    with TestClient(create_app(sqlite_settings(tmp_path / "api"))) as test_client:
        yield test_client


@pytest.fixture
def admin(tmp_path: Path) -> dict[str, str]:
    return {"Authorization": f"Bearer {TokenStore(tmp_path / 'api' / 'tokens.db').create('admin')[0]}"}


def test_api_imports_maps_with_a_mapping(client: TestClient, admin: dict[str, str], tmp_path: Path) -> None:
    folder = categorised(tmp_path)
    files = [("files", (path.name, path.read_bytes(), "text/csv")) for path in sorted(folder.glob("*.csv"))]
    refused = client.post(f"{API}/import", files=files, headers={**admin, "Accept-Language": "en"})
    assert refused.status_code == 422
    assert "nodes.csv:1:sector: missing column 'sector'; add it to the header row" in [
        p["text"] for p in refused.json()["problems"]]
    bad = client.post(f"{API}/import", params={"map": "sector"}, files=files, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.map"
    done = client.post(f"{API}/import", params=[("map", "sector=Category")], files=files, headers=admin)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["loaded"] and body["tables"]["actors"]["added"] == 3 and body["tables"]["regions"]["unchanged"] == 2
    assert body["mapping"] == ["sector=Category"] and not body["mapping_recalled"]
    assert [p["column"] for p in body["problems"]] == ["modularity_class"], "warnings are listed, not refused"
    again = client.post(f"{API}/import", params={"dry_run": "true"}, files=files, headers=admin).json()
    assert again["mapping"] == ["sector=Category"] and again["mapping_recalled"] and not again["loaded"]
    assert client.get(f"{API}/actors/universidad-nacional-de-cajamarca").json()["actor"]["region"] == "06"
    strict = client.post(f"{API}/import", params={"strict": "true"}, files=files, headers=admin)
    assert strict.status_code == 422


def test_api_imports_kumu_json_and_graph_files(client: TestClient, admin: dict[str, str], tmp_path: Path) -> None:
    kumu = (FORMATS / "kumu-cajamarca.json").read_bytes()
    done = client.post(f"{API}/import", files={"files": ("kumu.json", kumu, "application/json")}, headers=admin)
    assert done.status_code == 200, done.text
    assert done.json()["tables"]["actors"]["added"] == 3, "pnud is in the store already"
    exported = client.get(f"{API}/export", params={"format": "graphml"}).content
    same = client.post(f"{API}/import", files={"files": ("eco.graphml", exported, "application/xml")},
                       headers=admin, params={"replace": "true"})
    assert same.status_code == 200 and same.json()["loaded"] is False, same.text
    gexf_file = client.get(f"{API}/export", params={"format": "gexf"}).content
    again = client.post(f"{API}/import", files={"files": ("eco.gexf", gexf_file, "application/xml")},
                        headers=admin, params={"replace": "true"})
    assert again.status_code == 200 and again.json()["loaded"] is False, again.text
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as opened:
        for path in (FORMATS / "kumu-csv").iterdir():
            opened.write(path, f"kumu/{path.name}")
    zipped = client.post(f"{API}/import", files={"files": ("kumu.zip", archive.getvalue(), "application/zip")},
                         headers=admin, params={"dry_run": "true"})
    assert zipped.status_code == 200 and zipped.json()["tables"]["actors"]["unchanged"] == 4, zipped.text
    broken = client.post(f"{API}/import", files={"files": ("x.gexf", b"<gexf><graph>", "application/xml")},
                         headers={**admin, "Accept-Language": "en"})
    assert broken.status_code == 422
    assert broken.json()["problems"][0]["text"].startswith("x.gexf:1:14: the file is not well-formed XML")
