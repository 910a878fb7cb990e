"""Rendering pages: the Jinja environment (autoescape on), the language of a request and the security headers.

Every page is sent with a Content-Security-Policy that allows scripts, styles and everything else
only from this server: no inline script runs, so even text that escaped escaping could not
execute. Data reaches the scripts as ``<script type="application/json">`` blocks, written with
Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&`` and ``'``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import Response

from visuals import i18n
from visuals.assets import asset
from visuals.network import SECTOR_COLOURS
from visuals.settings import PageSettings
from visuals.views import provenance

TEMPLATES = Path(__file__).parent / "templates"
LANG_COOKIE_AGE = 365 * 24 * 3600
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'self'; "
          "frame-ancestors {ancestors}")
SOURCE_LIST = re.compile(r"^[\w\s'*:/.\-]*$")
WEB_ADDRESS = re.compile(r"^https?://\S+$")

templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
    undefined=jinja2.StrictUndefined))
templates.env.globals["asset"] = asset
templates.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
# Only http(s) addresses become links: a "javascript:" evidence cell stays plain text.
templates.env.tests["web_address"] = lambda value: bool(WEB_ADDRESS.match(str(value or "")))
templates.env.filters["host"] = lambda address: urlsplit(address).hostname or address


def compile_templates() -> None:
    """Compile every template now (a tenth of a second), so a server's first page does not pay for it."""
    for name in templates.env.list_templates():
        templates.env.get_template(name)


def embed_sites() -> list[str] | None:
    """The sites the operator lets frame embeds (``ECOGRAPH_EMBED_FRAME_ANCESTORS``), or None: any site may.
    ``*`` in the list also means any site."""
    value = PageSettings().embed_frame_ancestors.strip()
    if not SOURCE_LIST.match(value):
        raise ValueError(f"ECOGRAPH_EMBED_FRAME_ANCESTORS={value!r} is not a CSP source list; "
                         "write origins separated by spaces, e.g. https://www.example.gob.pe")
    sites = value.split()
    return None if not sites or "*" in sites else sites


templates.env.globals["embed_sites"] = embed_sites  # the region page's embed box says who may frame the map


def frame_ancestors(embed: bool) -> str:
    """Who may frame a page: this site only; an embed, any site unless the embed setting names some (and then
    those and this site)."""
    if not embed:
        return "'self'"
    sites = embed_sites()
    return "*" if sites is None else " ".join(dict.fromkeys(["'self'", *sites]))


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200,
           embed: bool = False) -> Response:
    """``template`` rendered in the request's language, with the security headers every page carries."""
    lang = i18n.choose(request)
    texts = i18n.Texts(lang)
    response = templates.TemplateResponse(request, template, status_code=status_code, context={
        "t": texts, "lang": lang, "colours": SECTOR_COLOURS, "nav": None,
        "provenance": lambda value: provenance(value, texts),
        "switch_url": switch_url(request, texts.other), **context})
    return dressed(request, response, embed)


def dressed(request: Request, response: Response, embed: bool = False) -> Response:
    """``response`` (a page) with the security headers every page carries, and the language cookie when the
    request chose a language."""
    lang = i18n.choose(request)
    response.headers["Content-Security-Policy"] = POLICY.format(ancestors=frame_ancestors(embed))
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = ", ".join(filter(None, (response.headers.get("Vary"), "Accept-Language, Cookie")))
    if request.query_params.get("lang") in i18n.LANGUAGES and not embed:
        response.set_cookie(i18n.COOKIE, lang, max_age=LANG_COOKIE_AGE, samesite="lax", httponly=True)
    return response


def switch_url(request: Request, lang: str) -> str:
    """This page's address in the other language."""
    query = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    return f"{request.url.path}?{urlencode([*query, ('lang', lang)])}"
