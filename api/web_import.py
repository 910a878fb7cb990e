"""Web imports in two steps: an upload is checked and kept aside, and only loaded once the person confirms.

Uploads are read and validated exactly as ``POST /api/v1/import`` does (same formats, size limit,
and the store's one load path with the editor's scope), with the same API tokens. A valid upload is
kept, as a dataset JSON file and the token's public id and scope, under an unguessable id in the
system's temporary folder, and forgotten after :data:`EXPIRY` seconds. Confirming needs that id, which only the token's
holder ever sees; the token itself is never stored or sent back.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import UploadFile

from api.errors import ApiError
from api.settings import ApiSettings
from api.tokens import Principal, TokenStore
from api.uploads import check_uploads
from ecograph.formats.mapping import Mapping, memory_path
from ecograph.formats.regions import Known
from ecograph.i18n import DEFAULT, in_words
from ecograph.model import Dataset, Invalid
from ecograph.readers import Problem, read_dataset
from ecograph.writers import write_json

STAGING = Path(tempfile.gettempdir()) / "ecograph-imports"
EXPIRY = 3600
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


class Refused(Exception):
    """The import cannot go on: ``key`` names the page text that says why, ``detail`` adds the API's words (in
    Spanish; :meth:`text` says them in any language)."""

    def __init__(self, key: str, detail: str = "", message: object = None) -> None:
        super().__init__(key)
        self.key, self.detail, self.message = key, detail, message

    def text(self, lang: str = DEFAULT) -> str:
        """The API's words in ``lang`` (``detail`` when they came as plain text)."""
        return str(in_words(self.message, lang)) if self.message is not None else self.detail


def authorise(token: str, settings: ApiSettings) -> Principal:
    """The writer behind ``token`` (an admin or editor API token)."""
    principal = TokenStore(settings.tokens).check(token.strip())
    if principal is None:
        raise Refused("import_bad_token")
    if not principal.writes:
        raise Refused("import_not_writer")
    return principal


def check(upload: UploadFile, principal: Principal, settings: ApiSettings, known: Callable[[], Known],
          mapping: str = "") -> tuple[str | None, Dataset | None, list[Problem]]:
    """Validate an upload and keep it aside when valid: its id and dataset (None when invalid), and its problems
    (only warnings when valid). Maps from other tools are read against the ``known`` regions of the store, with
    ``mapping`` (``FIELD=COLUMN`` lines) and the mappings remembered for the same file, as the API import does."""
    try:
        columns = Mapping.parse(line for line in mapping.splitlines() if line.strip())
    except Invalid as error:
        raise Refused("import_bad_mapping", str(error), error) from None
    with tempfile.TemporaryDirectory(prefix="ecograph-upload-") as work:
        try:
            dataset, problems = check_uploads([upload], Path(work), settings.max_upload_bytes, columns, known,
                                              memory_path())
        except ApiError as error:
            raise Refused("import_unreadable", str(error.detail), error.message) from None
    if dataset is None:
        return None, None, problems
    _forget_expired()
    upload_id = secrets.token_urlsafe(24)
    STAGING.mkdir(mode=0o700, exist_ok=True)
    folder = STAGING / upload_id
    folder.mkdir(mode=0o700)
    write_json(dataset, folder / "dataset.json")
    who = {"id": principal.id, "role": principal.role, "regions": sorted(principal.regions), "name": principal.name}
    (folder / "principal.json").write_text(json.dumps(who))
    return upload_id, dataset, problems


def staged(upload_id: str, settings: ApiSettings) -> tuple[Dataset, Principal]:
    """A checked upload and who checked it; refused when gone, expired, or its token revoked since."""
    folder = STAGING / upload_id
    if not UPLOAD_ID.match(upload_id) or not (folder / "principal.json").is_file() \
            or time.time() - folder.stat().st_mtime > EXPIRY:
        raise Refused("import_expired")
    who = json.loads((folder / "principal.json").read_text())
    if not any(token.id == who["id"] and token.revoked is None for token in TokenStore(settings.tokens).list()):
        raise Refused("import_bad_token")
    return read_dataset(folder / "dataset.json"), Principal(who["id"], who["role"], frozenset(who["regions"]),
                                                            who["name"])


def discard(upload_id: str) -> None:
    if UPLOAD_ID.match(upload_id):
        shutil.rmtree(STAGING / upload_id, ignore_errors=True)


def _forget_expired() -> None:
    for folder in STAGING.glob("*"):
        if time.time() - folder.stat().st_mtime > EXPIRY:
            shutil.rmtree(folder, ignore_errors=True)
