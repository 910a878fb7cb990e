"""The ``ecograph`` command line, in Spanish or English.

Every line it prints comes from the ``cli`` message catalog (problems from the ``validation`` one),
in the language of ``ecograph --lang es|en``, else of the environment (``ECOGRAPH_LANG``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``), else Spanish; so is the help (``--help``), whose texts are catalog keys put into
words when it is drawn. An unexpected error is one line in that language, never a traceback.

Other packages add commands through the ``ecograph.commands`` entry-point group (the web
service adds ``serve`` and ``token`` that way), so the core never imports them; ``--lang`` sets
``ECOGRAPH_LANG`` for the run, so they speak the same language.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections import Counter
from collections.abc import Callable
from enum import Enum, StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any, NoReturn

import pandas as pd
import typer
from tqdm import tqdm
from typer._click.exceptions import BadOptionUsage, MissingParameter, NoSuchOption, UsageError
from typer.core import HAS_RICH, TyperCommand, TyperGroup

from ecograph.analysis import Options
from ecograph.analysis.output import about, render, report_tables
from ecograph.formats.mapping import Mapping, memory_path
from ecograph.formats.regions import Known
from ecograph.generate import generate_dataset
from ecograph.history.changes import changes as region_changes
from ecograph.history.follow_up import follow_up as follow_up_of
from ecograph.history.timeline import RULE
from ecograph.history.versions import dataset_at, region_dataset, region_graph, versions
from ecograph.i18n import LANGUAGES, Texts, language_from_environment
from ecograph.model import (
    CAPABILITIES,
    SECTORS,
    STATUSES,
    TABLES,
    Dataset,
    Invalid,
    choice,
    closest_region,
    partial_date,
)
from ecograph.readers import ERROR, WARNING, Checked, check_source, describe, first_of_each_kind, write_problems
from ecograph.service import Service
from ecograph.stores import Store, StoreError, open_store
from ecograph.survey.cli import app as campaign_app
from ecograph.writers import DATASET_FORMATS, GRAPH_FORMATS
from ecograph.writers import export as export_files

Language = StrEnum("Language", {code: code for code in LANGUAGES})  # type: ignore[misc]


def texts() -> Texts:
    """The messages of this run, in the language of the environment (which ``--lang`` sets)."""
    return Texts(language_from_environment())


def say(key: str, **values: Any) -> str:
    return texts()(key, **values)


def in_words(detail: object) -> str:
    """``detail`` in the run's language: an error or message with a ``text(lang)`` method said in it, else as is."""
    text = getattr(detail, "text", None)
    return text(texts().lang) if callable(text) else str(detail)


def unexpected(error: Exception) -> str:
    """What went wrong, for a person: a file that cannot be read or written, else the error, to be reported."""
    if isinstance(error, OSError) and error.filename is not None:
        code = errno.errorcode.get(error.errno or 0, "")
        reason = say(f"cli.os.{code}") if texts().has(f"cli.os.{code}") else error.strerror or str(error)
        return say("cli.os_error", path=error.filename, reason=reason)
    return say("cli.crash", kind=type(error).__name__, detail=in_words(error))


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command`` printing an unexpected error as one line (exit code 1, as a crash had), never a traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:
            typer.echo(say("cli.error", detail=unexpected(error)), err=True)
            raise typer.Exit(1) from None

    return run


# The run's language in the context (shared by its subcommands' contexts), read from the command line before
# anything is said.
LANGUAGE_KEY = "ecograph.lang"
# typer draws help panels with these module constants of typer.rich_utils; they are set in the run's language
# before each usage line, which comes first in both a help page and an error.
TYPER_WORDS = {"ARGUMENTS_PANEL_TITLE": "cli.help.arguments", "OPTIONS_PANEL_TITLE": "cli.help.options",
               "COMMANDS_PANEL_TITLE": "cli.help.commands", "DEFAULT_STRING": "cli.help.default",
               "ENVVAR_STRING": "cli.help.envvar", "REQUIRED_LONG_STRING": "cli.help.required",
               "ERRORS_PANEL_TITLE": "cli.help.error", "RICH_HELP": "cli.help.try_help"}


def help_texts(ctx: typer.Context) -> Texts:
    """The messages of the run ``ctx`` belongs to: ``--lang``'s language, else the environment's."""
    return Texts(ctx.meta.get(LANGUAGE_KEY) or language_from_environment())


def usage_said(error: UsageError, texts: Texts) -> str:
    """A mistake on the command line (typer's own message is English) in the run's language: an unknown option or
    command, a missing argument, a value out of its choices or range, an option without its value."""
    if isinstance(error, NoSuchOption):
        guesses = ", ".join(error.possibilities or [])
        return texts("cli.usage.no_such_option_guess" if guesses else "cli.usage.no_such_option",
                     option=error.option_name, guesses=guesses)
    if isinstance(error, BadOptionUsage):
        return texts("cli.usage.needs_value", option=error.option_name)
    param = getattr(error, "param", None)
    if param is None:
        return texts("cli.usage.invalid")
    name = "/".join(param.opts) if param.param_type_name == "option" else param.name.upper()
    if isinstance(error, MissingParameter):
        return texts(f"cli.usage.missing_{param.param_type_name}", name=name)
    kind = param.type_descriptor.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return texts("cli.usage.choice", name=name, choices=", ".join(str(choice.value) for choice in kind))
    if param.min is not None:
        return texts("cli.usage.at_least_integer" if kind is int else "cli.usage.at_least", name=name,
                     min=f"{param.min:g}")
    return texts("cli.usage.bad_value", name=name)


class Spoken:
    """A command whose help, and mistakes on its command line (:func:`usage_said`), are said in the run's language.

    Typer reads ``help=`` strings when the commands are defined, before ``--lang`` is parsed, so they are catalog
    keys, and the command's own help, its parameters' and its subcommands' are put into words here, in the run's
    language (a text that is no key, as a plugin's own sentence, shows as it is). Cost: one dictionary look-up per
    text, once per help page; the command objects are built anew for each run.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except UsageError as error:
            raise UsageError(usage_said(error, help_texts(ctx)), ctx=error.ctx or ctx) from None

    def format_usage(self, ctx: typer.Context, formatter: Any) -> None:
        texts = help_texts(ctx)
        if HAS_RICH:
            from typer import rich_utils

            for name, key in TYPER_WORDS.items():
                setattr(rich_utils, name, texts(key))
        self.options_metavar = texts("cli.help.options_metavar")
        if isinstance(self, TyperGroup):
            self.subcommand_metavar = texts("cli.help.command_metavar")
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),  # type: ignore[attr-defined]
                              prefix=f"{texts('cli.help.usage')} ")

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:
        texts = help_texts(ctx)
        commands = ([self.get_command(ctx, name) for name in self.list_commands(ctx)]
                    if isinstance(self, TyperGroup) else [])
        for item in [self, *self.get_params(ctx), *commands]:  # type: ignore[attr-defined]
            for field in ("help", "short_help"):
                text = getattr(item, field, None)
                if text and texts.has(text):
                    setattr(item, field, texts(text))
        helper = self.get_help_option(ctx)  # type: ignore[attr-defined]
        if helper is not None:
            helper.help = texts("cli.help.help")
        super().format_help(ctx, formatter)  # type: ignore[misc]


class SpokenCommand(Spoken, TyperCommand):
    pass


class SpokenGroup(Spoken, TyperGroup):
    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError:
            raise UsageError(help_texts(ctx)("cli.usage.no_such_command", name=args[0],
                                             commands=", ".join(self.list_commands(ctx))), ctx=ctx) from None


class Root(SpokenGroup):
    """The ``ecograph`` group: it reads ``--lang`` from its part of the line before click handles any option, since
    ``--help`` is handled first wherever it stands (``ecograph --help --lang en``)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        try:
            options, _, _ = self.make_parser(ctx).parse_args(args=list(args))
        except UsageError as error:
            raise UsageError(usage_said(error, help_texts(ctx)), ctx=ctx) from None
        lang = options.get("lang")
        ctx.meta[LANGUAGE_KEY] = lang if lang in LANGUAGES else language_from_environment()
        return super().parse_args(ctx, args)


class App(typer.Typer):
    """A typer app whose every command, plugins' too, is :func:`guarded` and says its help in the run's language."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        register = super().command(*args, cls=kwargs.pop("cls", SpokenCommand), **kwargs)

        def decorator(command: Callable[..., Any]) -> Callable[..., Any]:
            register(guarded(command))
            return command

        return decorator

    def add_typer(self, group: typer.Typer, **kwargs: Any) -> None:
        for info in group.registered_commands:
            if info.callback is not None:
                info.callback = guarded(info.callback)
            if info.cls is TyperCommand:
                info.cls = SpokenCommand
        super().add_typer(group, cls=SpokenGroup, **kwargs)


app = App(cls=Root, help="cli.help.app", no_args_is_help=True, pretty_exceptions_enable=False,
          add_completion=False)

StoreOption = Annotated[str | None, typer.Option("--store", envvar="ECOGRAPH_STORE", show_envvar=True,
                                                 help="cli.help.store")]
DbOption = Annotated[Path | None, typer.Option("--db", help="cli.help.db")]
StrictOption = Annotated[bool, typer.Option("--strict", help="cli.help.strict")]
MapOption = Annotated[list[str] | None, typer.Option("--map", help="cli.help.map")]
SourceArgument = Annotated[Path, typer.Argument(help="cli.help.source")]
ProblemsOption = Annotated[Path | None, typer.Option("--problems", help="cli.help.problems")]
SHOWN_PER_KIND = 10
"""Problems of one kind (same file, column and message) listed on screen; --problems writes them all."""
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="cli.help.output")]


@app.callback()
def main(ctx: typer.Context, lang: Annotated[Language | None, typer.Option("--lang", help="cli.help.lang")]
         = None) -> None:
    # --lang is ECOGRAPH_LANG for this run, so commands added by other packages speak it too.
    if lang is not None:
        before = os.environ.get("ECOGRAPH_LANG")
        os.environ["ECOGRAPH_LANG"] = lang.value
        ctx.call_on_close(lambda: os.environ.pop("ECOGRAPH_LANG") if before is None
                          else os.environ.update(ECOGRAPH_LANG=before))


class Format(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    graphml = "graphml"
    gexf = "gexf"
    cytoscape = "cytoscape"


def fail(detail: object, code: int = 2) -> NoReturn:
    """Print ``error: detail`` (see :func:`in_words`) and exit with ``code``."""
    typer.echo(say("cli.error", detail=in_words(detail)), err=True)
    raise typer.Exit(code)


def connect(store: str | None, db: Path | None) -> Store:
    """Open the store chosen by --store / --db / ECOGRAPH_STORE, or exit with a clear message."""
    if store and db:
        fail(say("cli.store_and_db"))
    try:
        return open_store(str(db) if db else store)
    except StoreError as error:
        fail(error)


def check_region(source: Store, region: str | None) -> None:
    """Exit with a clear message (and the likely code: ``6`` → ``06``) unless the store has ``region``."""
    codes = {known.code for known in source.regions()}
    if region is None or region in codes:
        return
    guess = closest_region(region, codes)
    fail(say("cli.unknown_region_guess", region=region, guess=guess) if guess else say("cli.unknown_region",
                                                                                     region=region))


def counts(dataset: Dataset) -> str:
    """``2 regiones, 3 indicadores, 6 actores, 4 colaboraciones``."""
    return ", ".join(texts().plural(f"cli.count.{table}", len(dataset.table(table))) for table in TABLES)


def mapping_of(specs: list[str] | None) -> Mapping:
    """The ``--map`` options as a mapping, or exit with the one that is not ``FIELD=COLUMN``."""
    try:
        return Mapping.parse(specs or ())
    except Invalid as error:
        fail(error)


def known_in(store: str | None, db: Path | None) -> Known:
    """The regions and indicators of the store a map from another tool goes into."""
    with connect(store, db) as target:
        try:
            return Known(target.regions(), target.indicators())
        except StoreError as error:
            fail(error)


def checked(path: Path, strict: bool, specs: list[str] | None = None,
            known: Callable[[], Known] | None = None, problems: Path | None = None) -> tuple[Dataset, int]:
    """The dataset at ``path`` and how many warnings it has, printed; or the problems printed and exit code 1.

    The screen lists the first :data:`SHOWN_PER_KIND` problems of each kind; ``problems`` is a CSV file to write
    all of them to. Maps from other tools are read against ``known`` regions; a mapping given (``--map``) or
    remembered for this source is said on stderr."""
    result: Checked = check_source(path, strict, mapping_of(specs), known, memory=memory_path())
    if result.recalled:
        typer.echo(say("cli.mapping.recalled", name=result.name, mapping=" ".join(result.mapping.specs())), err=True)
    if result.problems:
        shown, more = first_of_each_kind(result.problems, SHOWN_PER_KIND)
        typer.echo(describe(shown, more, texts().lang))
        if problems is not None:
            write_problems(problems, result.problems, texts().lang)
            typer.echo(say("cli.problems_written", path=problems), err=True)
        elif more:
            typer.echo(say("cli.problems_hint"), err=True)
    if result.dataset is None:
        typer.echo(texts().plural("cli.errors", sum(p.severity == ERROR for p in result.problems)), err=True)
        raise typer.Exit(1)
    if result.remembered is not None:
        typer.echo(say("cli.mapping.remembered", name=result.name, path=result.remembered,
                       mapping=" ".join(result.mapping.specs())), err=True)
    return result.dataset, sum(problem.severity == WARNING for problem in result.problems)


@app.command(help="cli.help.validate")
def validate(path: SourceArgument,
             strict: StrictOption = False,
             map: MapOption = None,
             store: Annotated[str | None, typer.Option("--store", envvar="ECOGRAPH_STORE", show_envvar=True,
                                                       help="cli.help.validate.store")] = None,
             db: DbOption = None,
             problems: ProblemsOption = None) -> None:
    dataset, warnings = checked(path, strict, map, (lambda: known_in(store, db)) if store or db else None, problems)
    if warnings:
        typer.echo(say("cli.ok_warnings", warnings=texts().plural("cli.warnings", warnings), summary=counts(dataset)))
    else:
        typer.echo(say("cli.ok", summary=counts(dataset)))


@app.command(help="cli.help.load")
def load(
    path: SourceArgument,
    replace: Annotated[bool, typer.Option(help="cli.help.load.replace")] = False,
    strict: StrictOption = False,
    map: MapOption = None,
    store: StoreOption = None,
    db: DbOption = None,
    problems: ProblemsOption = None,
) -> None:
    dataset, _ = checked(path, strict, map, lambda: known_in(store, db), problems)
    with connect(store, db) as target:
        total = sum(len(dataset.table(table)) for table in TABLES)
        # disable=None: a bar on a terminal, silence when piped
        with tqdm(total=total, unit=say("cli.rows"), disable=None, file=sys.stderr, leave=False) as bar:
            try:
                summary = target.load(dataset, replace=replace, progress=bar.update)
            except StoreError as error:
                fail(say("cli.load.failed", detail=in_words(error)))
    del dataset  # the analysis reads the store: the records in memory (about 400 MB at 100,000 actors) can go
    for table in summary.added:
        typer.echo(f"{say(f'cli.table.{table}'):15} " + say(
            "cli.load.counts", added=summary.added[table], updated=summary.updated[table],
            removed=summary.removed[table], unchanged=summary.unchanged[table]))
    typer.echo(say("cli.load.version" if summary.changed else "cli.load.unchanged", version=summary.version))
    with connect(store, db) as target:
        analysed(target)
    typer.echo(say("cli.analysis.stored", version=summary.version))


def analysed(source: Store) -> Service:
    """The service over ``source``, once the analysis of its current version is computed and stored (at once if
    it already was; a progress bar on a terminal while it is computed)."""
    service = Service(lambda: source)
    with tqdm(unit=say("cli.parts"), disable=None, file=sys.stderr, leave=False) as bar:

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            service.refresh(progress=advance)
        except StoreError as error:
            fail(say("cli.load.failed", detail=in_words(error)))
    return service


@app.command(help="cli.help.export")
def export(
    path: Annotated[Path, typer.Argument(help="cli.help.export.path")],
    format: Annotated[Format, typer.Option("--format", "-f", help="cli.help.export.format")] = Format.csv,
    region: Annotated[str | None, typer.Option(help="cli.help.export.region")] = None,
    version: Annotated[int | None, typer.Option("--version", min=1, help="cli.help.export.version")] = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    prepared = None
    with connect(store, db) as source:
        try:
            check_region(source, region)
            if version is not None and version != source.version():
                if format == Format.cytoscape:
                    fail(say("history.cli.no_cytoscape"))
                past = dataset_at(source, version)
                dataset = region_dataset(past, region)
                graph = region_graph(past, region, version) if format.value in GRAPH_FORMATS else None
            else:
                dataset = source.dataset(region)
                graph = source.graph(region) if format.value in GRAPH_FORMATS else None
            if format == Format.cytoscape:
                prepared = analysed(source).prepared(source.version(), region)
        except StoreError as error:
            fail(error)
    written = export_files(dataset, graph, path, format.value, prepared)
    typer.echo("\n".join(say("cli.wrote", path=file) for file in written))


@app.command(help="cli.help.stats")
def stats(store: StoreOption = None, db: DbOption = None) -> None:
    with connect(store, db) as source:
        try:
            dataset = source.dataset()
        except StoreError as error:
            fail(error)
    home = {actor.id: actor.region for actor in dataset.actors}
    ties = Counter(region for tie in dataset.collaborations
                   for region in {home[tie.source], home[tie.target]})
    by_region = Counter((actor.region, actor.sector) for actor in dataset.actors)
    names = {region.code: region.name for region in dataset.regions}
    header = (f"{say('cli.stats.code'):6} {say('cli.stats.region'):28} {say('cli.stats.actors'):>7} "
              f"{say('cli.stats.ties'):>8} " + " ".join(f"{say(f'cli.stats.sector.{s}'):>10}" for s in SECTORS))
    typer.echo(header)
    typer.echo("-" * len(header))
    for code in [*names, None]:
        counted = [by_region[(code, sector)] for sector in SECTORS]
        name = names[code] if code else say("cli.stats.elsewhere")
        typer.echo(f"{code or '-':6} {name[:28]:28} {sum(counted):7} {ties[code]:8} "
                   + " ".join(f"{count:10}" for count in counted))
    typer.echo("\n" + ", ".join(texts().plural(f"cli.count.{table}", len(dataset.table(table)))
                               for table in ("actors", "collaborations", "regions", "indicators")))


@app.command(help="cli.help.generate")
def generate(
    path: Annotated[Path, typer.Argument(help="cli.help.generate.path")],
    actors: Annotated[int, typer.Option(min=1, help="cli.help.generate.actors")] = 1000,
    seed: Annotated[int, typer.Option(help="cli.help.generate.seed")] = 0,
    ties_per_actor: Annotated[float, typer.Option(min=0.0, help="cli.help.generate.ties_per_actor")] = 5.0,
    format: Annotated[Format, typer.Option("--format", "-f", help="cli.help.generate.format")] = Format.csv,
) -> None:
    if format.value not in DATASET_FORMATS:
        fail(say("cli.generate.formats"))
    dataset = generate_dataset(actors, seed, ties_per_actor)
    for file in export_files(dataset, None, path, format.value):
        typer.echo(say("cli.wrote", path=file))


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"


RegionOption = Annotated[str | None, typer.Option("--region", "-r", help="cli.help.region_or_country")]
OneRegionOption = Annotated[str, typer.Option("--region", "-r", help="cli.help.region")]
SectorOption = Annotated[list[str] | None, typer.Option("--sector", help="cli.help.sector")]
CapabilityOption = Annotated[list[str] | None, typer.Option("--capability", help="cli.help.capability")]
StatusOption = Annotated[list[str] | None, typer.Option("--status", help="cli.help.status")]


def _options(sector: list[str] | None, capability: list[str] | None, status: list[str] | None,
             since: str | None, until: str | None, top: int, k: int, steps: int, as_of: str | None = None) -> Options:
    try:
        return Options(sectors=tuple(choice(s, SECTORS, "sector") for s in sector or ()),
                       capabilities=tuple(choice(c, CAPABILITIES, "capability") for c in capability or ()),
                       statuses=tuple(choice(s, STATUSES, "status") for s in status or ()),
                       since=partial_date(since), until=partial_date(until), as_of=partial_date(as_of), top=top,
                       k=k, steps=steps)
    except Invalid as error:
        fail(error)


def _show(result: Any, tables: dict[str, pd.DataFrame], format: ReportFormat, output: Path | None,
          info: list[tuple[str, Any]] | None = None) -> None:
    """Print ``result`` in ``format``, or write it to ``output`` and say so (with ``info``, what the files hold:
    the dataset version and the options used)."""
    if format in (ReportFormat.csv, ReportFormat.xlsx) and output is None:
        fail(say("cli.needs_output", format=format.value))
    typer.echo(render(result, tables, format.value, output, texts().lang, info))


@app.command(help="cli.help.analyze")
def analyze(
    region: RegionOption = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    output: OutputOption = None,
    sector: SectorOption = None,
    capability: CapabilityOption = None,
    status: StatusOption = None,
    since: Annotated[str | None, typer.Option(help="cli.help.analyze.since")] = None,
    until: Annotated[str | None, typer.Option(help="cli.help.analyze.until")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="cli.help.analyze.as_of")] = None,
    top: Annotated[int, typer.Option(min=1, help="cli.help.analyze.top")] = 20,
    k: Annotated[int, typer.Option(min=1, help="cli.help.analyze.k")] = 5,
    steps: Annotated[int, typer.Option(min=1, max=2, help="cli.help.analyze.steps")] = 1,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    options = _options(sector, capability, status, since, until, top, k, steps, as_of)
    with connect(store, db) as source:
        try:
            check_region(source, region)
            report = analysed(source).report(source.version(), region, options)
        except StoreError as error:
            fail(error)
    lang = texts().lang
    info = about(lang, report.version, region, options)
    if options.as_of:
        info.append((say("history.cli.rule"), say(RULE)))
        if format == ReportFormat.table:
            typer.echo(say(RULE) + "\n")
    _show(report, report_tables(report, lang), format, output, info)


@app.command(help="cli.help.compare")
def compare(
    regions: Annotated[list[str] | None, typer.Argument(help="cli.help.compare.regions")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    output: OutputOption = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    with connect(store, db) as source:
        try:
            for code in regions or ():
                check_region(source, code)
            rows = analysed(source).comparison(source.version(), tuple(regions or ()))
        except StoreError as error:
            fail(error)
    _show(rows, {"comparison": pd.DataFrame([row.model_dump() for row in rows])}, format, output)


@app.command("what-if", help="cli.help.what_if")
def what_if_command(
    region: OneRegionOption,
    remove: Annotated[list[str] | None, typer.Option(help="cli.help.what_if.remove")] = None,
    add: Annotated[list[str] | None, typer.Option(help="cli.help.what_if.add")] = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    pairs = [tuple(pair.split(":", 1)) for pair in add or ()]
    if any(len(pair) != 2 for pair in pairs):
        fail(say("cli.whatif.pair"))
    with connect(store, db) as source:
        try:
            check_region(source, region)
            service = Service(lambda: source)
            version = source.version()
            graph = service.graph(version, region)
            unknown = [actor for actor in [*(remove or ()), *(end for pair in pairs for end in pair)]
                       if actor not in graph]
            if unknown:
                fail(say("cli.whatif.unknown_actor", actor=unknown[0]))
            change = service.what_if(version, region, Options(), tuple(remove or ()), tuple(pairs))  # type: ignore[arg-type]
        except StoreError as error:
            fail(error)
    for name in ("components", "fragmentation", "ei_index", "reach_share"):
        typer.echo(f"{say(f'cli.whatif.{name}'):26} {figure(getattr(change.before, name)):>10} -> "
                   f"{figure(getattr(change.after, name)):>10}")


@app.command(help="cli.help.history")
def history(store: StoreOption = None, db: DbOption = None) -> None:
    with connect(store, db) as source:
        try:
            found = versions(source)
        except StoreError as error:
            fail(error)
    if not found:
        typer.echo(say("history.cli.empty"))
    for done in found:
        tables = [say("history.cli.counts", table=say(f"cli.table.{table}"), added=done.added[table],
                      updated=done.updated[table], removed=done.removed[table])
                  for table in TABLES if done.added[table] or done.updated[table] or done.removed[table]]
        typer.echo(f"v{done.version:<5} {done.when}  {say(f'history.source.{done.source}'):14} {done.who:14} "
                   + ("; ".join(tables) or say("history.cli.nothing")))


class ShortFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(help="cli.help.changes")
def changes(
    region: OneRegionOption,
    start: Annotated[str, typer.Option("--from", help="cli.help.changes.from")],
    end: Annotated[str, typer.Option("--to", help="cli.help.changes.to")],
    format: Annotated[ShortFormat, typer.Option("--format", "-f")] = ShortFormat.table,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    with connect(store, db) as source:
        try:
            check_region(source, region)
            found = region_changes(source, region, start, end)
        except (StoreError, Invalid) as error:
            fail(error)
    if format == ShortFormat.json:
        typer.echo(found.model_dump_json(indent=2))
        return
    lang = texts().lang
    typer.echo(say("history.cli.changes", region=region, start=found.start.asked, end=found.end.asked))
    typer.echo("\n".join(f"- {getattr(change, f'text_{lang}')}" for change in found.changes))
    typer.echo("\n" + getattr(found, f"rule_{lang}"))


@app.command("follow-up", help="cli.help.follow_up")
def follow_up(
    region: Annotated[str | None, typer.Option("--region", "-r", help="cli.help.follow_up.region")] = None,
    since: Annotated[int | None, typer.Option("--since", min=1, help="cli.help.follow_up.since")] = None,
    at: Annotated[int | None, typer.Option("--at", min=1, help="cli.help.follow_up.at")] = None,
    format: Annotated[ShortFormat, typer.Option("--format", "-f")] = ShortFormat.table,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    with connect(store, db) as source:
        try:
            check_region(source, region)
            found = follow_up_of(source, since, at, region)
        except StoreError as error:
            fail(error)
    if format == ShortFormat.json:
        typer.echo(found.model_dump_json(indent=2))
        return
    lang = texts().lang
    typer.echo(say("history.cli.follow", since=found.since, since_time=found.since_time, at=found.at,
                   at_time=found.at_time))
    for done in found.regions:
        typer.echo(f"\n{done.region}: {getattr(done, f'text_{lang}')}")
        typer.echo("\n".join(f"  - {getattr(item, f'text_{lang}')}" for item in done.items))


def figure(value: float | None) -> str:
    """A what-if figure as printed: at most four decimals, and a missing one said as missing (not "None").

    >>> figure(0.7037037037037037), figure(2), figure(None) in ("s/d", "n/a")
    ('0.7037', '2', True)
    """
    return say("cli.missing") if value is None else str(round(value, 4))


def _register_plugins() -> None:
    for entry in entry_points(group="ecograph.commands"):
        command = entry.load()
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=entry.name)
        else:
            app.command(entry.name)(command)


app.add_typer(campaign_app, name="campaign")
_register_plugins()
