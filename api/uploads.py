"""Uploaded dataset files (a CSV set, a zip of one, an .xlsx workbook, a .json, .graphml or .gexf file; or a map from
another tool in any of those: Kumu's workbook, CSV files or JSON, Gephi's node and edge tables), saved within the
size limit and validated like `ecograph validate`; shared by ``POST /api/v1/import`` and the web import."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from fastapi import UploadFile

from api.errors import ApiError, Message
from ecograph.formats.mapping import Mapping
from ecograph.formats.regions import Known
from ecograph.model import Dataset
from ecograph.readers import Checked, Problem, check_source

CHUNK = 1024 * 1024
SINGLE_FILES = {".xlsx", ".json", ".zip", ".graphml", ".gexf"}


def _safe_name(filename: str | None) -> str:
    name = Path(filename or "").name
    return re.sub(r"[^\w.\-]+", "_", name).strip("._") or "upload"


def _save(upload: UploadFile, target: Path, limit: int) -> int:
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise ApiError(413, Message("api.upload.too_large", limit=limit))
            out.write(chunk)
    return written


def _unzip(archive: Path, folder: Path, limit: int) -> None:
    """The CSV files of a zip (at any depth, by name), refusing archives that unpack to more than ``limit``."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = [m for m in opened.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")
                       and not Path(m.filename).name.startswith(".")]
            if sum(member.file_size for member in members) > limit:
                raise ApiError(413, Message("api.upload.zip_too_large", limit=limit))
            for member in members:
                name = _safe_name(member.filename)
                if (folder / name).exists():
                    raise ApiError(400, Message("api.upload.zip_duplicate", name=name))
                with opened.open(member) as source, (folder / name).open("wb") as target:
                    shutil.copyfileobj(source, target)
    except zipfile.BadZipFile:
        raise ApiError(400, Message("api.upload.bad_zip", name=archive.name)) from None


def check_uploads(files: list[UploadFile], workdir: Path, limit: int, mapping: Mapping | None = None,
                  known: Callable[[], Known] | None = None, memory: Path | None = None,
                  strict: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """The uploaded dataset (None when it has an error) and every problem found (see :func:`checked_uploads`)."""
    result = checked_uploads(files, workdir, limit, mapping, known, memory, strict)
    return result.dataset, result.problems


def checked_uploads(files: list[UploadFile], workdir: Path, limit: int, mapping: Mapping | None = None,
                    known: Callable[[], Known] | None = None, memory: Path | None = None,
                    strict: bool = False) -> Checked:
    """Save and validate an upload: with ``mapping`` (which columns hold which fields), maps from other tools
    read against the ``known`` regions of the store they go into, and mappings remembered in ``memory``.

    Without ``known``, a map from another tool is refused with a problem: its regions must be read against the
    store's, or loading it would overwrite them."""
    result = _checked(files, workdir, limit, mapping, known or Known.peru, memory, strict)
    if known is None and result.is_map:
        return Checked(None, [Problem.at(result.name, 0, "-", "problem.map_needs_store")], result.name, result.kind)
    return result


def _checked(files: list[UploadFile], workdir: Path, limit: int, mapping: Mapping | None,
             known: Callable[[], Known], memory: Path | None, strict: bool) -> Checked:
    names = [_safe_name(upload.filename) for upload in files]
    suffixes = {Path(name).suffix.lower() for name in names}
    if not files:
        raise ApiError(400, Message("api.upload.none"))
    if len(files) == 1 and suffixes <= SINGLE_FILES:
        target = workdir / names[0]
        _save(files[0], target, limit)
        if target.suffix.lower() == ".zip":
            folder = workdir / "csv"
            folder.mkdir()
            _unzip(target, folder, limit)
            return check_source(folder, strict, mapping, known, memory, name=names[0])
        return check_source(target, strict, mapping, known, memory)
    if suffixes != {".csv"}:
        raise ApiError(400, Message("api.upload.unsupported", names=", ".join(names)),
                       errors=[{"field": "body.files", "message": Message("api.upload.unsupported_field")}])
    if len(set(names)) != len(names):
        raise ApiError(400, Message("api.upload.duplicate"))
    folder = workdir / "csv"
    folder.mkdir()
    total = 0
    for upload, name in zip(files, names, strict=True):
        total += _save(upload, folder / name, limit - total)
    return check_source(folder, strict, mapping, known, memory, name=", ".join(sorted(names)))
