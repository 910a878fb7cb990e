"""Uploaded dataset files (a CSV set, a zip of one, an .xlsx workbook or a .json file), saved within the size
limit and validated like `ecograph validate`; shared by ``POST /api/v1/import`` and the web import."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from fastapi import UploadFile

from api.errors import ApiError
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
