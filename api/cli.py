"""The service's commands, added to the ``ecograph`` CLI through the ``ecograph.commands`` entry points:
``serve`` (a command) and ``token`` (a group: create, list, revoke)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from api.settings import ApiSettings
from api.tokens import ROLES, TokenError, TokenStore


def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on [default: 127.0.0.1, or ECOGRAPH_HOST]")]
    = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="port [default: 8000, or ECOGRAPH_PORT]")]
    = None,
    store: Annotated[str | None, typer.Option("--store", help="SQLite file or neo4j:// URI "
                                              "[default: ECOGRAPH_STORE, else ./ecograph.db]")] = None,
    db: Annotated[str | None, typer.Option("--db", help="SQLite file (shorthand for --store PATH)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the JSON API (/api/v1, documented at /docs) and the web pages."""
    import uvicorn

    if store and db:
        typer.echo("error: give either --store or --db, not both", err=True)
        raise typer.Exit(2)
    store = store or db
    overrides = {key: value for key, value in (("host", host), ("port", port), ("store", store)) if value is not None}
    settings = ApiSettings(**overrides)
    if store is not None:
        os.environ["ECOGRAPH_STORE"] = store  # for worker processes, which build their own app
    try:
        from ecograph.stores import open_store

        with open_store(settings.store, settings) as opened:
            typer.echo(f"store {settings.store}: dataset version {opened.version()}", err=True)
    except Exception as error:
        typer.echo(f"warning: the store {settings.store} cannot be reached now ({error}); the service starts "
                   "anyway and answers 503 until it can", err=True)
    typer.echo(f"serving on http://{settings.host}:{settings.port} (API docs: /docs)", err=True)
    if workers > 1:
        uvicorn.run("api.main:create_app", factory=True, host=settings.host, port=settings.port, workers=workers,
                    log_level=log_level, proxy_headers=False)
    else:
        from api.main import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=log_level,
                    proxy_headers=False)


token_app = typer.Typer(help="Create, list and revoke API tokens (only their hashes are kept).",
                        no_args_is_help=True)
TokensOption = Annotated[str | None, typer.Option("--tokens", help="tokens file [default: ECOGRAPH_TOKENS, else "
                                                  "./ecograph-tokens.db]")]


def _tokens(path: str | None) -> TokenStore:
    return TokenStore(path or ApiSettings().tokens)


@token_app.command("create")
def create_token(
    role: Annotated[str, typer.Option(help=f"one of {', '.join(ROLES)}")],
    region: Annotated[list[str] | None, typer.Option("--region", help="a region an editor may write in; repeat "
                                                     "for several")] = None,
    name: Annotated[str | None, typer.Option(help="a note on who holds it")] = None,
    tokens: TokensOption = None,
) -> None:
    """Create a token and print it once: it cannot be shown again."""
    try:
        token, info = _tokens(tokens).create(role, region or [], name)
    except TokenError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    scope = f" for regions {', '.join(info.regions)}" if info.regions else ""
    typer.echo(f"created {info.role} token {info.id}{scope}; keep it now, it is not shown again:", err=True)
    typer.echo(token)


@token_app.command("list")
def list_tokens(tokens: TokensOption = None) -> None:
    """List tokens (id, role, regions, name, created, revoked), never the tokens themselves."""
    for info in _tokens(tokens).list():
        state = f"revoked {info.revoked}" if info.revoked else "active"
        typer.echo(f"{info.id}  {info.role:6}  {','.join(info.regions) or '-':12}  {info.created}  {state}  "
                   f"{info.name or ''}".rstrip())


@token_app.command("revoke")
def revoke_token(token_id: Annotated[str, typer.Argument(help="the id shown by `ecograph token list`")],
                 tokens: TokensOption = None) -> None:
    """Revoke a token: it stops working at once."""
    try:
        _tokens(tokens).revoke(token_id)
    except TokenError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"revoked {token_id}")
