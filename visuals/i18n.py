"""The language of a web request; the texts themselves are the message catalogs of :mod:`ecograph.i18n`.

Spanish is the default. A request picks its language with ``?lang=``, then the ``lang`` cookie
(set when someone uses the switch), then ``Accept-Language``. Page texts are in the ``web``
domain, the labels of every controlled value (sectors, actor types, capabilities ...) in the
``labels`` domain, so no page ever shows a raw code.
"""

from __future__ import annotations

from starlette.requests import Request

from ecograph.i18n import DEFAULT, LANGUAGES, Texts

__all__ = ["COOKIE", "DEFAULT", "LANGUAGES", "Texts", "choose", "from_accept_language"]

COOKIE = "lang"


def choose(request: Request) -> str:
    """The language of ``request``: ``?lang=``, then the ``lang`` cookie, then Accept-Language, then Spanish."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return from_accept_language(request.headers.get("accept-language", ""))


def from_accept_language(header: str) -> str:
    """The supported language the header prefers most (``es-PE,es;q=0.9,en;q=0.8`` → ``es``).

    >>> from_accept_language("en-GB,en;q=0.9,es;q=0.5")
    'en'
    >>> from_accept_language("fr, de;q=0.5")
    'es'
    """
    best, best_q = DEFAULT, 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best
