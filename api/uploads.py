"""Uploaded dataset files (a CSV set, a zip of one, an .xlsx workbook or a .json file), saved within the size
limit and validated like `ecograph validate`; shared by ``POST /api/v1/import`` and the web import."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from fastapi import UploadFile

from api.errors import ApiError, Message
from ecograph.model import Dataset
from ecograph.readers import Problem, check_dataset

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


def check_uploads(files: list[UploadFile], workdir: Path, limit: int) -> tuple[Dataset | None, list[Problem]]:
    names = [_safe_name(upload.filename) for upload in files]
    suffixes = {Path(name).suffix.lower() for name in names}
    if not files:
        raise ApiError(400, Message("api.upload.none"))
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
        raise ApiError(400, Message("api.upload.unsupported", names=", ".join(names)),
                       errors=[{"field": "body.files", "message": Message("api.upload.unsupported_field")}])
    if len(set(names)) != len(names):
        raise ApiError(400, Message("api.upload.duplicate"))
    folder = workdir / "csv"
    folder.mkdir()
    total = 0
    for upload, name in zip(files, names, strict=True):
        total += _save(upload, folder / name, limit - total)
    return check_dataset(folder)
