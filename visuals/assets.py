"""Static files: the pages' own CSS and JS, and vis-network, served from this server (never from a CDN).

vis-network is served straight from the copy inside the installed pyvis package (MIT/Apache-2.0,
its licence header kept in the file), so it is always the build pyvis was made for and nothing
is vendored by hand. It is sent gzipped when the browser accepts it (470 KB → about 130 KB) and
cached for a year under an address that names its version.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path

import pyvis
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
PYVIS_LIB = Path(pyvis.__file__).parent / "lib"

router = APIRouter(include_in_schema=False)


@cache
def vis_network() -> tuple[str, bytes, bytes]:
    """(version, script, gzipped script) of the newest vis-network that pyvis ships."""
    folders = sorted(PYVIS_LIB.glob("vis-*/vis-network.min.js"),
                     key=lambda p: tuple(int(part) for part in p.parent.name[4:].split(".")))
    if not folders:
        raise RuntimeError(f"no vis-network in {PYVIS_LIB}; reinstall pyvis")
    script = folders[-1].read_bytes()
    return folders[-1].parent.name[4:], script, gzip.compress(script, compresslevel=9, mtime=0)


@cache
def asset(name: str) -> str:
    """The address of a file of ``visuals/static``, naming its content so browsers never keep a stale copy."""
    return f"/static/{name}?v={hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]}"


def vis_network_url() -> str:
    return f"/vendor/vis-network-{vis_network()[0]}.min.js"


@router.get("/vendor/vis-network-{version}.min.js")
def vis_network_script(version: str, request: Request) -> Response:
    current, script, packed = vis_network()
    if version != current:
        return Response(status_code=404)
    headers = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding",
               "X-Content-Type-Options": "nosniff"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(packed, media_type="text/javascript", headers={**headers, "Content-Encoding": "gzip"})
    return Response(script, media_type="text/javascript", headers=headers)


def mount_static(app: FastAPI) -> None:
    """Serve ``visuals/static`` at ``/static``."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
