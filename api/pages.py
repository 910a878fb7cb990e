"""The web pages: home, region dashboard, actor, compare, import and the embeds.

These are HTTP routes, so they live in ``api``; they get every result from the one
:class:`ecograph.service.Service` (the same objects the JSON routes serialise) and hand them to
:mod:`visuals` to render. Every page links its JSON twin under ``/api/v1``, speaks Spanish unless
asked otherwise, and carries the security headers of :mod:`visuals.render`. While the analysis of
the current dataset version is being computed, pages show what is ready and say so.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

import networkx as nx
from babel.dates import format_date
from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from api import web_import
from api.deps import ServiceDep, SettingsDep, scope
from api.history_page import history_context
from api.sessions import (
    COOKIE,
    SESSION_SECONDS,
    SignInNeeded,
    embed_query,
    page_reader,
    secure_cookie,
    session_value,
)
from api.settings import ApiSettings
from api.stored import stored
from api.tokens import TokenStore
from ecograph.analysis import RegionReport
from ecograph.formats.regions import Known
from ecograph.model import Dataset, closest_region
from ecograph.readers import first_of_each_kind
from ecograph.service import DEFAULT, Analysed, AnalysisPending, Service
from ecograph.stores import LoadSummary, NotFound, OutOfScope
from ecograph.stores.base import MayWrite
from ecograph.stores.history import CLI, Origin
from visuals import insights, views
from visuals.assets import mount_static, vis_network_url
from visuals.assets import router as assets_router
from visuals.home import compare_context, home_context
from visuals.i18n import Texts, choose
from visuals.network import LAYOUT_ON_REQUEST_LIMIT
from visuals.render import dressed, render

__all__ = ["assets_router", "install_sign_in", "mount_static", "router", "sign_in_router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(page_reader)])
"""Every page that shows data; when reads need a token, only to a session (or, for embeds, a signed link)."""
sign_in_router = APIRouter(include_in_schema=False)
REFUSED = {"import_bad_token": 403, "import_not_writer": 403, "import_out_of_scope": 403, "import_unreadable": 400,
           "import_expired": 410, "import_bad_mapping": 422}


def _report(service: Service, version: int, region: str | None) -> tuple[RegionReport | None, AnalysisPending | None]:
    """The region's stored report, or None and why (still being computed)."""
    try:
        return service.report(version, region), None
    except AnalysisPending as pending:
        return None, pending


def drawable_before_analysis(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What a map can show while the analysis (with the stored layout) is computed: a small graph, laid out on
    the spot; a large one would need the stored layout, so nothing until it is ready."""
    return graph if graph.number_of_nodes() <= LAYOUT_ON_REQUEST_LIMIT else graph.subgraph([])


@router.get("/")
def home(request: Request, service: ServiceDep, map: str | None = None) -> Response:
    """Peru at a glance; ``?map=`` is the figure the map of Peru colours regions by (see visuals.peru_map)."""
    version = service.version()
    summaries = service.summaries(version)
    try:
        compared = {row.region: row for row in service.comparison(version)}
        pending = None
    except AnalysisPending as waiting:
        compared, pending = {}, waiting
    rows = [views.scored(summary, compared.get(code)) for code, summary in summaries.items()]
    national = service.national_internet(version)
    return render(request, "home.html", {
        "rows": rows, "national": national, "nav": "home", "twin": "/api/v1/regions", "version": version,
        "pending": pending, **home_context(rows, national, map, Texts(choose(request)))})


@router.get("/regions/{code}")
def region(request: Request, code: str, service: ServiceDep, measure: str | None = None,
           remove: str | None = None) -> Response:
    version = service.version()
    if service.region(version, code) is None:
        known = [known.code for known in service.regions(version)]
        return not_found(request, region=code, guess=closest_region(code, known))
    try:
        report = service.report(version, code)
    except AnalysisPending as pending:
        return render(request, "region.html", region_before_analysis(request, service, version, code, measure,
                                                                     pending))
    key = ("region-page", service.store.url, version, code, choose(request), page_query(request), date.today())
    return cached_page(request, service, key, lambda: render(request, "region.html", region_context(
        request, service, version, code, report, measure, remove)).body)


def cached_page(request: Request, service: Service, key: tuple[Any, ...], build: Callable[[], bytes]) -> Response:
    """A page rendered once per key (which holds the dataset version) and compressed once: a warm visit to a
    large region's page sends stored bytes (compressing 9 MB took half a second on every visit)."""
    body, compressed = stored(request, service, key, build)
    if not compressed:
        return dressed(request, HTMLResponse(body))
    response = HTMLResponse(body, headers={"Content-Encoding": "gzip"})
    response.headers["Vary"] = "Accept-Encoding"
    return dressed(request, response)


def page_query(request: Request) -> str:
    """The query of a page's address without ``lang`` (the language is part of a page cache key anyway)."""
    return urlencode(sorted((key, value) for key, value in request.query_params.multi_items() if key != "lang"))


def region_context(request: Request, service: Service, version: int, code: str, report: RegionReport,
                   measure: str | None, remove: str | None) -> dict[str, Any]:
    """What the region page shows once its analysis is ready. With the default measure (and always for a map of
    communities) the map comes ready-made from the store (:func:`region_map`); another measure draws it again
    from the graph."""
    found = insights.region_insights(report)
    drawn = service.part(version, code, "map")
    if measure is None or measure == MAP_MEASURE or drawn["map"]["graph"]["kind"] == "communities":
        names, ties = drawn["names"], drawn["ties"]
        map_context = views.loaded_map(drawn["map"])
    else:
        graph = service.graph(version, code)
        names, ties = map_names(graph), graph.number_of_edges()
        map_context = views.map_context(graph, found.measures, measure, views.recommendations(found.opportunities),
                                        code, service.analysed(version, code).positions)
    context = region_basics(request, service, version, code, names, ties)
    if remove in names:
        result = service.what_if(version, code, DEFAULT, (remove,), ())
        context |= {"removed": remove, "what_if": insights.what_if(result), "what_if_said": insights.what_if_sentences(
            result, names[remove]["name"], DEFAULT.k)}
    return context | {"found": found, **views.findings_context(found), **map_context,
                      "print_map": printed_map(map_context, found.key_actors),
                      **history_context(request, service, version, code)}


def printed_map(map_context: dict[str, Any], labelled: list[str]) -> insights.PrintMap | None:
    """The brief's map (:func:`visuals.insights.print_map`) of a region page's map of actors, from the JSON the
    page carries (read only when the map is small enough to print that way)."""
    graph = map_context["graph"]
    count = graph["nodes"] if isinstance(graph["nodes"], int) else len(graph["nodes"])
    if graph.get("kind") == "communities" or count > insights.PRINT_LIMIT:
        return None
    return insights.print_map(json.loads(str(map_context["graph_json"])), labelled)


def region_before_analysis(request: Request, service: Service, version: int, code: str, measure: str | None,
                           pending: AnalysisPending) -> dict[str, Any]:
    """What the region page shows while its analysis is computed: counts, actors and a small map."""
    graph = service.graph(version, code)
    context = region_basics(request, service, version, code, map_names(graph), graph.number_of_edges())
    return context | {"pending": pending, **views.map_context(drawable_before_analysis(graph), {}, measure,
                                                              region=code)}


def region_basics(request: Request, service: Service, version: int, code: str, names: dict[str, dict[str, Any]],
                  ties: int) -> dict[str, Any]:
    summary = service.summaries(version)[code]
    local = sorted((actor for actor in names.values() if actor.get("region") == code),
                   key=lambda actor: actor["name"].casefold())
    lang = choose(request)
    return {"region": summary, "twin": f"/api/v1/regions/{code}", "version": version, "names": names,
            "today": format_date(date.today(), "long", locale=lang),
            "outside": len(names) - len(local), "ties": ties, "local_actors": local,
            "vis": vis_network_url(), "graph_texts": views.graph_texts(Texts(lang), service.regions(version)),
            "snippet": snippet(embed_address(request, f"/embed/regions/{code}", lang), summary["name"]),
            "pending": None, "found": None, "removed": None, "print_map": None, "what_if": None, "history": None,
            "what_if_said": [],
            "assessment": survey_assessment(service, version, code)}


def survey_assessment(service: Service, version: int, code: str) -> dict[str, Any] | None:
    """The survey's part of a region page (``_assessment.html``): coverage, maturity heatmap and the ties the
    survey wrote with their status, from the published campaigns that covered the region (None if none did).
    Kept per dataset version, like the page: publishing a campaign makes a new version."""
    from api.survey_pages import region_assessment

    store = service.store
    return service.cache.get(("region-assessment", store.url, version, code), lambda: region_assessment(store, code))


def map_names(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """What pages name actors by: id, name, sector and home region."""
    return {node: {"id": node, "name": data["name"], "sector": data["sector"], "region": data.get("region")}
            for node, data in graph.nodes(data=True)}


MAP_MEASURE = views.KEY_MEASURES[0]


def region_map(graph: nx.MultiDiGraph, analysed: Analysed) -> dict[str, Any]:
    """A region page's map with the default measure, its actors' names and its tie count: computed with the
    analysis and stored with it (the ``ecograph.derived`` entry point ``map``), so a region page needs no
    graph at all. Above :data:`visuals.network.COMMUNITY_MAP_LIMIT` actors, the map of the region's
    communities (a few dozen nodes, 0.1 s for 5,000 actors)."""
    if views.opens_on_communities(graph):
        drawn = views.community_map_context(graph, analysed.report)
    else:
        found = insights.region_insights(analysed.report)
        drawn = views.map_context(graph, found.measures, MAP_MEASURE, views.recommendations(found.opportunities),
                                  graph.graph.get("region"), analysed.positions)
    return {"map": views.stored_map(drawn), "names": map_names(graph), "ties": graph.number_of_edges()}


def community_maps(graph: nx.MultiDiGraph, analysed: Analysed) -> dict[str, Any]:
    """Each community's own map, by community number, for a region whose map opens on its communities (none
    for the others): computed with the analysis and stored with it (the ``ecograph.derived`` entry point
    ``communities``). About as long as the region's whole map of actors."""
    if not views.opens_on_communities(graph):
        return {}
    found = insights.region_insights(analysed.report)
    maps = views.community_maps(graph, analysed.report, found.measures, views.recommendations(found.opportunities),
                                graph.graph.get("region"))
    return {str(number): views.stored_map(context) for number, context in maps.items()}


@router.get("/regions/{code}/communities/{number}")
def community(request: Request, code: str, number: str, service: ServiceDep, measure: str | None = None) -> Response:
    """One community of a large region: its actors and the ties among them, with a way back to the map of
    communities. ``?focus=ACTOR`` (read by the page's script) highlights an actor. A number that names no
    community, or is not a number, gets the not-found page."""
    version = service.version()
    where = service.region(version, code)
    if where is None or not (number.isascii() and number.isdigit() and len(number) < 10):
        return not_found(request)
    wanted = int(number)
    try:
        report = service.report(version, code)
        stored = service.part(version, code, "communities").get(str(wanted))
    except AnalysisPending:
        return RedirectResponse(f"/regions/{code}", status_code=303)
    named = next((found for found in report.communities if found.number == wanted), None)
    if stored is None or named is None:
        return not_found(request)

    def build() -> bytes:
        if measure is None or measure == MAP_MEASURE:
            drawn = views.loaded_map(stored)
        else:
            found = insights.region_insights(report)
            members = [row.id for row in report.measures if row.community == wanted]
            drawn = views.map_context(service.graph(version, code).subgraph(members), found.measures, measure,
                                      region=code)
        texts = views.graph_texts(Texts(choose(request)), service.regions(version))
        return render(request, "community.html", {
            "region": service.summaries(version)[code], "community": named, "version": version,
            "vis": vis_network_url(), "twin": f"/api/v1/regions/{code}/analysis", "graph_texts": texts, **drawn}).body

    return cached_page(request, service, ("community-page", service.store.url, version, code, wanted, choose(request),
                                          page_query(request)), build)


@router.get("/actors/{actor_id}")
def actor(request: Request, actor_id: str, service: ServiceDep, measure: str | None = None) -> Response:
    store = service.store
    try:
        who = store.actor(actor_id)
    except NotFound:
        return not_found(request)
    version = service.version()
    report, pending = _report(service, version, who.region)
    found = insights.region_insights(report) if report else insights.RegionInsights(measures={})
    suggested = insights.suggestions(report, actor_id) if report else []
    graph = views.ego(service.graph(version, None), actor_id, suggested)
    context = {
        "actor": who, "ties": store.collaborations(actor=actor_id), "twin": f"/api/v1/actors/{actor_id}",
        "version": version, "vis": vis_network_url(), "regions": {r.code: r for r in service.regions(version)},
        "names": {node: views.actor_view(graph, node) for node in graph}, "suggested": suggested,
        "roles": found.roles.get(actor_id, ()), "own_measures": found.measures.get(actor_id, {}),
        "why": found.why.get(actor_id),
        "graph_texts": views.graph_texts(Texts(choose(request)), service.regions(version)), "pending": pending,
        **views.map_context(graph, found.measures, measure, views.recommendations(suggested), who.region,
                            focus=actor_id),
    }
    return render(request, "actor.html", context)


@router.get("/glosario")
@router.get("/glossary")
def glossary(request: Request) -> Response:
    """What every role, measure and figure means (the definitions the other pages show on tap or hover)."""
    return render(request, "glossary.html", {"sections": insights.glossary(choose(request)), "nav": "glossary",
                                             "twin": "/glosario.json"})


@router.get("/glosario.json")
def glossary_json(request: Request) -> Response:
    """The glossary as JSON, in the page's language: each term with its section, kind, code, name, definition."""
    lang = choose(request)
    return dressed(request, JSONResponse({"lang": lang, "terms": [
        {"section": section, "kind": term.kind, "code": term.code, "term": term.term, "definition": term.definition,
         "page": f"/glosario#{term.anchor}"} for section, terms in insights.glossary(lang) for term in terms]}))


@router.get("/compare")
def compare(request: Request, service: ServiceDep, regions: Annotated[list[str], Query()] = ()) -> Response:
    version = service.version()
    known = service.summaries(version)
    codes = [code for code in dict.fromkeys(part for item in regions for part in item.split(",")) if code in known]
    try:
        compared = {row.region: row for row in service.comparison(version)}
        pending = None
    except AnalysisPending as waiting:
        compared, pending = {}, waiting
    return render(request, "compare.html", {
        "all_regions": list(known.values()), "chosen": codes, "nav": "compare", "twin": "/api/v1/regions",
        "version": version, "pending": pending, **compare_context(known, compared, codes)})


@router.get("/import")
def import_form(request: Request) -> Response:
    return _import_page(request)


@router.post("/import")
def import_check(request: Request, service: ServiceDep, settings: SettingsDep, upload: Annotated[UploadFile, File()],
                 token: Annotated[str, Form()] = "", replace: Annotated[bool, Form()] = False,
                 mapping: Annotated[str, Form(max_length=4000)] = "") -> Response:
    """Step 1: check the token and the file, and show what loading it would change (and its warnings)."""
    store = service.store
    try:
        principal = web_import.authorise(token, settings)
        upload_id, dataset, problems = web_import.check(upload, principal, settings,
                                                        lambda: Known(store.regions(), store.indicators()), mapping)
        if upload_id is None or dataset is None:
            return _import_page(request, problems=problems, mapping=mapping, status_code=422)
        summary = _load(service, dataset, scope(principal), replace, dry_run=True)
    except web_import.Refused as refused:
        return _import_page(request, error=refused.key, detail=refused.text(choose(request)), mapping=mapping,
                            status_code=REFUSED[refused.key])
    return _import_page(request, dataset=dataset, summary=summary, upload_id=upload_id, replace=replace,
                        warnings=problems)


@router.post("/import/confirm")
def import_confirm(request: Request, service: ServiceDep, settings: SettingsDep, upload_id: Annotated[str, Form()],
                   replace: Annotated[bool, Form()] = False) -> Response:
    """Step 2: load the upload checked in step 1, if its token may still write all of it."""
    try:
        dataset, principal = web_import.staged(upload_id, settings)
        summary = _load(service, dataset, scope(principal), replace, dry_run=False, who=principal.id)
    except web_import.Refused as refused:
        return _import_page(request, error=refused.key, detail=refused.text(choose(request)),
                            status_code=REFUSED[refused.key])
    finally:
        web_import.discard(upload_id)
    return _import_page(request, summary=summary, done=True)


def _load(service: Service, dataset: Dataset, may_write: MayWrite | None, replace: bool, dry_run: bool,
          who: str = CLI) -> LoadSummary:
    """What loading ``dataset`` changes (applied unless ``dry_run``), refused if the token may not make every
    change: the store's one load path; the history says token ``who`` imported it."""
    try:
        summary = service.store.load(dataset, replace, may_write=may_write, dry_run=dry_run,
                                     origin=Origin("import", who))
    except OutOfScope as error:
        raise web_import.Refused("import_out_of_scope", str(error), error) from None
    if summary.changed and not dry_run:
        service.changed()
    return summary


PROBLEMS_PER_KIND = 10
"""Problems of one kind (same file, column and message) listed on the import page; then how many more."""


def _import_page(request: Request, status_code: int = 200, **state: Any) -> Response:
    context = {"twin": "/docs#/import", "nav": "import", "error": None, "detail": None, "problems": None,
               "warnings": [], "mapping": "",
               "dataset": None, "summary": None, "upload_id": None, "replace": False, "done": False, **state}
    if context["problems"]:
        context["shown_problems"], context["more_problems"] = first_of_each_kind(context["problems"],
                                                                                 PROBLEMS_PER_KIND)
    return render(request, "import.html", context, status_code=status_code)


@router.get("/embed/regions/{code}")
def embed_region(request: Request, code: str, service: ServiceDep, measure: str | None = None,
                 sectors: str | None = None) -> Response:
    version = service.version()
    where = service.region(version, code)
    if where is None:
        return not_found(request, embed=True)
    try:
        ready = service.prepared(version, code)
    except AnalysisPending as pending:
        shown = views.sectors_of(drawable_before_analysis(service.graph(version, code)), sectors)
        return _embed(request, service, version, where.name, f"/regions/{code}",
                      {"pending": pending, **views.map_context(shown, {}, measure, region=code)})
    drawn = service.part(version, code, "map")["map"]
    shown = views.sectors_of(ready.graph, sectors)
    # A map of communities stays one while the sectors asked for still hold too many actors to draw one by one.
    if (not sectors and measure in (None, MAP_MEASURE)) or (
            drawn["graph"]["kind"] == "communities" and views.opens_on_communities(shown)):
        return _embed(request, service, version, where.name, f"/regions/{code}", views.loaded_map(drawn))
    measures = insights.region_insights(ready.report).measures
    return _embed(request, service, version, where.name, f"/regions/{code}", views.map_context(
        shown, measures, measure, region=code, layout=ready.positions))


@router.get("/embed/actors/{actor_id}")
def embed_actor(request: Request, actor_id: str, service: ServiceDep, measure: str | None = None,
                sectors: str | None = None) -> Response:
    try:
        who = service.store.actor(actor_id)
    except NotFound:
        return not_found(request, embed=True)
    version = service.version()
    report, pending = _report(service, version, who.region)
    measures = insights.region_insights(report).measures if report else {}
    graph = views.sectors_of(views.ego(service.graph(version, None), actor_id), sectors)
    return _embed(request, service, version, who.name, f"/actors/{actor_id}",
                  {"pending": pending, **views.map_context(graph, measures, measure, region=who.region,
                                                           focus=actor_id)})


def _embed(request: Request, service: Service, version: int, title: str, page: str,
           map_context: dict[str, Any]) -> Response:
    """A map alone, for iframes."""
    context = {"title": title, "page": page, "vis": vis_network_url(), "tools": False,
               "graph_texts": views.graph_texts(Texts(choose(request)), service.regions(version)), **map_context}
    return render(request, "embed.html", context, embed=True)


def embed_address(request: Request, path: str, lang: str) -> str:
    """The address of an embed, signed for reading without a session when reads need a token."""
    settings: ApiSettings = request.app.state.settings
    query = {"lang": lang, **(embed_query(settings, path) if settings.read_token_required else {})}
    return f"{str(request.base_url).rstrip('/')}{path}?{urlencode(query)}"


def snippet(url: str, title: str) -> str:
    """The iframe code a region page offers to copy."""
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" height="480" '
            'loading="lazy"></iframe>')


def not_found(request: Request, embed: bool = False, region: str | None = None,
              guess: str | None = None) -> Response:
    """The not-found page; for a ``region`` code that names none, it says so, with a link to ``guess`` (the code the
    person most likely meant, if any)."""
    return render(request, "not_found.html", {"twin": "/api/v1", "embed": embed, "region": region, "guess": guess},
                  status_code=404, embed=embed)


async def error_page(request: Request, error: HTTPException) -> Response | None:
    """The not-found page for a browser (it accepts HTML) asking for an address that does not exist; None
    for anything else, which gets a problem document."""
    if error.status_code == 404 and "text/html" in request.headers.get("accept", ""):
        return not_found(request, embed=request.url.path.startswith("/embed/"))
    return None


@sign_in_router.get("/login")
def sign_in_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": safe_next(next), "failed": False, "twin": "/docs"})


@sign_in_router.post("/login")
def sign_in(request: Request, settings: SettingsDep, token: Annotated[str, Form()] = "",
            next: Annotated[str, Form()] = "/") -> Response:
    """A token of any role opens a session (a signed cookie); the token itself is never stored in the browser."""
    principal = TokenStore(settings.tokens).check(token.strip())
    if principal is None:
        return render(request, "login.html", {"next": safe_next(next), "failed": True, "twin": "/docs"},
                      status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, session_value(settings, principal), max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=secure_cookie(request))
    return response


@sign_in_router.post("/logout")
def sign_out() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def safe_next(target: str) -> str:
    """Where to go after signing in: a path of this site only (never another site's address)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def install_sign_in(app: FastAPI) -> None:
    """Pages that need a session send people to the sign-in form; an embed without a valid link says so."""

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _: SignInNeeded) -> Response:
        if request.url.path.startswith("/embed/"):
            return render(request, "embed_locked.html", {}, status_code=401, embed=True)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
