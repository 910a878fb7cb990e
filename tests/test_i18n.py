"""The message catalogs: every message in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from ecograph.i18n import LANGUAGES, LOCALE, MissingMessage, Texts, keys


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def catalogs(lang: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for path in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as source:
            for message in read_po(source, locale=lang):
                if message.id:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    assert key not in found, f"{key!r} is defined twice in the {lang} catalogs"
                    found[key] = message.string
    return found


def test_every_message_exists_in_both_languages() -> None:
    spanish, english = keys("es"), keys("en")
    assert spanish, "the Spanish catalog is empty"
    assert sorted(spanish - english) == [], "messages only in Spanish"
    assert sorted(english - spanish) == [], "messages only in English"


def test_domains_are_the_same_files_in_both_languages() -> None:
    names = {lang: sorted(path.name for path in (LOCALE / lang / "LC_MESSAGES").glob("*.po")) for lang in LANGUAGES}
    assert names["es"] == names["en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_empty_and_placeholders_match(lang: str) -> None:
    here, there = catalogs(lang), catalogs("en" if lang == "es" else "es")
    for key, text in here.items():
        forms = text if isinstance(text, tuple) else (text,)
        assert all(form.strip() for form in forms), f"{lang}: {key!r} has an empty translation"
        other = there.get(key)
        if other is None:
            continue
        other_forms = other if isinstance(other, tuple) else (other,)
        assert isinstance(text, tuple) == isinstance(other, tuple), f"{key!r} is plural in one language only"
        wanted = set().union(*(fields(form) for form in other_forms)) - {"count"}
        have = set().union(*(fields(form) for form in forms)) - {"count"}
        assert have == wanted, f"{lang}: {key!r} has placeholders {have}, the other language {wanted}"


def test_missing_keys_are_errors_not_silent() -> None:
    with pytest.raises(MissingMessage):
        Texts("es")("no.such.message")


def test_spanish_plural_forms() -> None:
    assert Texts("es").plural("unit.actors", 1) == "1 actor"
    assert Texts("es").plural("unit.actors", 2) == "2 actores"
    assert Texts("en").plural("unit.actors", 0) == "0 actors"
