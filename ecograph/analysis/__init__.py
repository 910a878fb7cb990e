"""The analysis engine: plain functions over networkx graphs, and the reports built from them.

Entry points: :func:`region_report` (one region, or the country) and :func:`comparison_row`;
:class:`ecograph.service.Service` computes them once per dataset version.
"""

from ecograph.analysis.convene import convene, what_if
from ecograph.analysis.models import ComparisonRow, Gap, Opportunity, RegionReport
from ecograph.analysis.report import Options, comparison_row, ranked, region_report

__all__ = ["ComparisonRow", "Gap", "Opportunity", "Options", "RegionReport", "comparison_row", "convene", "ranked",
           "region_report", "what_if"]
