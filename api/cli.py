"""The service's commands, added to the ``ecograph`` CLI through the ``ecograph.commands`` entry points:
``serve`` (a command) and ``token`` (a group: create, list, revoke).

They print from the ``cli`` message catalog in the command line's language (``ecograph --lang``, which
sets ``ECOGRAPH_LANG``; else the environment's; else Spanish). Their help texts are catalog keys too
(``serve``'s is its docstring, where typer takes a plain command's help from), said in that language when the help
is drawn (see ``ecograph.cli.Spoken``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from api.settings import ApiSettings
from api.tokens import TokenError, TokenStore, check_regions
from ecograph.i18n import Texts, language_from_environment
from ecograph.stores import StoreError, open_store


def say(key: str, **values: Any) -> str:
    return Texts(language_from_environment())(key, **values)


def in_words(detail: object) -> object:
    """``detail`` in the command line's language if it has a ``text(lang)`` method, else as it is."""
    text = getattr(detail, "text", None)
    return text(language_from_environment()) if callable(text) else detail


def fail(detail: object) -> NoReturn:
    typer.echo(say("cli.error", detail=in_words(detail)), err=True)
    raise typer.Exit(2)


def serve(
    host: Annotated[str | None, typer.Option(help="cli.help.serve.host")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="cli.help.serve.port")] = None,
    store: Annotated[str | None, typer.Option("--store", help="cli.help.serve.store")] = None,
    db: Annotated[str | None, typer.Option("--db", help="cli.help.db")] = None,
    workers: Annotated[int, typer.Option(min=1, help="cli.help.serve.workers")] = 1,
    log_level: Annotated[str, typer.Option(help="cli.help.serve.log_level")] = "info",
) -> None:
    """cli.help.serve"""
    import uvicorn

    if store and db:
        fail(say("cli.store_and_db"))
    store = store or db
    overrides = {key: value for key, value in (("host", host), ("port", port), ("store", store)) if value is not None}
    settings = ApiSettings(**overrides)
    if store is not None:
        os.environ["ECOGRAPH_STORE"] = store  # for worker processes, which build their own app
    try:
        with open_store(settings.store, settings) as opened:
            typer.echo(say("cli.serve.store", store=settings.store, version=opened.version()), err=True)
    except Exception as error:
        typer.echo(say("cli.serve.unreachable", store=settings.store, detail=in_words(error)), err=True)
    typer.echo(say("cli.serve.listening", host=settings.host, port=settings.port), err=True)
    if workers > 1:
        uvicorn.run("api.main:create_app", factory=True, host=settings.host, port=settings.port, workers=workers,
                    log_level=log_level, proxy_headers=False)
    else:
        from api.main import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=log_level,
                    proxy_headers=False)


token_app = typer.Typer(help="cli.help.token", no_args_is_help=True)
TokensOption = Annotated[str | None, typer.Option("--tokens", help="cli.help.token.tokens")]


def _tokens(path: str | None) -> TokenStore:
    return TokenStore(path or ApiSettings().tokens)


def _store_regions(store: str | None, db: str | None) -> set[str]:
    """The region codes of the store an editor token is for (refusing a store that does not exist yet)."""
    if store and db:
        fail(say("cli.store_and_db"))
    settings = ApiSettings()
    location = store or db or settings.store
    if "://" not in location and not Path(location).is_file():
        fail(say("cli.token.no_store", store=location))
    try:
        with open_store(location, settings) as opened:
            return {region.code for region in opened.regions()}
    except StoreError as error:
        fail(error)


@token_app.command("create", help="cli.help.token.create")
def create_token(
    role: Annotated[str, typer.Option(help="cli.help.token.role")],
    region: Annotated[list[str] | None, typer.Option("--region", help="cli.help.token.region")] = None,
    name: Annotated[str | None, typer.Option(help="cli.help.token.name")] = None,
    tokens: TokensOption = None,
    store: Annotated[str | None, typer.Option("--store", help="cli.help.token.store")] = None,
    db: Annotated[str | None, typer.Option("--db", help="cli.help.db")] = None,
) -> None:
    regions = region or []
    try:
        if role == "editor" and regions:
            check_regions(regions, _store_regions(store, db))
        token, info = _tokens(tokens).create(role, regions, name)
    except TokenError as error:
        fail(error)
    if info.regions:
        created = Texts(language_from_environment()).plural(
            "cli.token.created_for", len(info.regions), role=info.role, id=info.id, regions=", ".join(info.regions))
    else:
        created = say("cli.token.created", role=info.role, id=info.id)
    typer.echo(created, err=True)
    typer.echo(token)


@token_app.command("list", help="cli.help.token.list")
def list_tokens(tokens: TokensOption = None) -> None:
    for info in _tokens(tokens).list():
        state = say("cli.token.revoked_on", date=info.revoked) if info.revoked else say("cli.token.active")
        typer.echo(f"{info.id}  {info.role:6}  {','.join(info.regions) or '-':12}  {info.created}  {state}  "
                   f"{info.name or ''}".rstrip())


@token_app.command("revoke", help="cli.help.token.revoke")
def revoke_token(token_id: Annotated[str, typer.Argument(help="cli.help.token.id")],
                 tokens: TokensOption = None) -> None:
    try:
        _tokens(tokens).revoke(token_id)
    except TokenError as error:
        fail(error)
    typer.echo(say("cli.token.revoked", id=token_id))
