"""``ecograph campaign``: the survey from the command line (create, roster, links, progress, review, publish).

Every line, and the help, comes from the ``survey`` catalog, in the run's language (``ecograph --lang``, else the
environment, else Spanish). A links file (CSV or xlsx, for a mail merge) holds each link once: see :mod:`.links`.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import openpyxl
import typer

from ecograph.i18n import Texts, in_words, language_from_environment
from ecograph.model import NATIONAL, Invalid
from ecograph.stores import Store, StoreError, open_store
from ecograph.survey import links
from ecograph.survey.coverage import coverage
from ecograph.survey.model import Campaign, Decision
from ecograph.survey.publish import publish as publish_campaign
from ecograph.survey.review import review_items
from ecograph.writers import neutralize

# help= texts are catalog keys, said in the run's language when the help is drawn (see ecograph.cli.Spoken).
app = typer.Typer(help="survey.help.app", no_args_is_help=True)
StoreOption = Annotated[str | None, typer.Option("--store", envvar="ECOGRAPH_STORE", show_envvar=True,
                                                 help="cli.help.store")]
CampaignArg = Annotated[str, typer.Argument(help="survey.help.campaign")]


def texts() -> Texts:
    return Texts(language_from_environment())


def say(key: str, **values: Any) -> str:
    return texts()(key, **values)


def fail(detail: object) -> NoReturn:
    typer.echo(say("cli.error", detail=in_words(detail, texts().lang)), err=True)
    raise typer.Exit(2)


def connect(location: str | None) -> Store:
    try:
        return open_store(location)
    except StoreError as error:
        fail(error)


def _run(location: str | None, work: Any) -> Any:
    """``work(store)`` on the store, any store or model refusal printed as one line (exit code 2)."""
    with connect(location) as store:
        try:
            return work(store)
        except (StoreError, Invalid) as error:
            fail(error)


@app.command(help="survey.help.create")
def create(campaign: CampaignArg,
           name: Annotated[str, typer.Option(help="survey.help.create.name")],
           region: Annotated[list[str], typer.Option(help="survey.help.create.region")],
           opens: Annotated[str, typer.Option(help="survey.help.create.opens")],
           closes: Annotated[str, typer.Option(help="survey.help.create.closes")],
           illustrative: Annotated[bool, typer.Option(help="survey.help.create.illustrative")] = False,
           store: StoreOption = None) -> None:
    def work(found: Store) -> None:
        known = {r.code for r in found.regions()}
        for code in region:
            if code not in known:
                fail(say("survey.cli.unknown_region", region=code))
        try:
            day_one, last = date.fromisoformat(opens), date.fromisoformat(closes)
        except ValueError as error:
            fail(error)
        try:
            made = Campaign(id=campaign, name=name, regions=region, opens=day_one, closes=last,
                            illustrative=illustrative)
        except ValueError as error:
            fail(_first(error))
        found.survey.create_campaign(made)
        typer.echo(say("survey.cli.created", id=made.id, regions=", ".join(made.regions), opens=made.opens,
                       closes=made.closes))

    _run(store, work)


def _first(error: ValueError) -> object:
    """The first problem of a pydantic error, as a message when it is the model's own."""
    items = getattr(error, "errors", None)
    if callable(items):
        for item in items():
            found = (item.get("ctx") or {}).get("error")
            if callable(getattr(found, "text", None)):
                return found
            return item.get("msg", str(error))
    return error


@app.command(help="survey.help.roster")
def roster(campaign: CampaignArg,
           actors: Annotated[list[str] | None, typer.Argument(help="survey.help.roster.actors")] = None,
           everyone: Annotated[bool, typer.Option("--all", help="survey.help.roster.all")] = False,
           store: StoreOption = None) -> None:
    def work(found: Store) -> None:
        chosen = list(actors or [])
        if everyone:
            current = found.survey.campaign(campaign)
            chosen += [actor.id for code in current.regions for actor in found.actors(region=code)]
        added = links.invite(found, campaign, chosen) if chosen else []
        if chosen:
            typer.echo(texts().plural("survey.cli.invited", len(added)))
        for invitation in found.survey.invitations(campaign):
            state = (say("survey.cli.state.revoked") if invitation.revoked else say("survey.cli.state.sent")
                     if invitation.sent else say("survey.cli.state.not_sent"))
            typer.echo(f"  {invitation.actor:40} {state}")

    _run(store, work)


@app.command("links", help="survey.help.links")
def links_file(campaign: CampaignArg,
               out: Annotated[Path, typer.Option("--out", help="survey.help.links.out")],
               base_url: Annotated[str, typer.Option(help="survey.help.links.base_url")] = "http://127.0.0.1:8000",
               resend: Annotated[list[str] | None, typer.Option(help="survey.help.links.resend")] = None,
               store: StoreOption = None) -> None:
    if out.suffix.lower() not in (".csv", ".xlsx"):
        fail(say("survey.cli.links_suffix", path=str(out)))

    def work(found: Store) -> None:
        rows = [["actor", "name", "acronym", "region", "sector", "link", "sent"]]
        handed = 0
        for entry in links.issue(found, campaign, resend or ()):
            if not entry.invitation.active:
                continue
            actor = entry.actor
            handed += entry.token is not None
            rows.append([entry.invitation.actor, actor.name if actor else "", (actor.acronym or "") if actor else "",
                         (actor.region or NATIONAL) if actor else "", actor.sector if actor else "",
                         links.link(base_url, entry.token) if entry.token else "",
                         entry.sent.isoformat() if entry.sent else ""])
        out.parent.mkdir(parents=True, exist_ok=True)
        cells = [rows[0], *[[neutralize(cell) for cell in row] for row in rows[1:]]]
        if out.suffix.lower() == ".csv":
            with out.open("w", encoding="utf-8-sig", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(cells)
        else:
            workbook = openpyxl.Workbook()
            sheet = workbook.active
            sheet.title = "links"
            for row in cells:
                sheet.append(row)
            workbook.save(out)
        typer.echo(texts().plural("survey.cli.links_written", handed, path=str(out)))

    _run(store, work)


@app.command(help="survey.help.progress")
def progress(campaign: CampaignArg, store: StoreOption = None) -> None:
    def work(found: Store) -> None:
        current = found.survey.campaign(campaign)
        invited = [i for i in found.survey.invitations(campaign) if i.active]
        actors = {a.id: a for a in found.actors(ids=[i.actor for i in invited])} if invited else {}
        result = coverage(current, [actors[i.actor] for i in invited if i.actor in actors],
                          found.survey.answers(campaign))
        lang = texts().lang
        typer.echo(result.text(lang))
        for title, shares, kind in ((say("survey.cli.by_region"), result.by_region, None),
                                    (say("survey.cli.by_sector"), result.by_sector, "sector")):
            typer.echo(title)
            for code, share in shares.items():
                typer.echo(f"  {texts().label(kind, code) if kind else code:28} {share.text(lang)}")
        if result.missing:
            typer.echo(say("survey.cli.missing", actors=", ".join(result.missing)))

    _run(store, work)


@app.command(help="survey.help.review")
def review(campaign: CampaignArg,
           accept: Annotated[list[str] | None, typer.Option(help="survey.help.review.accept")] = None,
           reject: Annotated[list[str] | None, typer.Option(help="survey.help.review.reject")] = None,
           merge: Annotated[list[str] | None, typer.Option(help="survey.help.review.merge")] = None,
           store: StoreOption = None) -> None:
    def work(found: Store) -> None:
        current = found.survey.campaign(campaign)
        queue = {item.id: item for item in review_items(found, current)}
        wanted = [(item, "accept", None) for item in accept or []] + [(item, "reject", None) for item in reject or []]
        for text in merge or []:
            item, _, actor = text.partition("=")
            if not actor:
                fail(say("survey.cli.merge_form", value=text))
            wanted.append((item, "merge", actor))
        for item, action, actor in wanted:
            if item not in queue:
                fail(say("survey.cli.no_item", item=item))
            if action == "merge":
                if queue[item].kind != "new_actor":
                    fail(say("survey.api.merge_new_only"))
                found.actor(actor)  # type: ignore[arg-type]
            found.survey.save_decision(Decision(campaign=current.id, item=item, action=action, merge_into=actor))
        decided = {decision.item: decision for decision in found.survey.decisions(current.id)}
        for item in queue.values():
            decision = decided.get(item.id)
            state = (say("survey.cli.pending") if decision is None else
                     f"{decision.action}{' → ' + decision.merge_into if decision.merge_into else ''}")
            typer.echo(f"{item.id}  [{state}]")
            for candidate in item.duplicates:
                typer.echo("  " + say("survey.cli.duplicate", actor=candidate.actor, name=candidate.name,
                                      score=round(100 * candidate.score)))
            for field, (old, new) in item.changes.items():
                typer.echo(f"  {field}: {old} → {new}")
            if item.tie is not None:
                for version in item.tie.versions:
                    typer.echo(f"  {version.respondent}: {version.type} {version.status} {version.strength}")
        if not queue:
            typer.echo(say("survey.cli.nothing_to_review"))

    _run(store, work)


@app.command(help="survey.help.publish")
def publish(campaign: CampaignArg, store: StoreOption = None) -> None:
    def work(found: Store) -> None:
        done = publish_campaign(found, campaign)
        typer.echo(say("survey.cli.published", version=done.version, actors=len(done.actors),
                       ties=len(done.collaborations)))
        if done.pending:
            typer.echo(texts().plural("survey.cli.left_out", len(done.pending), items=", ".join(done.pending)))

    _run(store, work)
