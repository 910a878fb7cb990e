"""The regions a map from another tool refers to.

Kumu maps, Gephi tables and other tools' GraphML or GEXF files hold actors and ties, never ecograph's regions
table. Their actors' regions are read against the regions already known where the map goes: the store's
(``ecograph load``, ``POST /api/v1/import``), or, when the store has none (or ``ecograph validate`` is run
without a store), INEI's list of Peru's regions below (code and name only). A region may be written as its code
(``06``, ``6``) or its name (``Cajamarca``, ``cajamarca``; accents and case do not matter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecograph.model import Indicator, Region, fold, region_code

INEI = (
    ("01", "Amazonas"), ("02", "Áncash"), ("03", "Apurímac"), ("04", "Arequipa"), ("05", "Ayacucho"),
    ("06", "Cajamarca"), ("07", "Callao"), ("08", "Cusco"), ("09", "Huancavelica"), ("10", "Huánuco"),
    ("11", "Ica"), ("12", "Junín"), ("13", "La Libertad"), ("14", "Lambayeque"), ("15a", "Lima Metropolitana"),
    ("15b", "Lima Provincias"), ("16", "Loreto"), ("17", "Madre de Dios"), ("18", "Moquegua"), ("19", "Pasco"),
    ("20", "Piura"), ("21", "Puno"), ("22", "San Martín"), ("23", "Tacna"), ("24", "Tumbes"), ("25", "Ucayali"),
)
"""INEI's regional units, Lima split in two as INEI reports it (the codes of ``data/peru/regions.csv``)."""


@dataclass(frozen=True)
class Known:
    """What a map is read against: the regions (and indicators, kept as they are) of where it goes."""

    regions: list[Region] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    @classmethod
    def peru(cls) -> Known:
        """INEI's regions, code and name only."""
        return cls([Region(code=code, name=name, source="INEI") for code, name in INEI])

    def or_peru(self) -> Known:
        """These regions, or INEI's when there are none."""
        return self if self.regions else Known(Known.peru().regions, self.indicators)


def resolve(value: Any, regions: list[Region]) -> Any:
    """The code of the region ``value`` names (by code or name), or ``value`` itself when none matches.

    >>> regions = Known.peru().regions
    >>> resolve("Cajamarca", regions), resolve("6", regions), resolve("junin", regions), resolve("Atlantis", regions)
    ('06', '06', '12', 'Atlantis')
    """
    text = str(value if value is not None else "").strip()
    if not text:
        return value
    codes = {region.code for region in regions}
    if region_code(text) in codes:
        return region_code(text)
    names = {fold(region.name): region.code for region in regions}
    return names.get(fold(text), value)
