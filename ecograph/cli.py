"""The ``ecograph`` command line.

Other packages add commands through the ``ecograph.commands`` entry-point group (the web
service adds ``serve`` and ``token`` that way), so the core never imports them.
"""

from __future__ import annotations

import sys
from collections import Counter
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, NoReturn

import pandas as pd
import typer
from tqdm import tqdm

from ecograph.analysis import Options, compare_regions, region_report, what_if
from ecograph.analysis.output import render, report_tables
from ecograph.generate import generate_dataset
from ecograph.graph import collapse
from ecograph.model import CAPABILITIES, SECTORS, STATUSES, choice, partial_date
from ecograph.readers import check_dataset, describe
from ecograph.stores import Store, StoreError, open_store
from ecograph.writers import DATASET_FORMATS
from ecograph.writers import export as export_files

app = typer.Typer(help="ecograph: map and analyze a region's digital ecosystem.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)

StoreOption = Annotated[str | None, typer.Option(
    "--store", envvar="ECOGRAPH_STORE", show_envvar=True,
    help="SQLite file or neo4j:// URI [default: ./ecograph.db]")]
DbOption = Annotated[Path | None, typer.Option("--db", help="SQLite file (shorthand for --store PATH)")]


class Format(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    graphml = "graphml"
    gexf = "gexf"


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def connect(store: str | None, db: Path | None) -> Store:
    """Open the store chosen by --store / --db / ECOGRAPH_STORE, or exit with a clear message."""
    if store and db:
        fail("give either --store or --db, not both")
    try:
        return open_store(str(db) if db else store)
    except StoreError as error:
        fail(str(error))


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="folder of CSV files, .xlsx workbook or .json file")]) -> None:
    """Check a dataset and list every problem as file:row:column: message (exit code 1 if any)."""
    dataset, problems = check_dataset(path)
    if problems or dataset is None:
        typer.echo(describe(problems))
        typer.echo(f"{len(problems)} problem(s); nothing was loaded.", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {len(dataset.regions)} regions, {len(dataset.indicators)} indicators, "
               f"{len(dataset.actors)} actors, {len(dataset.collaborations)} collaborations")


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="folder of CSV files, .xlsx workbook or .json file")],
    replace: Annotated[bool, typer.Option(help="also remove what the dataset lacks, so the store equals it")] = False,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    """Load a dataset into the store: all or nothing, and loading the same data twice changes nothing."""
    dataset, problems = check_dataset(path)
    if problems or dataset is None:
        typer.echo(describe(problems))
        typer.echo(f"{len(problems)} problem(s); nothing was loaded.", err=True)
        raise typer.Exit(1)
    with connect(store, db) as target:
        total = sum(len(dataset.table(table)) for table in ("regions", "indicators", "actors", "collaborations"))
        # disable=None: a bar on a terminal, silence when piped
        with tqdm(total=total, unit="rows", disable=None, file=sys.stderr, leave=False) as bar:
            try:
                summary = target.load(dataset, replace=replace, progress=bar.update)
            except StoreError as error:
                fail(f"{error}; nothing was loaded")
    for table in summary.added:
        typer.echo(f"{table:15} +{summary.added[table]} added, ~{summary.updated[table]} updated, "
                   f"-{summary.removed[table]} removed, {summary.unchanged[table]} unchanged")
    typer.echo(f"dataset version {summary.version}" + ("" if summary.changed else " (nothing changed)"))


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="folder (csv) or file (xlsx, json, graphml, gexf) to write")],
    format: Annotated[Format, typer.Option("--format", "-f", help="output format")] = Format.csv,
    region: Annotated[str | None, typer.Option(help="only this region's actors, their ties and partners")] = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    """Write the stored data back out; csv, xlsx and json read back as the identical dataset."""
    with connect(store, db) as source:
        try:
            dataset = source.dataset(region)
            graph = source.graph(region) if format not in DATASET_FORMATS else None
        except StoreError as error:
            fail(str(error))
    written = export_files(dataset, graph, path, format.value)
    typer.echo("\n".join(f"wrote {file}" for file in written))


@app.command()
def stats(store: StoreOption = None, db: DbOption = None) -> None:
    """Count actors and ties per region and sector."""
    with connect(store, db) as source:
        try:
            dataset = source.dataset()
        except StoreError as error:
            fail(str(error))
    home = {actor.id: actor.region for actor in dataset.actors}
    ties = Counter(region for tie in dataset.collaborations
                   for region in {home[tie.source], home[tie.target]})
    by_region = Counter((actor.region, actor.sector) for actor in dataset.actors)
    names = {region.code: region.name for region in dataset.regions}
    header = f"{'code':5} {'region':28} {'actors':>6} {'ties':>5} " + " ".join(f"{s[:8]:>8}" for s in SECTORS)
    typer.echo(header)
    typer.echo("-" * len(header))
    for code in [*names, None]:
        counts = [by_region[(code, sector)] for sector in SECTORS]
        name = names.get(code, "(national / international)") if code else "(national / international)"
        typer.echo(f"{code or '-':5} {name[:28]:28} {sum(counts):6} {ties[code]:5} "
                   + " ".join(f"{count:8}" for count in counts))
    typer.echo(f"\n{len(dataset.actors)} actors, {len(dataset.collaborations)} collaborations, "
               f"{len(dataset.regions)} regions, {len(dataset.indicators)} indicators")


@app.command()
def generate(
    path: Annotated[Path, typer.Argument(help="where to write the dataset")],
    actors: Annotated[int, typer.Option(min=1, help="number of actors")] = 1000,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives the same dataset")] = 0,
    ties_per_actor: Annotated[float, typer.Option(min=0.0, help="average ties per actor")] = 5.0,
    format: Annotated[Format, typer.Option("--format", "-f", help="csv, xlsx or json")] = Format.csv,
) -> None:
    """Write a synthetic dataset of any size (for benchmarks and tests)."""
    if format.value not in DATASET_FORMATS:
        fail("generate writes csv, xlsx or json")
    dataset = generate_dataset(actors, seed, ties_per_actor)
    for file in export_files(dataset, None, path, format.value):
        typer.echo(f"wrote {file}")


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"


RegionOption = Annotated[str | None, typer.Option("--region", "-r", help="region code; omit for the whole country")]
SectorOption = Annotated[list[str] | None, typer.Option("--sector", help="keep only these sectors (repeatable)")]
CapabilityOption = Annotated[list[str] | None, typer.Option("--capability", help="keep actors with any of these")]
StatusOption = Annotated[list[str] | None, typer.Option("--status", help="keep ties with these statuses")]


def _options(sector: list[str] | None, capability: list[str] | None, status: list[str] | None,
             since: str | None, until: str | None, top: int, k: int, steps: int) -> Options:
    try:
        return Options(sectors=tuple(choice(s, SECTORS, "sector") for s in sector or ()),
                       capabilities=tuple(choice(c, CAPABILITIES, "capability") for c in capability or ()),
                       statuses=tuple(choice(s, STATUSES, "status") for s in status or ()),
                       since=partial_date(since), until=partial_date(until), top=top, k=k, steps=steps)
    except ValueError as error:
        fail(str(error))


@app.command()
def analyze(
    region: RegionOption = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (folder for csv) to write")] = None,
    sector: SectorOption = None,
    capability: CapabilityOption = None,
    status: StatusOption = None,
    since: Annotated[str | None, typer.Option(help="keep ties active on or after this date")] = None,
    until: Annotated[str | None, typer.Option(help="keep ties started on or before this date")] = None,
    top: Annotated[int, typer.Option(min=1, help="how many opportunities")] = 20,
    k: Annotated[int, typer.Option(min=1, help="size of the convening set")] = 5,
    steps: Annotated[int, typer.Option(min=1, max=2, help="reach of the convening set, in steps")] = 1,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    """Measures, structure, gaps, bridging opportunities and the convening set of a region."""
    options = _options(sector, capability, status, since, until, top, k, steps)
    with connect(store, db) as source:
        try:
            report = region_report(source.graph(region), options)
        except StoreError as error:
            fail(str(error))
    tables = report_tables(report)
    if format in (ReportFormat.csv, ReportFormat.xlsx) and output is None:
        fail(f"--format {format.value} writes files; give --output")
    typer.echo(render(report, tables, format.value, output))


@app.command()
def compare(
    regions: Annotated[list[str] | None, typer.Argument(help="region codes; all regions when omitted")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (folder for csv) to write")] = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    """One row per region, sorted by ecosystem score, with household internet access."""
    with connect(store, db) as source:
        try:
            rows = compare_regions(source, regions)
        except StoreError as error:
            fail(str(error))
    if regions and len(rows) < len(set(regions)):
        fail(f"unknown region among {', '.join(regions)}; see `ecograph stats` for the codes")
    if format in (ReportFormat.csv, ReportFormat.xlsx) and output is None:
        fail(f"--format {format.value} writes files; give --output")
    table = pd.DataFrame([row.model_dump() for row in rows])
    typer.echo(render(rows, {"comparison": table}, format.value, output))


@app.command("what-if")
def what_if_command(
    region: Annotated[str, typer.Option("--region", "-r", help="region code")],
    remove: Annotated[list[str] | None, typer.Option(help="actor id to remove (repeatable)")] = None,
    add: Annotated[list[str] | None, typer.Option(help="tie to add as SOURCE:TARGET (repeatable)")] = None,
    store: StoreOption = None,
    db: DbOption = None,
) -> None:
    """Before and after: components, fragmentation, E-I index and convening reach."""
    pairs = [tuple(pair.split(":", 1)) for pair in add or ()]
    if any(len(pair) != 2 for pair in pairs):
        fail("write each added tie as SOURCE:TARGET, e.g. --add unc:camara-cajamarca")
    with connect(store, db) as source:
        try:
            graph = collapse(source.graph(region))
        except StoreError as error:
            fail(str(error))
    try:
        change = what_if(graph, remove or (), pairs)  # type: ignore[arg-type]
    except KeyError as error:
        fail(str(error.args[0]))
    for name in ("components", "fragmentation", "ei_index", "reach_share"):
        typer.echo(f"{name:15} {getattr(change.before, name)!s:>10} -> {getattr(change.after, name)!s:>10}")


def _register_plugins() -> None:
    for entry in entry_points(group="ecograph.commands"):
        command = entry.load()
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=entry.name)
        else:
            app.command(entry.name)(command)


_register_plugins()
