"""Import: a CSV set, a zip of one, an .xlsx workbook or a .json file, validated like `ecograph validate`
and loaded all or nothing."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, StoreDep, WriterDep
from api.errors import ApiError, problem
from api.routers.common import errors
from api.schemas import ImportProblem, ImportReport
from api.tokens import Principal
from ecograph.model import NATIONAL, TABLES, Dataset
from ecograph.readers import Problem, check_dataset
from ecograph.stores.base import Changes, diff

router = APIRouter(tags=["import"])
CHUNK = 1024 * 1024


def _safe_name(filename: str | None) -> str:
    name = Path(filename or "").name
    return re.sub(r"[^\w.\-]+", "_", name).strip("._") or "upload"


def _save(upload: UploadFile, target: Path, limit: int) -> int:
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise ApiError(413, f"the upload is larger than {limit} bytes; split it or raise "
                               "ECOGRAPH_MAX_UPLOAD_BYTES")
            out.write(chunk)
    return written


def _unzip(archive: Path, folder: Path, limit: int) -> None:
    """The CSV files of a zip (at any depth, by name), refusing archives that unpack to more than ``limit``."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = [m for m in opened.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")
                       and not Path(m.filename).name.startswith(".")]
            if sum(member.file_size for member in members) > limit:
                raise ApiError(413, f"the zip unpacks to more than {limit} bytes")
            for member in members:
                name = _safe_name(member.filename)
                if (folder / name).exists():
                    raise ApiError(400, f"the zip holds two files named {name!r}; keep one")
                with opened.open(member) as source, (folder / name).open("wb") as target:
                    shutil.copyfileobj(source, target)
    except zipfile.BadZipFile:
        raise ApiError(400, f"{archive.name!r} is not a readable zip file") from None


def check_uploads(files: list[UploadFile], workdir: Path, limit: int) -> tuple[Dataset | None, list[Problem]]:
    names = [_safe_name(upload.filename) for upload in files]
    suffixes = {Path(name).suffix.lower() for name in names}
    if not files:
        raise ApiError(400, "no file uploaded; send the dataset as multipart field 'files'")
    if len(files) == 1 and suffixes <= {".xlsx", ".json", ".zip"}:
        target = workdir / names[0]
        _save(files[0], target, limit)
        if target.suffix.lower() == ".zip":
            folder = workdir / "csv"
            folder.mkdir()
            _unzip(target, folder, limit)
            return check_dataset(folder)
        return check_dataset(target)
    if suffixes != {".csv"}:
        raise ApiError(400, "upload either CSV files (actors.csv, collaborations.csv and optionally regions.csv, "
                       "indicators.csv; or a zip of them), one .xlsx workbook or one .json file; got "
                       + ", ".join(repr(name) for name in names),
                       errors=[{"field": "body.files", "message": "unsupported combination of files"}])
    if len(set(names)) != len(names):
        raise ApiError(400, "two uploaded files have the same name; send each table once")
    folder = workdir / "csv"
    folder.mkdir()
    total = 0
    for upload, name in zip(files, names, strict=True):
        total += _save(upload, folder / name, limit - total)
    return check_dataset(folder)


def problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "row": p.row, "column": p.column, "message": p.message, "text": str(p)}
            for p in problems]


def check_changes(principal: Principal, current: Dataset, incoming: Dataset, changes: Changes) -> None:
    """403 unless an editor's import changes only its regions' records (the regions table itself: admins)."""
    if principal.role == "admin":
        return
    refused: list[str] = []
    homes = {actor.id: actor.region for actor in current.actors} | {a.id: a.region for a in incoming.actors}
    old_actor = {actor.id: actor for actor in current.actors}
    old_tie = {tie.id: tie for tie in current.collaborations}
    if changes.upserts["regions"] or changes.deletes["regions"]:
        refused.append("regions (only an admin may change the regions table)")
    for indicator in changes.upserts["indicators"]:
        if not principal.may_write(None if indicator.region == NATIONAL else indicator.region):  # type: ignore[attr-defined]
            refused.append(f"indicator {indicator.key}")
    refused += [f"indicator {key}" for key in changes.deletes["indicators"]
                if not principal.may_write(key.split("|")[0])]
    for actor in changes.upserts["actors"]:
        before = old_actor.get(actor.key)
        if not principal.may_write(actor.region) or (before and not principal.may_write(before.region)):  # type: ignore[attr-defined]
            refused.append(f"actor {actor.key}")
    refused += [f"actor {key}" for key in changes.deletes["actors"] if not principal.may_write(homes.get(key))]
    for tie in [*changes.upserts["collaborations"], *(old_tie[key] for key in changes.deletes["collaborations"])]:
        if not any(principal.may_write(homes.get(end)) for end in (tie.source, tie.target)):  # type: ignore[attr-defined]
            refused.append(f"collaboration {tie.key}")
    if refused:
        shown = ", ".join(refused[:10]) + (f" and {len(refused) - 10} more" if len(refused) > 10 else "")
        raise ApiError(403, f"this editor token may write only in regions {', '.join(sorted(principal.regions))}; "
                       f"the import would change {shown}. Nothing was loaded.")


@router.post("/import", response_model=ImportReport, summary="Import a dataset (all or nothing)",
             responses={422: {"model": ImportProblem, "description": "The dataset has problems; nothing was "
                              "loaded. problems lists every one, as `ecograph validate` does"},
                        **errors(400, 401, 403, 409, 413)})
def import_dataset(
    files: Annotated[list[UploadFile], File(description="actors.csv, collaborations.csv, regions.csv and "
                                            "indicators.csv (Spanish names work too); or a .zip of them; or one "
                                            ".xlsx workbook with a sheet per table; or one .json file",
                                            json_schema_extra={"minItems": 1})],
    request: Request, store: StoreDep, settings: SettingsDep, principal: WriterDep,
    replace: Annotated[bool, Query(description="also remove what the upload lacks, so the store equals it")] = False,
    dry_run: Annotated[bool, Query(description="validate and report what would change, without writing")] = False,
) -> Any:
    """Validates every row and reference first and reports **every** problem (422, nothing loaded), exactly as
    ``ecograph validate``; a valid upload is loaded in one transaction. Editors may import only changes to
    their regions' actors, ties and indicators."""
    with tempfile.TemporaryDirectory(prefix="ecograph-import-") as folder:
        dataset, problems = check_uploads(files, Path(folder), settings.max_upload_bytes)
    if problems or dataset is None:
        return problem(request, 422, f"{len(problems)} problem(s); nothing was loaded.",
                       problems=problem_rows(problems),
                       errors=[{"field": f"{p.file}:{p.row}:{p.column}", "message": p.message} for p in problems[:100]])
    current = store.dataset()
    changes, summary = diff(current, dataset, replace)
    check_changes(principal, current, dataset, changes)
    loaded = bool(len(changes)) and not dry_run
    version = store.apply(changes) if loaded else store.version()
    tables = {table: {"added": summary.added[table], "updated": summary.updated[table],
                      "removed": summary.removed[table], "unchanged": summary.unchanged[table]} for table in TABLES}
    report = {"valid": True, "loaded": loaded, "dry_run": dry_run, "replace": replace, "dataset_version": version,
              "tables": tables, "problems": []}
    return JSONResponse(report, headers={"X-Dataset-Version": str(version)})
