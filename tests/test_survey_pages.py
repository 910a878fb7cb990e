"""The survey's web pages over TestClient, JavaScript off: plain form posts and redirects.

The respondent's form (every section by form POSTs, CSRF refused, one link never sees another's answers, closed
and revoked links), the campaign pages (sign-in, creation, links as CSV, xlsx and a QR sheet, progress, review,
publish), and the assessment on the region page and at ``/assessment``.
"""

from __future__ import annotations

import gzip
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api import survey_pages
from api.main import create_app
from api.settings import ApiSettings
from api.survey_pages import link_token
from api.tokens import TokenStore
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from ecograph.survey.model import Campaign
from visuals import views

MINI = Path(__file__).parent / "data" / "mini"
TODAY = survey_pages.today()


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    store_path = tmp_path / "survey.db"
    with SQLiteStore(store_path) as store:
        store.load(read_dataset(MINI))
    return store_path, tmp_path / "tokens.db"


@pytest.fixture
def app(paths: tuple[Path, Path]) -> FastAPI:
    store_path, tokens = paths
    return create_app(ApiSettings(store=str(store_path), tokens=str(tokens)))


@pytest.fixture
def settings(app: FastAPI) -> ApiSettings:
    return app.state.settings


def open_campaign(app: FastAPI, campaign_id: str = "cajamarca", regions: tuple[str, ...] = ("06",),
                  opens: date | None = None, closes: date | None = None) -> Campaign:
    """A campaign open today, every actor of its regions invited with a derived link."""
    store = app.state.stores.get()
    campaign = Campaign(id=campaign_id, name=f"Encuesta {campaign_id}", regions=list(regions),
                        opens=opens or TODAY - timedelta(days=3), closes=closes or TODAY + timedelta(days=30))
    store.survey.create_campaign(campaign)
    survey_pages.invite(store, app.state.settings, campaign,
                        [actor.id for code in regions for actor in store.actors(region=code)])
    return campaign


def link(app: FastAPI, actor: str, campaign: str = "cajamarca") -> str:
    return f"/survey/{link_token(app.state.settings, campaign, actor)}"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def post(client: TestClient, url: str, data: dict, page: str | None = None):
    """Post a form the way a browser does: with the CSRF token of the page it came from."""
    csrf = csrf_of(client.get(page or url).text)
    return client.post(url, data={"csrf": csrf, **data}, follow_redirects=False)


def fill_survey(client: TestClient, base: str) -> None:
    """Every section of one survey, by form posts, following each redirect."""
    answer = post(client, f"{base}/profile", {
        "name": "Universidad Nacional de Cajamarca", "acronym": "UNC", "sector": "academia", "type": "university",
        "scope": "regional", "website": "www.unc.edu.pe", "contact_name": "Ana Quispe",
        "contact_email": "ana@unc.edu.pe", "contact_phone": "+51 976 000 111"})
    assert answer.status_code == 303 and answer.headers["location"] == f"{base}/capabilities?saved=profile"
    page = client.get(answer.headers["location"])
    assert 'id="saved"' in page.text and "Perfil" in page.text
    answer = post(client, f"{base}/capabilities", {
        "level-digital_skills": "3", "groups-digital_skills": ["women", "rural"],
        "evidence-digital_skills": "https://www.unc.edu.pe/capacitacion", "level-research_innovation": "2",
        "level-connectivity": ""})
    assert answer.headers["location"] == f"{base}/partners?saved=capabilities"
    found = client.get(f"{base}/partners?q=gobierno")
    assert "Gobierno Regional de Cajamarca" in found.text and "pick-gore-cajamarca" in found.text
    answer = post(client, f"{base}/partners/add", {
        "partner": "gore-cajamarca", "types": ["agreement", "training"], "since": "2019", "status": "active",
        "strength": "4", "trust": "3", "value": ""}, page=f"{base}/partners/add?partner=gore-cajamarca")
    assert answer.headers["location"] == f"{base}/partners?saved=partners"
    answer = post(client, f"{base}/partners/add", {
        "proposed": "1", "proposed_name": "Asociación Cajamarca Digital", "proposed_sector": "civil_society",
        "proposed_region": "06", "types": ["joint_project"], "status": "planned", "strength": "2"},
        page=f"{base}/partners/add?proposed=1")
    assert answer.status_code == 303
    answer = post(client, f"{base}/partners", {})
    assert answer.headers["location"] == f"{base}/needs?saved=partners"
    answer = post(client, f"{base}/needs", {"needs": ["financing", "e_health"]})
    assert answer.headers["location"] == f"{base}/consent?saved=needs"
    answer = post(client, f"{base}/consent", {"accepted": "yes"})
    assert answer.headers["location"] == f"{base}/receipt?saved=consent"


def test_a_whole_survey_by_form_posts(app: FastAPI) -> None:
    open_campaign(app)
    client = TestClient(app)
    base = link(app, "unc")
    start = client.get(base)
    assert start.status_code == 200 and '<html lang="es">' in start.text
    assert "Universidad Nacional de Cajamarca" in start.text and start.headers["cache-control"] == "no-store"
    profile = client.get(f"{base}/profile")
    assert 'value="Universidad Nacional de Cajamarca"' in profile.text  # the dataset's record, to confirm
    fill_survey(client, base)
    receipt = client.get(f"{base}/receipt").text
    assert 'id="thanks"' in receipt
    for expected in ("https://www.unc.edu.pe", "ana@unc.edu.pe", "3 · Diferenciador", "Mujeres",
                     "Gobierno Regional de Cajamarca", "Asociación Cajamarca Digital", "Financiamiento",
                     "desde 2019"):
        assert expected in receipt, expected
    store = app.state.stores.get()
    saved = {answer.section: answer.payload for answer in store.survey.answers("cajamarca", actor="unc")}
    assert set(saved) == {"profile", "capabilities", "partners", "needs", "consent"}
    assert saved["profile"]["website"] == "https://www.unc.edu.pe"
    assert {(item["capability"], item["level"]) for item in saved["capabilities"]["items"]} == {
        ("digital_skills", 3), ("research_innovation", 2)}
    ties = saved["partners"]["items"]
    assert sorted(tie["type"] for tie in ties) == ["agreement", "joint_project", "training"]
    assert {tie["trust"] for tie in ties if tie.get("partner")} == {3}
    assert saved["needs"] == {"capabilities": ["e_health", "financing"]}


def test_the_same_link_resumes_and_corrects(app: FastAPI) -> None:
    open_campaign(app)
    client = TestClient(app)
    base = link(app, "unc")
    post(client, f"{base}/needs", {"needs": ["financing"]})
    later = TestClient(app)  # another day, another browser: the link is all it takes
    page = later.get(f"{base}/needs").text
    assert 'value="financing" checked' in page and "✓" in later.get(base).text
    post(later, f"{base}/needs", {"needs": ["policy"]})
    store = app.state.stores.get()
    assert [a.payload for a in store.survey.answers("cajamarca", actor="unc")] == [{"capabilities": ["policy"]}]
    partners = f"{base}/partners"
    post(later, f"{partners}/add", {"partner": "pnud", "types": ["funding"], "direction": "receives",
                                    "status": "active", "strength": "5"}, page=f"{partners}/add?partner=pnud")
    post(later, f"{partners}/remove", {"index": "0"}, page=partners)
    assert store.survey.answers("cajamarca", actor="unc")[0].section == "needs"
    assert [a.payload for a in store.survey.answers("cajamarca", actor="unc") if a.section == "partners"] == [
        {"items": []}]


def test_english_on_request(app: FastAPI) -> None:
    open_campaign(app)
    page = TestClient(app).get(f"{link(app, 'unc')}/capabilities?lang=en")
    assert '<html lang="en">' in page.text and "Digital capabilities" in page.text
    assert "3 · Differentiating" in page.text


def test_invalid_answers_come_back_with_their_errors(app: FastAPI) -> None:
    open_campaign(app)
    client = TestClient(app)
    base = link(app, "unc")
    refused = post(client, f"{base}/profile", {"name": "", "sector": "academia", "type": "university",
                                               "scope": "regional", "contact_email": "not-an-email"})
    assert refused.status_code == 422 and 'id="form-errors"' in refused.text
    assert 'id="name-error"' in refused.text and 'id="contact_email-error"' in refused.text
    assert 'value="not-an-email"' in refused.text  # what was typed stays
    refused = post(client, f"{base}/partners/add", {"partner": "pnud", "status": "active", "strength": "3"},
                   page=f"{base}/partners/add?partner=pnud")
    assert refused.status_code == 422 and 'id="types-error"' in refused.text
    refused = post(client, f"{base}/consent", {})
    assert refused.status_code == 422
    assert app.state.stores.get().survey.answers("cajamarca", actor="unc") == []


def test_forms_without_the_link_csrf_token_are_refused(app: FastAPI) -> None:
    open_campaign(app)
    client = TestClient(app)
    base = link(app, "unc")
    other = csrf_of(client.get(link(app, "gore-cajamarca") + "/needs").text)
    assert other != csrf_of(client.get(f"{base}/needs").text)
    for data in ({}, {"csrf": "forged"}, {"csrf": other}):
        refused = client.post(f"{base}/needs", data={"needs": ["policy"], **data}, follow_redirects=False)
        assert refused.status_code == 403 and 'data-reason="csrf"' in refused.text
    refused = client.post(f"{base}/partners/add", data={"partner": "pnud", "types": ["training"], "strength": "3",
                                                        "status": "active"})
    assert refused.status_code == 403
    assert app.state.stores.get().survey.answers("cajamarca") == []


def test_a_link_reads_and_writes_only_its_own_actor(app: FastAPI) -> None:
    open_campaign(app)
    client = TestClient(app)
    fill_survey(client, link(app, "unc"))
    other = link(app, "gore-cajamarca")
    for page in ("", "/profile", "/capabilities", "/partners", "/needs", "/consent", "/receipt"):
        text = client.get(other + page).text
        assert "ana@unc.edu.pe" not in text and "Ana Quispe" not in text and "Cajamarca Digital" not in text
    assert 'value="Gobierno Regional de Cajamarca"' in client.get(f"{other}/profile").text
    post(client, f"{other}/needs", {"needs": ["connectivity"], "actor": "unc"})  # a stray field changes nothing
    store = app.state.stores.get()
    assert [a.payload for a in store.survey.answers("cajamarca", actor="unc") if a.section == "needs"] == [
        {"capabilities": ["e_health", "financing"]}]
    assert [a.payload for a in store.survey.answers("cajamarca", actor="gore-cajamarca")] == [
        {"capabilities": ["connectivity"]}]
    partners = client.get(f"{other}/partners").text
    assert "pick-gore-cajamarca" not in partners  # nobody is its own partner


def test_closed_revoked_unknown_and_early_links_get_clear_pages(app: FastAPI) -> None:
    open_campaign(app)
    open_campaign(app, "pasada", closes=TODAY - timedelta(days=1), opens=TODAY - timedelta(days=20))
    open_campaign(app, "futura", opens=TODAY + timedelta(days=5), closes=TODAY + timedelta(days=9))
    client = TestClient(app)
    closed = client.get(link(app, "unc", "pasada") + "/profile")
    assert closed.status_code == 410 and 'data-reason="closed"' in closed.text and "pasada" in closed.text
    early = client.get(link(app, "unc", "futura"))
    assert early.status_code == 403 and 'data-reason="not_open"' in early.text
    unknown = client.get("/survey/sv_nothing-here")
    assert unknown.status_code == 404 and 'data-reason="unknown"' in unknown.text
    base = link(app, "unc")
    csrf = csrf_of(client.get(f"{base}/needs").text)
    app.state.stores.get().survey.revoke("cajamarca", "unc")
    revoked = client.post(f"{base}/needs", data={"csrf": csrf, "needs": ["policy"]})
    assert revoked.status_code == 410 and 'data-reason="revoked"' in revoked.text
    assert client.get(base).status_code == 410


def test_the_form_is_light_and_needs_no_script(app: FastAPI) -> None:
    open_campaign(app)
    client = TestClient(app)
    base = link(app, "unc")
    for page in ("", "/profile", "/capabilities", "/partners", "/partners/add?partner=pnud", "/needs", "/consent",
                 "/receipt"):
        answer = client.get(base + page, headers={"Accept-Encoding": "gzip"})
        html = answer.text
        assert "vis-network" not in html and "<script>" not in html
        assert 'method="post"' in html or page in ("", "/receipt")
        sent = len(gzip.compress(answer.content))
        css = client.get(re.search(r'href="(/static/app\.css[^"]*)"', html)[1]).content
        js = client.get(re.search(r'src="(/static/survey\.js[^"]*)"', html)[1]).content
        assert sent + len(gzip.compress(css)) + len(gzip.compress(js)) < 60_000, page


def test_campaign_pages_need_a_lab_token(app: FastAPI, paths: tuple[Path, Path]) -> None:
    client = TestClient(app)
    answer = client.get("/campaigns", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=%2Fcampaigns")
    tokens = TokenStore(paths[1])
    reader, _ = tokens.create("reader")
    assert client.post("/login", data={"token": reader, "next": "/campaigns"}).status_code == 403
    editor, _ = tokens.create("editor", ["08"])
    other = TestClient(app)
    other.post("/login", data={"token": editor, "next": "/campaigns"})
    open_campaign(app)
    assert other.get("/campaigns/cajamarca").status_code == 404  # not one of its regions


def sign_in(app: FastAPI, paths: tuple[Path, Path]) -> TestClient:
    client = TestClient(app)
    admin, _ = TokenStore(paths[1]).create("admin")
    assert client.post("/login", data={"token": admin, "next": "/campaigns"}).status_code == 200
    return client


def test_create_a_campaign_download_links_and_print_the_qr_sheet(app: FastAPI, paths: tuple[Path, Path]) -> None:
    client = sign_in(app, paths)
    page = client.get("/campaigns")
    assert page.status_code == 200 and 'id="new-campaign"' in page.text
    refused = client.post("/campaigns", data={"name": "X", "regions": ["06"], "opens": "2025-01-01",
                                              "closes": "2025-02-01"})
    assert refused.status_code == 403  # no CSRF token
    made = client.post("/campaigns", data={"csrf": csrf_of(page.text), "name": "Cajamarca digital 2025",
                                           "regions": ["06"], "opens": TODAY.isoformat(),
                                           "closes": (TODAY + timedelta(days=20)).isoformat(), "invite_all": "1"},
                       follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/campaigns/cajamarca-digital-2025?done=created"
    overview = client.get(made.headers["location"]).text
    assert "0 de 3 actores respondieron (0 %)" in overview
    listing = client.get("/campaigns/cajamarca-digital-2025/links.csv")
    rows = listing.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "actor,name,acronym,sector,region,link,answered" and len(rows) == 4
    url = rows[1].split(",")[5]
    assert url.startswith("http://testserver/survey/sv_")
    assert TestClient(app).get(url.removeprefix("http://testserver")).status_code == 200
    book = load_workbook(io.BytesIO(client.get("/campaigns/cajamarca-digital-2025/links.xlsx").content))
    assert [row[5] for row in book["links"].iter_rows(values_only=True)][1:] == [r.split(",")[5] for r in rows[1:]]
    sheet = client.get("/campaigns/cajamarca-digital-2025/sheet").text
    assert sheet.count('class="qr"') == 3 and url in sheet and "@media print" not in sheet


def test_progress_review_publish_and_the_region_page(app: FastAPI, paths: tuple[Path, Path]) -> None:
    open_campaign(app)
    respondent = TestClient(app)
    fill_survey(respondent, link(app, "unc"))
    base = link(app, "gore-cajamarca")
    post(respondent, f"{base}/partners/add", {"partner": "unc", "types": ["agreement"], "status": "active",
                                             "strength": "4", "since": "2019"},
         page=f"{base}/partners/add?partner=unc")
    post(respondent, f"{base}/capabilities", {"level-digital_skills": "1", "level-e_government": "2"})
    post(respondent, f"{base}/consent", {"accepted": "yes"})
    client = sign_in(app, paths)
    overview = client.get("/campaigns/cajamarca").text
    assert "2 de 3 actores respondieron (67 %)" in overview
    assert "Cámara de Comercio y Producción de Cajamarca" in overview.split('id="waiting"')[1].split("</table>")[0]
    review = client.get("/campaigns/cajamarca/review")
    assert review.status_code == 200
    for item in re.findall(r'data-item="([^"]+)"', review.text):
        client.post("/campaigns/cajamarca/review", data={"csrf": csrf_of(review.text), "item": item,
                                                         "action": "accept"})
    published = client.post("/campaigns/cajamarca/publish", data={"csrf": csrf_of(overview)},
                            follow_redirects=False)
    assert published.status_code == 303
    store = app.state.stores.get()
    assert store.survey.campaign("cajamarca").published_version == store.version()
    region = TestClient(app).get("/regions/06").text
    assert 'id="assessment"' in region and "2 de 3 actores respondieron (67 %)" in region
    assert 'id="maturity"' in region and 'id="survey-ties"' in region
    assert "Confirmado por ambas partes" in region
    actor = TestClient(app).get("/actors/unc").text  # provenance on the actor page, its ties' confirmation
    assert re.search(r'id="provenance">Encuesta cajamarca: respondieron unc \(\d{4}-\d{2}-\d{2}\)', actor)
    assert '<span class="tag" title="Encuesta cajamarca: respondieron gore-cajamarca, unc' in actor
    link_closed = TestClient(app).get(link(app, "unc"))
    assert link_closed.status_code == 410
    assessment = TestClient(app).get("/assessment?region=06")
    assert assessment.status_code == 200 and 'id="maturity-region"' in assessment.text
    rows = TestClient(app).get("/assessment.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "region,sector,capability,respondents,median_level,lowest,highest"
    assert "06,academia,digital_skills,1,3,3,3" in rows or "06,academia,digital_skills,1,3.0,3,3" in rows


def test_every_text_the_survey_templates_use_is_in_the_catalogs() -> None:
    folder = Path(views.__file__).parent / "templates"
    text = "".join(path.read_text() for path in [*folder.glob("survey/*.html"), folder / "_assessment.html"])
    from ecograph.i18n import LANGUAGES, keys
    used = set(re.findall(r"""\bt\(["']([\w.]+)["']\s*[,)]""", text))
    for lang in LANGUAGES:
        assert used <= keys(lang), (lang, used - keys(lang))


def test_respondents_need_no_session_when_reads_need_a_token(paths: tuple[Path, Path]) -> None:
    store_path, tokens = paths
    app = create_app(ApiSettings(store=str(store_path), tokens=str(tokens), read_token_required=True))
    open_campaign(app)
    client = TestClient(app)
    assert client.get(link(app, "unc") + "/profile").status_code == 200  # the link is the credential
    assert post(client, link(app, "unc") + "/needs", {"needs": ["policy"]}).status_code == 303
    for page in ("/assessment", "/assessment.csv", "/campaigns", "/regions/06"):
        answer = client.get(page, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), page


def test_publishing_nothing_says_why(app: FastAPI, paths: tuple[Path, Path]) -> None:
    open_campaign(app)
    client = sign_in(app, paths)
    page = client.get("/campaigns/cajamarca")
    refused = client.post("/campaigns/cajamarca/publish", data={"csrf": csrf_of(page.text)})
    assert refused.status_code == 409 and 'id="failed"' in refused.text
    assert app.state.stores.get().survey.campaign("cajamarca").published_version is None
