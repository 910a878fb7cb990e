"""The web pages: home, region dashboard, actor, compare, import and the embeds.

Include :data:`router` in the app of :func:`api.main.create_app` (the pages use its store, cache,
settings and tokens) and call :func:`mount_static` on it. Every page links its JSON twin under
``/api/v1``, speaks Spanish unless asked otherwise, and carries the security headers of
:mod:`visuals.render`.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from api import graphs
from api.deps import CacheDep, SettingsDep, StoreDep
from api.errors import ApiError
from api.routers.imports import check_changes
from api.routers.regions import latest, summaries
from api.tokens import Principal
from ecograph.model import NATIONAL, Dataset
from ecograph.stores import LoadSummary, NotFound, Store
from ecograph.stores.base import diff
from visuals import charts, importer, insights, views
from visuals.assets import mount_static, vis_network_url
from visuals.assets import router as assets_router
from visuals.i18n import Texts, choose
from visuals.render import render

__all__ = ["mount_static", "router"]

router = APIRouter(include_in_schema=False)
router.include_router(assets_router)
REFUSED = {"import_bad_token": 403, "import_not_writer": 403, "import_out_of_scope": 403, "import_unreadable": 400,
           "import_expired": 410}


@router.get("/")
def home(request: Request, store: StoreDep, cache: CacheDep) -> Response:
    version = store.version()
    compared = insights.comparison(cache, store, version)
    rows = [views.scored(summary, compared.get(code)) for code, summary in summaries(cache, store, version).items()]
    national = latest(store.indicators(NATIONAL)).get(NATIONAL)
    chart = charts.scatter([(row["code"], row["name"], row["internet"]["value"] if row["internet"] else None,
                             row["score"]) for row in rows], national.value if national else None)
    return render(request, "home.html", {"rows": rows, "chart": chart, "national": national, "nav": "home",
                                         "twin": "/api/v1/regions", "version": version})


@router.get("/regions/{code}")
def region(request: Request, code: str, store: StoreDep, cache: CacheDep, measure: str | None = None,
           remove: str | None = None) -> Response:
    version = store.version()
    summary = summaries(cache, store, version).get(code)
    if summary is None:
        return not_found(request)
    ready = graphs.prepared(cache, store, version, code)
    found = insights.region_insights(cache, store, version, code)
    names = {node: views.actor_view(ready.graph, node) for node in ready.graph}
    local = sorted((actor for actor in names.values() if actor.get("region") == code),
                   key=lambda actor: actor["name"].casefold())
    lang = choose(request)
    context = {
        "region": summary, "twin": f"/api/v1/regions/{code}", "version": version, "found": found, "names": names,
        "outside": ready.graph.number_of_nodes() - len(local), "ties": ready.graph.number_of_edges(),
        "local_actors": local, "vis": vis_network_url(), "graph_texts": views.graph_texts(Texts(lang), store),
        "snippet": snippet(f"{request.base_url}embed/regions/{code}?lang={lang}", summary["name"]),
        "removed": remove if remove in names else None,
        "what_if": insights.what_if(cache, store, version, code, remove) if remove in names else None,
        **views.findings_context(found),
        **views.map_context(ready.graph, found.measures, measure, views.recommendations(found.opportunities), code,
                            ready.positions),
    }
    return render(request, "region.html", context)


@router.get("/actors/{actor_id}")
def actor(request: Request, actor_id: str, store: StoreDep, cache: CacheDep, measure: str | None = None) -> Response:
    try:
        who = store.actor(actor_id)
    except NotFound:
        return not_found(request)
    version = store.version()
    suggested = insights.suggestions(cache, store, version, who)
    found = insights.region_insights(cache, store, version, who.region)
    graph = views.ego(graphs.graph(cache, store, version, None), actor_id, suggested)
    context = {
        "actor": who, "ties": store.collaborations(actor=actor_id), "twin": f"/api/v1/actors/{actor_id}",
        "version": version, "vis": vis_network_url(), "regions": {r.code: r for r in store.regions()},
        "names": {node: views.actor_view(graph, node) for node in graph}, "suggested": suggested,
        "roles": found.roles.get(actor_id, ()), "own_measures": found.measures.get(actor_id, {}),
        "graph_texts": views.graph_texts(Texts(choose(request)), store),
        **views.map_context(graph, found.measures, measure, views.recommendations(suggested), who.region,
                            focus=actor_id),
    }
    return render(request, "actor.html", context)


@router.get("/compare")
def compare(request: Request, store: StoreDep, cache: CacheDep,
            regions: Annotated[list[str], Query()] = ()) -> Response:
    version = store.version()
    known = summaries(cache, store, version)
    codes = [code for code in dict.fromkeys(part for item in regions for part in item.split(",")) if code in known]
    compared = insights.comparison(cache, store, version)
    columns = [views.scored(known[code], compared.get(code)) for code in codes]
    return render(request, "compare.html", {
        "all_regions": list(known.values()), "chosen": codes, "columns": columns, "nav": "compare",
        "figures": views.figure_rows([compared.get(code) for code in codes]), "twin": "/api/v1/regions",
        "version": version})


@router.get("/import")
def import_form(request: Request) -> Response:
    return _import_page(request)


@router.post("/import")
def import_check(request: Request, store: StoreDep, settings: SettingsDep, upload: Annotated[UploadFile, File()],
                 token: Annotated[str, Form()] = "", replace: Annotated[bool, Form()] = False) -> Response:
    """Step 1: check the token and the file, and show what loading it would change."""
    try:
        principal = importer.authorise(token, settings)
        upload_id, dataset, problems = importer.check(upload, principal, settings)
        if upload_id is None or dataset is None:
            return _import_page(request, problems=problems, status_code=422)
        summary = _changes(store, dataset, principal, replace)
    except importer.Refused as refused:
        return _import_page(request, error=refused.key, detail=refused.detail, status_code=REFUSED[refused.key])
    return _import_page(request, dataset=dataset, summary=summary, upload_id=upload_id, replace=replace)


@router.post("/import/confirm")
def import_confirm(request: Request, store: StoreDep, settings: SettingsDep, upload_id: Annotated[str, Form()],
                   replace: Annotated[bool, Form()] = False) -> Response:
    """Step 2: load the upload checked in step 1, if its token may still write all of it."""
    try:
        dataset, principal = importer.staged(upload_id, settings)
        summary = _changes(store, dataset, principal, replace, write=True)
    except importer.Refused as refused:
        return _import_page(request, error=refused.key, detail=refused.detail, status_code=REFUSED[refused.key])
    finally:
        importer.discard(upload_id)
    return _import_page(request, summary=summary, done=True)


def _changes(store: Store, dataset: Dataset, principal: Principal, replace: bool, write: bool = False) -> LoadSummary:
    """What loading ``dataset`` changes (applied when ``write``), refused if the token may not make every change."""
    current = store.dataset()
    changes, summary = diff(current, dataset, replace)
    try:
        check_changes(principal, current, dataset, changes)
    except ApiError as error:
        raise importer.Refused("import_out_of_scope", str(error.detail)) from None
    summary.version = store.apply(changes) if write and len(changes) else store.version()
    return summary


def _import_page(request: Request, status_code: int = 200, **state: object) -> Response:
    context = {"twin": "/docs#/import", "nav": "import", "error": None, "detail": None, "problems": None,
               "dataset": None, "summary": None, "upload_id": None, "replace": False, "done": False, **state}
    return render(request, "import.html", context, status_code=status_code)


@router.get("/embed/regions/{code}")
def embed_region(request: Request, code: str, store: StoreDep, cache: CacheDep, measure: str | None = None,
                 sectors: str | None = None) -> Response:
    version = store.version()
    summary = summaries(cache, store, version).get(code)
    if summary is None:
        return not_found(request, embed=True)
    ready = graphs.prepared(cache, store, version, code)
    measures = insights.region_insights(cache, store, version, code).measures
    return _embed(request, store, summary["name"], f"/regions/{code}", views.map_context(
        views.sectors_of(ready.graph, sectors), measures, measure, region=code, layout=ready.positions))


@router.get("/embed/actors/{actor_id}")
def embed_actor(request: Request, actor_id: str, store: StoreDep, cache: CacheDep, measure: str | None = None,
                sectors: str | None = None) -> Response:
    try:
        who = store.actor(actor_id)
    except NotFound:
        return not_found(request, embed=True)
    version = store.version()
    measures = insights.region_insights(cache, store, version, who.region).measures
    graph = views.sectors_of(views.ego(graphs.graph(cache, store, version, None), actor_id), sectors)
    return _embed(request, store, who.name, f"/actors/{actor_id}",
                  views.map_context(graph, measures, measure, region=who.region, focus=actor_id))


def _embed(request: Request, store: Store, title: str, page: str, map_context: dict[str, Any]) -> Response:
    """A map alone, for iframes."""
    context = {"title": title, "page": page, "vis": vis_network_url(), "tools": False,
               "graph_texts": views.graph_texts(Texts(choose(request)), store), **map_context}
    return render(request, "embed.html", context, embed=True)


def snippet(url: str, title: str) -> str:
    """The iframe code a region page offers to copy."""
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" height="480" '
            'loading="lazy"></iframe>')


def not_found(request: Request, embed: bool = False) -> Response:
    return render(request, "not_found.html", {"twin": "/api/v1", "embed": embed}, status_code=404, embed=embed)
