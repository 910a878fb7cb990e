"""The analysis engine: plain functions over networkx graphs, and the reports built from them.

Entry points: :func:`region_report` (one region, or the country) and :func:`compare_regions`.
"""

from ecograph.analysis.convene import convene, what_if
from ecograph.analysis.models import ComparisonRow, Gap, Opportunity, RegionReport
from ecograph.analysis.report import Options, compare_regions, region_report

__all__ = ["ComparisonRow", "Gap", "Opportunity", "Options", "RegionReport", "compare_regions", "convene",
           "region_report", "what_if"]
