"""Reports as text: a terminal table, Markdown, JSON, CSV files or an xlsx workbook (through pandas)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from ecograph.analysis.models import RegionReport


def report_tables(report: RegionReport) -> dict[str, pd.DataFrame]:
    """A region report as named tables: summary, measures, gaps, opportunities, convening."""
    s = report.structure
    summary = pd.DataFrame([
        ("region", report.region or "PE"), ("dataset version", report.version), ("actors", s.actors),
        ("ties", s.ties), ("density", round(s.density, 4)), ("components", s.components),
        ("fragmentation", round(s.fragmentation, 4)), ("E-I index", s.ei_index),
        ("sector assortativity", s.assortativity), ("ties outside the region", s.outside_ties),
        ("ties to national actors", s.national_ties), ("modularity", report.modularity),
        ("betweenness", report.betweenness_method)], columns=["figure", "value"])
    measures = pd.DataFrame([{**m.model_dump(exclude={"brokerage"}), **m.brokerage} for m in report.measures])
    if not measures.empty:
        measures = measures.sort_values(["local", "betweenness", "id"], ascending=[False, False, True])
    gaps = pd.DataFrame([{**g.model_dump(), "actors": ";".join(g.actors)} for g in report.gaps],
                        columns=list(report.model_fields["gaps"].annotation.__args__[0].model_fields))  # type: ignore[union-attr]
    opportunities = pd.DataFrame([{**o.model_dump(), "shared_partners": ";".join(o.shared_partners),
                                   "reasons": ";".join(o.reasons)} for o in report.opportunities])
    convening = pd.DataFrame({"actor": report.convening.actors})
    return {"summary": summary, "measures": measures, "gaps": gaps, "opportunities": opportunities,
            "convening": convening}


COMPACT = {"measures": ["id", "sector", "local", "degree", "betweenness", "pagerank", "constraint", "community"],
           "gaps": ["severity", "kind", "text_en"], "opportunities": ["score", "text_en"]}


def render(result: BaseModel | list[BaseModel], tables: dict[str, pd.DataFrame], format: str,
           output: Path | None) -> str:
    """Write or return ``result`` in ``format``; the message to print."""
    if format == "json":
        data = [r.model_dump(mode="json") for r in result] if isinstance(result, list) else result.model_dump(
            mode="json")
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif format == "md":
        text = "\n\n".join(f"## {name}\n\n{markdown(table)}" for name, table in tables.items())
    elif format == "table":
        with pd.option_context("display.max_rows", 60, "display.max_columns", 12, "display.width", 160,
                               "display.max_colwidth", 60):
            text = "\n\n".join(
                f"== {name} ==\n" + (table[COMPACT[name]] if name in COMPACT and not table.empty else table)
                .head(30).to_string(index=False) for name, table in tables.items())
    elif format == "csv":
        assert output is not None
        output.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            table.to_csv(output / f"{name}.csv", index=False)
        return "\n".join(f"wrote {output / name}.csv" for name in tables)
    else:
        assert output is not None
        with pd.ExcelWriter(output) as workbook:
            for name, table in tables.items():
                table.to_excel(workbook, sheet_name=name, index=False)
        return f"wrote {output}"
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
        return f"wrote {output}"
    return text


def markdown(table: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table, with ``|`` in cells escaped."""
    def cell(value: object) -> str:
        return "" if value is None or value != value else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)
