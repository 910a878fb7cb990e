"""Analysis of a region: the full report and its parts (gaps, opportunities, convening set), what-if
scenarios and the comparison of regions. Parameters as in the CLI; every result computed once per
dataset version and parameters."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import graphs
from api.deps import ServiceDep, VersionDep
from api.errors import ApiError, Message, language
from api.routers.common import (
    READ_ERRORS,
    CapabilityFilter,
    CodePath,
    SectorFilter,
    StatusFilter,
    errors,
    json_bytes,
    known,
)
from api.schemas import (
    PARTIAL_DATE,
    AnalysisAnswer,
    CompareAnswer,
    ConveneAnswer,
    GapsAnswer,
    OpportunitiesAnswer,
    WhatIfAnswer,
)
from ecograph.analysis import Options, RegionReport
from ecograph.analysis.output import about, csv_files, report_tables, xlsx_bytes
from ecograph.model import shown
from ecograph.service import Service

router = APIRouter(tags=["analysis"])
ANALYSIS_ERRORS = errors(*READ_ERRORS, 404)


def analysis_options(
    sector: SectorFilter = [],  # noqa: B006 - FastAPI copies defaults
    capability: CapabilityFilter = [],  # noqa: B006
    status: StatusFilter = [],  # noqa: B006
    since: Annotated[str | None, Query(pattern=PARTIAL_DATE, description="only ties still running on or after "
                                       "this date (YYYY, YYYY-MM or YYYY-MM-DD)", examples=["2020"])] = None,
    until: Annotated[str | None, Query(pattern=PARTIAL_DATE, description="only ties started on or before this "
                                       "date", examples=["2024-06"])] = None,
    as_of: Annotated[str | None, Query(pattern=PARTIAL_DATE, description="the region as of this date: its ties in "
                                       "force then and their actors (a tie without a start date counts from the "
                                       "beginning; the rule is stated in filters.as_of_rule)", examples=["2021"])]
    = None,
    top: Annotated[int, Query(ge=1, le=200, description="how many opportunities to list")] = 20,
    k: Annotated[int, Query(ge=1, le=50, description="size of the convening set")] = 5,
    steps: Annotated[int, Query(ge=1, le=3, description="reach of the convening set, in steps")] = 1,
) -> Any:
    """The analysis options, as `ecograph analyze` takes them."""
    return Options(sectors=tuple(sorted(set(sector))), capabilities=tuple(sorted(set(capability))),
                   statuses=tuple(sorted(set(status))), since=since, until=until, as_of=as_of, top=top, k=k,
                   steps=steps)


OptionsDep = Annotated[Options, Depends(analysis_options)]
FileLanguage = Annotated[Literal["es", "en"] | None, Query(
    description="the language of a file (format=xlsx or csv): its table names, labels and sentences; "
                "Accept-Language when left out (Spanish by default)")]


def filters(chosen: Options) -> dict[str, Any]:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(chosen).items()
            if value not in ((), None)}


def cached(request: Request, service: Service, key: tuple[Any, ...], build: Callable[[], Any]) -> Response:
    """The JSON bytes of ``build()``, serialised once per key (which holds the dataset version)."""
    return json_bytes(request, service, ("answer", service.store.url, *key), lambda: graphs.dumps(build()))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_FORMATS = {"xlsx": (XLSX, "xlsx"), "csv": ("application/zip", "zip")}


def analysis_file(report: RegionReport, format: str, lang: str, version: int, code: str, chosen: Options) -> bytes:
    """A report as an xlsx workbook or a zip of CSV files, named and labelled in ``lang``, carrying the dataset
    version and the options (as ``ecograph analyze --format xlsx|csv`` writes them)."""
    return table_file(report_tables(report, lang), about(lang, version, code, chosen), format, lang)


def table_file(tables: dict[str, pd.DataFrame], info: list[tuple[str, Any]], format: str, lang: str) -> bytes:
    """Tables as an xlsx workbook (a sheet each) or a zip of CSV files (one each), with the *about* rows ``info``."""
    if format == "xlsx":
        return xlsx_bytes(tables, lang, info)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(tables, lang, info).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def file_answer(request: Request, body: bytes, format: str, name: str, lang: str) -> Response:
    """A file to download: its media type, name, language, and an ETag that tells the languages apart."""
    media, suffix = FILE_FORMATS[format]
    headers = {**getattr(request.state, "etag_headers", {}), "Content-Language": lang, "Vary": "Accept-Language",
               "Content-Disposition": f'attachment; filename="{name}.{suffix}"'}
    if "ETag" in headers:  # the file's language is part of what it is
        headers["ETag"] = headers["ETag"][:-1] + f'-{lang}"'
    return Response(body, media_type=media, headers=headers)


@router.get("/regions/{code}/analysis", response_model=AnalysisAnswer, summary="A region's full analysis",
            responses={200: {"description": "The report as JSON; or, with format=xlsx or csv, as a file to download",
                             "content": {XLSX: {"schema": {"type": "string", "format": "binary"}},
                                         "application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                       **ANALYSIS_ERRORS})
def region_analysis(request: Request, code: CodePath, service: ServiceDep, version: VersionDep,
                    chosen: OptionsDep, format: Annotated[Literal["json", "xlsx", "csv"], Query(
                        description="json; or the report as files for a spreadsheet: xlsx (a workbook, a sheet per "
                                    "table) or csv (a zip of one CSV file per table)")] = "json",
                    lang: FileLanguage = None) -> Response:
    """Structure (sizes, density, components, sector mixing, E-I index ...), every actor's measures, the gaps
    (each with its severity and an explanation in Spanish and English), the recommended new ties and the
    convening set. The filters keep only some actors (sector, capability) or ties (status, period).

    ``format=xlsx`` gives the same analysis as an xlsx workbook, ``format=csv`` as a zip of CSV files, as
    ``ecograph analyze --format xlsx|csv`` writes them: the summary (every figure, labelled), the per-actor
    measures, the gaps, the opportunities and the convening set, with an *about* sheet (in the CSV files, ``#``
    rows at the top) giving the dataset version and the options used. Table names, figure labels and the gaps'
    and opportunities' sentences are in the language ``lang``, else that of ``Accept-Language`` (Spanish by
    default); no cell is one a spreadsheet would run as a formula."""
    known(service, version, code)
    if format != "json":
        lang = lang or language(request)
        body = service.cache.get(("analysis-file", service.store.url, version, code, chosen, format, lang),
                                 lambda: analysis_file(service.report(version, code, chosen), format, lang, version,
                                                       code, chosen))
        return file_answer(request, body, format, f"ecograph-v{version}-{code}-analysis", lang)

    def build() -> dict[str, Any]:
        found = service.report(version, code, chosen)
        return {**found.model_dump(mode="json"), "dataset_version": version}

    return cached(request, service, ("analysis", version, code, chosen), build)


@router.get("/regions/{code}/gaps", response_model=GapsAnswer, responses=ANALYSIS_ERRORS,
            summary="A region's gaps")
def region_gaps(request: Request, code: CodePath, service: ServiceDep, version: VersionDep,
                chosen: OptionsDep) -> Response:
    """What the region's ecosystem lacks: missing or weak sectors and sector pairs, capabilities and target
    groups nobody serves, fragmentation, actors everything depends on; most severe first."""
    known(service, version, code)
    return cached(request, service, ("gaps", version, code, chosen), lambda: {
        "dataset_version": version, "region": code, "filters": filters(chosen),
        "gaps": [gap.model_dump(mode="json") for gap in service.report(version, code, chosen).gaps]})


@router.get("/regions/{code}/opportunities", response_model=OpportunitiesAnswer, responses=ANALYSIS_ERRORS,
            summary="A region's bridging opportunities")
def region_opportunities(request: Request, code: CodePath, service: ServiceDep, version: VersionDep,
                         chosen: OptionsDep) -> Response:
    """New collaborations worth proposing, best first (``top`` of them), each with its score, its parts
    (feasibility, impact, complementarity) and its reasons."""
    known(service, version, code)
    return cached(request, service, ("opportunities", version, code, chosen), lambda: {
        "dataset_version": version, "region": code, "filters": filters(chosen),
        "opportunities": [item.model_dump(mode="json")
                          for item in service.report(version, code, chosen).opportunities]})


@router.get("/regions/{code}/convene", response_model=ConveneAnswer, responses=ANALYSIS_ERRORS,
            summary="Who to invite to a regional coordination table")
def region_convene(request: Request, code: CodePath, service: ServiceDep, version: VersionDep,
                   chosen: OptionsDep) -> Response:
    """The ``k`` actors that together reach most of the region within ``steps`` steps, the sectors they
    cover, and the actors whose loss would fragment the region most."""
    known(service, version, code)
    return cached(request, service, ("convene", version, code, chosen), lambda: {
        "dataset_version": version, "region": code, "filters": filters(chosen),
        "convening": service.report(version, code, chosen).convening.model_dump(mode="json")})


def _pairs(values: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        ends = [end.strip() for end in value.split(",")]
        if len(ends) != 2 or not all(ends):
            raise ApiError(422, Message("api.what_if.not_a_pair", value=shown(value)),
                           errors=[{"field": "query.add", "message": Message("api.what_if.pair_field")}])
        pairs.append((ends[0], ends[1]))
    return tuple(sorted(set(pairs)))


@router.get("/regions/{code}/what-if", response_model=WhatIfAnswer, responses=ANALYSIS_ERRORS,
            summary="What if actors left, or new ties were made?")
def region_what_if(
    request: Request, code: CodePath, service: ServiceDep, version: VersionDep, chosen: OptionsDep,
    remove: Annotated[list[str], Query(max_length=50, description="an actor that leaves (repeat for several)",
                                       examples=[["gore-cajamarca"]])] = [],  # noqa: B006
    add: Annotated[list[str], Query(max_length=50, description="a new tie, as SOURCE,TARGET (repeat for several)",
                                    examples=[["unc,camara-cajamarca"]])] = [],  # noqa: B006
) -> Response:
    """The region's main figures (components, fragmentation, E-I index, reach of the convening set) before
    and after removing actors and adding ties."""
    known(service, version, code)
    pairs, removed = _pairs(add), tuple(sorted(set(remove)))

    def build() -> dict[str, Any]:
        try:
            found = service.what_if(version, code, chosen, removed, pairs)
        except KeyError as error:  # convene.UnknownActor: an actor the region's graph lacks
            reason = error if callable(getattr(error, "text", None)) else str(error.args[0])
            actor = getattr(error, "actor", None)
            removing = actor in removed if actor is not None else any(a in str(error) for a in removed)
            raise ApiError(422, Message("api.what_if.unknown_actor", reason=reason),
                           errors=[{"field": "query.remove" if removing else "query.add", "message": reason}]) from None
        return {**found.model_dump(mode="json"), "dataset_version": version, "region": code}

    return cached(request, service, ("what-if", version, code, chosen, removed, pairs), build)


@router.get("/compare", response_model=CompareAnswer, summary="Compare regions",
            responses={200: {"description": "The table as JSON; or, with format=xlsx or csv, as a file to download",
                             "content": {XLSX: {"schema": {"type": "string", "format": "binary"}},
                                         "application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                       **errors(*READ_ERRORS, 404)})
def compare(request: Request, service: ServiceDep, version: VersionDep, chosen: OptionsDep,
            regions: Annotated[list[str], Query(description="region codes (repeat, or separate with commas); "
                                                "all regions when left out", examples=[["06,08"]])] = [],  # noqa: B006
            format: Annotated[Literal["json", "xlsx", "csv"], Query(
                description="json; or the table as a file for a spreadsheet: xlsx (a workbook) or csv (a zip holding "
                            "one CSV file)")] = "json", lang: FileLanguage = None) -> Response:
    """One row per region: size, density, fragmentation, sector coverage, cross-sector share, ties to national
    actors, gaps by severity, internet access and the ecosystem score (0-100), best score first.

    ``format=xlsx`` or ``csv`` gives the same table as a file (as ``ecograph compare --format xlsx|csv``), with
    an *about* sheet or ``#`` rows naming the dataset version, the regions and the options, in the language
    ``lang``, else that of ``Accept-Language``."""
    codes = tuple(sorted({code.strip() for item in regions for code in item.split(",") if code.strip()}))
    for code in codes:
        known(service, version, code, "query.regions")
    if format != "json":
        lang = lang or language(request)
        body = service.cache.get(("compare-file", service.store.url, version, codes, chosen, format, lang), lambda: (
            table_file({"comparison": pd.DataFrame([row.model_dump() for row in service.comparison(
                version, codes, chosen)])}, about(lang, version, options=chosen, regions=codes), format, lang)))
        return file_answer(request, body, format, f"ecograph-v{version}-comparison", lang)

    def build() -> dict[str, Any]:
        rows = service.comparison(version, codes, chosen)
        return {"dataset_version": version, "regions": [row.model_dump(mode="json") for row in rows]}

    return cached(request, service, ("compare", version, codes, chosen), build)
