"""Every sentence a person reads, from gettext message catalogs: Spanish first, English second.

The catalogs are ordinary gettext ``.po`` files, one per language and domain, under
``ecograph/locale/<lang>/LC_MESSAGES/<domain>.po`` (domains: ``labels`` for the vocabulary of the
data model, ``analysis`` for findings, ``validation``, ``cli``, ``web``, ``api``, ``store``). A translator
edits them with any PO editor (Poedit, Weblate, a text editor) without reading Python.

Message ids are stable keys (``gap.missing_sector``), not English sentences, so both languages
are translations and neither is the fallback of the other: a test fails when a key exists in one
language only. Placeholders are Python's ``{name}`` fields; plural messages use gettext's
``msgid_plural`` with each language's ``Plural-Forms`` rule.

The catalogs are read with Babel and compiled in memory to the standard library's
:class:`gettext.GNUTranslations` the first time a language is used; nothing needs a build step.

>>> Texts("es").label("sector", "public"), Texts("en").label("sector", "public")
('Sector público', 'Public sector')
>>> Texts("es").plural("unit.actors", 1), Texts("es").plural("unit.actors", 3)
('1 actor', '3 actores')
"""

from __future__ import annotations

import gettext
import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("es", "en")
DEFAULT = "es"
LOCALE = Path(__file__).parent / "locale"


class MissingMessage(KeyError):
    """A message key that the catalog of a language lacks (a bug: every key is in both languages)."""


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """Every domain of ``lang`` merged into one translation table."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    merged: gettext.GNUTranslations | None = None
    order: list[str] = []
    for path in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as source:
            catalog = read_po(source, locale=lang, domain=path.stem)
        order += [message.id for message in catalog if isinstance(message.id, str) and message.id]
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        table = gettext.GNUTranslations(compiled)
        if merged is None:
            merged = table
        else:
            merged._catalog.update(table._catalog)  # type: ignore[attr-defined]
    if merged is None:
        raise FileNotFoundError(f"no message catalog for {lang!r} under {LOCALE}")
    merged.order = order  # type: ignore[attr-defined]  # the .mo format sorts keys; labels keep the file's order
    return merged


def keys(lang: str) -> set[str]:
    """Every message key of ``lang`` (plural messages by their singular key)."""
    table = translations(lang)._catalog  # type: ignore[attr-defined]
    return {key[0] if isinstance(key, tuple) else key for key in table if key}


def language_from_environment() -> str:
    """The language of the command line: ``ECOGRAPH_LANG``, else ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``
    when they name English, else Spanish.

    >>> import os; os.environ.pop("ECOGRAPH_LANG", None) is None or True
    True
    """
    for name in ("ECOGRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        code = value.split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


@dataclass(frozen=True)
class Texts:
    """The messages of one language: ``texts("key", name=...)``, ``texts.plural("key", n)`` and
    ``texts.label("sector", "public")``."""

    lang: str = DEFAULT

    @property
    def other(self) -> str:
        """The other language (for a language switch)."""
        return LANGUAGES[1 - LANGUAGES.index(self.lang)]

    def __call__(self, key: str, **values: object) -> str:
        table = translations(self.lang)._catalog  # type: ignore[attr-defined]
        text = table.get(key)
        if text is None:
            raise MissingMessage(f"no message {key!r} in the {self.lang!r} catalog")
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, **values: object) -> str:
        """The form of ``key`` for ``count`` (``{count}`` is filled in too)."""
        table = translations(self.lang)
        if (key, 0) not in table._catalog:  # type: ignore[attr-defined]
            raise MissingMessage(f"no plural message {key!r} in the {self.lang!r} catalog")
        return table.ngettext(key, key, count).format(count=count, **values)

    def has(self, key: str) -> bool:
        return key in translations(self.lang)._catalog  # type: ignore[attr-defined]

    def label(self, kind: str, code: str | None) -> str:
        """The label of a controlled value (``labels`` domain, key ``kind.code``); an unknown code shows as
        itself, never hidden."""
        if code is None:
            return ""
        key = f"{kind}.{code}"
        return self(key) if self.has(key) else code

    def labels(self, kind: str) -> dict[str, str]:
        """Every label of a kind, code → label, in the order of the .po file."""
        table = translations(self.lang)
        prefix = f"{kind}."
        return {key[len(prefix):]: table._catalog[key] for key in table.order  # type: ignore[attr-defined]
                if key.startswith(prefix)}

    @staticmethod
    def number(value: float, digits: int = 3) -> str:
        """``value`` with at most ``digits`` significant digits; a decimal point in both languages, as in Peru.

        >>> Texts.number(1234.0), Texts.number(0.2468), Texts.number(18.0)
        ('1234', '0.247', '18')
        """
        return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:.0f}"


def both(key: str, **values: object) -> tuple[str, str]:
    """The Spanish and English text of a message (for results that carry both, like a gap)."""
    return Texts("es")(key, **values), Texts("en")(key, **values)


def in_words(value: object, lang: str = DEFAULT) -> object:
    """``value`` as a message shows it in ``lang``: anything with a ``text(lang)`` method (a :class:`Message`, a
    :class:`StoreError`, a dataset problem, a model's ``Invalid``) in that language, anything else as it is."""
    text = getattr(value, "text", None)
    return text(lang) if callable(text) else value


class Message:
    """A catalog message not yet put into words: its key and values, said in any language by :meth:`text`.

    Values that are messages themselves (anything with a ``text(lang)`` method) are said in the same
    language. A key that no catalog has is shown as it is (a plain sentence passed by other code).

    >>> Message("unit.actors")  # doctest: +ELLIPSIS
    Message('unit.actors', ...)
    >>> Message("store.no_actor", id="ghost").text("en")
    "no actor 'ghost'"
    """

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key, self.values = key, values

    def text(self, lang: str = DEFAULT) -> str:
        texts = Texts(lang)
        if not texts.has(self.key):
            return self.key
        return texts(self.key, **{name: in_words(value, lang) for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)
