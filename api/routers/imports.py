"""Import: a CSV set, a zip of one, an .xlsx workbook, a .json, .graphml or .gexf file, or a map from another tool
(Kumu, Gephi), validated like `ecograph validate` and loaded all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from api.deps import ServiceDep, SettingsDep, StoreDep, WriterDep, scope
from api.errors import ApiError, Counted, language, problem
from api.routers.common import errors
from api.schemas import ImportProblem, ImportReport
from api.uploads import checked_uploads
from ecograph.formats.mapping import Mapping, memory_path
from ecograph.formats.regions import Known
from ecograph.i18n import DEFAULT
from ecograph.model import TABLES, Invalid
from ecograph.readers import Problem
from ecograph.stores.history import Origin

router = APIRouter(tags=["import"])
CHUNK = 1024 * 1024


def problem_rows(problems: list[Problem], lang: str = DEFAULT) -> list[dict[str, Any]]:
    """Each problem of a dataset, its message and line (as `ecograph validate` prints it) in ``lang``."""
    return [{"file": p.file, "row": p.row, "column": p.column, "message": p.text(lang), "text": p.line(lang)}
            for p in problems]


@router.post("/import", response_model=ImportReport, summary="Import a dataset (all or nothing)",
             responses={422: {"model": ImportProblem, "description": "The dataset has problems; nothing was "
                              "loaded. problems lists every one, as `ecograph validate` does"},
                        **errors(400, 401, 403, 409, 413)})
def import_dataset(
    files: Annotated[list[UploadFile], File(description="actors.csv, collaborations.csv, regions.csv and "
                                            "indicators.csv (Spanish names work too); or a .zip of them; or one "
                                            ".xlsx workbook with a sheet per table; or one .json file; or one "
                                            ".graphml or .gexf file; or a Kumu map (its workbook, its JSON, or "
                                            "elements.csv and connections.csv); or Gephi's node and edge tables",
                                            json_schema_extra={"minItems": 1})],
    request: Request, store: StoreDep, service: ServiceDep, settings: SettingsDep, principal: WriterDep,
    replace: Annotated[bool, Query(description="also remove what the upload lacks, so the store equals it (for a "
                                   "map from another tool: its actors and ties)")] = False,
    dry_run: Annotated[bool, Query(description="validate and report what would change, without writing")] = False,
    strict: Annotated[bool, Query(description="treat warnings (an unknown column, a Kumu type read as a default) as "
                                  "errors, as `ecograph load --strict` does")] = False,
    map: Annotated[list[str], Query(description="FIELD=COLUMN: read this column as this field (repeat for several; "
                                    "collaborations.type=Relación names the table). Remembered for the next upload "
                                    "of the same name and columns", examples=[["sector=Category"]])] = [],  # noqa: B006
) -> Any:
    """Validates every row and reference first and reports **every** problem (422, nothing loaded), exactly as
    ``ecograph validate``; a valid upload is loaded in one transaction, its warnings listed in ``problems`` (with
    ``strict``, a warning is an error). Editors may import only changes to their regions' actors, ties and
    indicators.

    Maps from other tools (Kumu, Gephi, yEd, networkx GraphML or GEXF) are read against the store's regions
    (written by code or name), and keep the store's regions and indicators. ``map`` says which column holds which
    field when the headers do not; a mapping that makes an upload valid is remembered (in the server's
    ``mappings.json``, see ``ecograph.formats.mapping``) and used again, and said so in ``mapping``, for the next
    upload of the same name and columns."""
    try:
        mapping = Mapping.parse(map)
    except Invalid as error:
        raise ApiError(422, error, errors=[{"field": "query.map", "message": error}]) from None

    def known() -> Known:
        return Known(store.regions(), store.indicators())

    with tempfile.TemporaryDirectory(prefix="ecograph-import-") as folder:
        result = checked_uploads(files, Path(folder), settings.max_upload_bytes, mapping, known, memory_path(),
                                 strict)
    dataset, problems = result.dataset, result.problems
    if dataset is None:
        return problem(request, 422, Counted("api.import.problems", len(problems)),
                       problems=problem_rows(problems, language(request)),
                       errors=[{"field": f"{p.file}:{p.row}:{p.column}", "message": p} for p in problems[:100]])
    summary = store.load(dataset, replace, may_write=scope(principal), dry_run=dry_run,
                         origin=Origin("import", principal.id))
    loaded = summary.changed and not dry_run
    version = summary.version
    if loaded:
        service.changed()
    tables = {table: {"added": summary.added[table], "updated": summary.updated[table],
                      "removed": summary.removed[table], "unchanged": summary.unchanged[table]} for table in TABLES}
    report = {"valid": True, "loaded": loaded, "dry_run": dry_run, "replace": replace, "dataset_version": version,
              "tables": tables, "problems": problem_rows(problems, language(request)),
              "mapping": result.mapping.specs(), "mapping_recalled": result.recalled}
    return JSONResponse(report, headers={"X-Dataset-Version": str(version)})
