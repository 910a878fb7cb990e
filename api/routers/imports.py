"""Import: a CSV set, a zip of one, an .xlsx workbook or a .json file, validated like `ecograph validate`
and loaded all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from api.deps import ServiceDep, SettingsDep, StoreDep, WriterDep, scope
from api.errors import Counted, language, problem
from api.routers.common import errors
from api.schemas import ImportProblem, ImportReport
from api.uploads import check_uploads
from ecograph.i18n import DEFAULT
from ecograph.model import TABLES
from ecograph.readers import Problem

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
                                            ".xlsx workbook with a sheet per table; or one .json file",
                                            json_schema_extra={"minItems": 1})],
    request: Request, store: StoreDep, service: ServiceDep, settings: SettingsDep, principal: WriterDep,
    replace: Annotated[bool, Query(description="also remove what the upload lacks, so the store equals it")] = False,
    dry_run: Annotated[bool, Query(description="validate and report what would change, without writing")] = False,
) -> Any:
    """Validates every row and reference first and reports **every** problem (422, nothing loaded), exactly as
    ``ecograph validate``; a valid upload is loaded in one transaction. Editors may import only changes to
    their regions' actors, ties and indicators."""
    with tempfile.TemporaryDirectory(prefix="ecograph-import-") as folder:
        dataset, problems = check_uploads(files, Path(folder), settings.max_upload_bytes)
    if problems or dataset is None:
        return problem(request, 422, Counted("api.import.problems", len(problems)),
                       problems=problem_rows(problems, language(request)),
                       errors=[{"field": f"{p.file}:{p.row}:{p.column}", "message": p} for p in problems[:100]])
    summary = store.load(dataset, replace, may_write=scope(principal), dry_run=dry_run)
    loaded = summary.changed and not dry_run
    version = summary.version
    if loaded:
        service.changed()
    tables = {table: {"added": summary.added[table], "updated": summary.updated[table],
                      "removed": summary.removed[table], "unchanged": summary.unchanged[table]} for table in TABLES}
    report = {"valid": True, "loaded": loaded, "dry_run": dry_run, "replace": replace, "dataset_version": version,
              "tables": tables, "problems": []}
    return JSONResponse(report, headers={"X-Dataset-Version": str(version)})
