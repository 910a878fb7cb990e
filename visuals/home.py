"""What the home page and the compare page show beyond the regions' rows: the map of Peru, the score against the
one expected from internet access, the chart and the periods of the internet figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from visuals import charts, views
from visuals.i18n import Texts
from visuals.peru_map import peru_map


def internet_periods(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The regions whose internet figure is of each period, periods in order (the figures are not all of one
    survey round, so the page says which is which).

    >>> internet_periods([{"name": "Cusco", "internet": {"period": "2023"}},
    ...                   {"name": "Ica", "internet": {"period": "2020-Q3"}}, {"name": "Puno", "internet": None}])
    {'2020-Q3': ['Ica'], '2023': ['Cusco']}
    """
    periods: dict[str, list[str]] = {}
    for row in rows:
        if row.get("internet"):
            periods.setdefault(row["internet"]["period"], []).append(row["name"])
    return dict(sorted(periods.items()))


def expected_scores(rows: Sequence[Mapping[str, Any]]) -> tuple[charts.Line | None, dict[str, float]]:
    """The least-squares line of score on internet access and each region's score against it
    (:func:`visuals.charts.against_expected`)."""
    return charts.against_expected([(row["code"], row["name"], row["internet"]["value"] if row["internet"] else None,
                                     row["score"]) for row in rows])


def home_context(rows: Sequence[Mapping[str, Any]], national: Any, chosen: str | None, texts: Texts) -> dict[str, Any]:
    """The home page's map, chart, figures against expected and internet periods, for the regions' ``rows``
    (:func:`visuals.views.scored`) and the national internet figure ``national`` (an Indicator, or None)."""
    fit, expected = expected_scores(rows)
    periods = internet_periods(rows)
    chart = charts.scatter([(row["code"], row["name"], row["internet"]["value"] if row["internet"] else None,
                             row["score"]) for row in rows], national.value if national else None,
                           periods={row["code"]: row["internet"]["period"] for row in rows if row["internet"]},
                           reference_period=national.period if national else None, fit=fit)
    periods_text = "; ".join(texts("internet_period_group", period=period, regions=", ".join(names))
                             for period, names in periods.items())
    return {"chart": chart, "expected": expected, "fit": fit, "periods": periods, "periods_text": periods_text,
            "peru": peru_map(rows, expected, chosen, texts) if rows else None}


def compare_context(summaries: Mapping[str, Mapping[str, Any]], compared: Mapping[str, Any],
                    codes: Sequence[str]) -> dict[str, Any]:
    """The compare page: one row per chosen region (``codes``) with its counts, score, score against expected
    (the line is fitted to every region, not only the chosen ones), internet figure, the engine's comparison
    figures (``compared``: ComparisonRow by code) and its actors by sector."""
    everyone = [views.scored(summary, compared.get(code)) for code, summary in summaries.items()]
    fit, expected = expected_scores(everyone)
    figures = views.figure_rows([compared.get(code) for code in codes])
    rows = [{**views.scored(summaries[code], compared.get(code)), "expected": expected.get(code),
             "figures": {name: values[index] for name, values in figures}} for index, code in enumerate(codes)]
    sectors = list(dict.fromkeys(sector for row in rows for sector in row["sectors"]))
    return {"rows": rows, "fit": fit, "figure_names": [name for name, _ in figures], "sectors": sectors}
