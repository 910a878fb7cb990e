"""Build the bundled Peru dataset, ``data/peru/``, from the compiled reference facts.

    .venv/bin/python scripts/build_peru_data.py

Reads the reference folder ``../shared/reference`` (relative to the repository root) and writes
``regions.csv``, ``indicators.csv``, ``actors.csv``, ``collaborations.csv`` (through
:func:`ecograph.writers.write_csv`) and ``README.md`` into ``data/peru/``. The CSVs are committed, so
nothing else ever needs to run this. It is deterministic: one ``random.Random(2024)`` drawn in a fixed
order, so running it twice gives byte-identical files.

1. regions       INEI's regional units, Lima split into 15a (Lima Metropolitana) and 15b (Lima Provincias)
2. indicators    every figure of the two reference indicator tables, in long format
3. real actors   the 71 reference institutions, plus the partners that documented collaborations name
4. real ties     the 24 documented collaborations expanded into pairs, plus the challenge statement's
5. illustrative  a generic regional layer, with a different network structure in each region (PROFILES)
6. checks        the structure each profile promises is verified before anything is written
7. README        what is real, what is illustrative, and the conventions
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import networkx as nx

from ecograph.graph import build_graph, collapse
from ecograph.model import NATIONAL, Actor, Collaboration, Dataset, Indicator, Region, fold, slugify
from ecograph.writers import write_csv

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / ".." / "shared" / "reference"
OUT = ROOT / "data" / "peru"
SEED = 2024
TODAY_YEAR = 2026  # a tie whose end year is before this one has ended
CHALLENGE = "Challenge statement, UNDP Accelerator Lab Peru"
NOT_VERIFIED = "Not verified against a public source (listed as a known institution in the compiled reference)"


def read_reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------------
# 1. Regions
# ---------------------------------------------------------------------------------------------------

CENSUS = "INEI, Censos Nacionales 2017"
COORDINATES = "capital coordinates from the compiled reference table"


def census_note(pop_source: str) -> str:
    if "recalled" in pop_source:
        return f"{CENSUS} (population recalled, not re-verified; consistent with the national total 29,381,884)"
    return f"{CENSUS} (population via Gestión/Correo)"


def build_regions(departments: list[dict[str, str]]) -> list[Region]:
    regions = []
    for row in departments:
        code = row["ubigeo_inei"]
        if code == "15":  # the whole Lima department is not an INEI reporting unit: see 15a and 15b
            continue
        if code == "15a":
            regions.append(Region(
                code=code, name="Lima Metropolitana", capital="Lima", population=int(row["pop_census_2017"]),
                latitude=float(row["capital_lat"]), longitude=float(row["capital_lon"]),
                source=f"Provincia de Lima (43 districts, UBIGEO province 1501). {census_note(row['pop_source'])}; "
                       f"{COORDINATES}. INEI's 'Lima Metropolitana' in ENAHO also includes Callao (07): "
                       "survey figures published for Lima Metropolitana are attached to this unit."))
        elif code == "15b":
            regions.append(Region(
                code=code, name="Lima Provincias", capital="Huacho", population=int(row["pop_census_2017"]),
                latitude=-11.1067, longitude=-77.6050,
                source="Región Lima / Lima Provincias: the provinces Barranca, Cajatambo, Canta, Cañete, Huaral, "
                       f"Huarochirí, Huaura, Oyón and Yauyos; seat of the Gobierno Regional de Lima. "
                       f"{census_note(row['pop_source'])}. The coordinates of Huacho are not in the reference "
                       "table: added by hand, approximate."))
        else:
            regions.append(Region(
                code=code, name=row["department"], capital=row["capital"], population=int(row["pop_census_2017"]),
                latitude=float(row["capital_lat"]), longitude=float(row["capital_lon"]),
                source=f"{census_note(row['pop_source'])}; {COORDINATES}."))
    return regions


# ---------------------------------------------------------------------------------------------------
# 2. Indicators
# ---------------------------------------------------------------------------------------------------

PERCENT = "percent"
LIMA_METRO_NOTE = ("INEI's 'Lima Metropolitana' (Provincia de Lima and Callao) is attached to 15a "
                   "(Provincia de Lima).")
RESTO_URBANO_NOTE = "Area 'resto urbano' in INEI's terms: urban areas outside Lima Metropolitana."
APPROXIMATE_NOTE = "Period approximate: the source gives the latest ENAHO figure, about 2023 (per REDES)."
SEED_SOURCE = ("INEI, Estadísticas de las TIC en los hogares, first quarter 2020, as quoted in the UNDP "
               "Accelerator Lab Peru challenge statement")
MOBILE_SOURCE = ("INEI, ENAHO {period}: households with at least one member who has a mobile phone, by department "
                 "(compiled reference table; the publication's address was not recorded)")
MOBILE_MISSING = ("Published by INEI but not captured in the compiled table (Pasco to Ucayali are missing); "
                  "left empty, not estimated.")

# ict_indicators.csv: (scope, area) -> (region code, area), for the rows that are not one department.
NATIONAL_AREAS = {
    ("Peru", "National"): (NATIONAL, "total"),
    ("Peru", "Rural"): (NATIONAL, "rural"),
    ("Peru", "Resto urbano"): (NATIONAL, "urban"),
    ("Peru", "Lima Metropolitana"): ("15a", "total"),
}
# households_mobile_phone_by_dept_2016.csv: rows that are not one department.
MOBILE_ROWS = {
    "Total Peru": (NATIONAL, "total"),
    "Urbana": (NATIONAL, "urban"),
    "Rural": (NATIONAL, "rural"),
    "Provincia de Lima": ("15a", "total"),
    "Región Lima": ("15b", "total"),
    "Lima Metropolitana": None,   # Provincia de Lima + Callao: 15a takes the Provincia de Lima row instead
    "Lima (departamento)": None,  # the whole department fits neither 15a nor 15b
}


def indicator_name(text: str) -> str:
    """``households_with_only_mobile_phone(no_fixed)`` -> ``households_with_only_mobile_phone_no_fixed``."""
    return "_".join(part for part in fold(text).replace("(", "_").replace(")", "_").split("_") if part)


def build_indicators(ict: list[dict[str, str]], mobile: list[dict[str, str]],
                     codes: dict[str, str]) -> tuple[list[Indicator], list[str]]:
    """All reference figures as indicators, and a list of the figures left out (for the README)."""
    indicators: list[Indicator] = []
    left_out: list[str] = []
    for row in ict:
        scope, area, period = row["scope"], row["area"], row["period"]
        notes = []
        if (scope, area) in NATIONAL_AREAS:
            region, area_code = NATIONAL_AREAS[(scope, area)]
        elif scope == "Lima":
            left_out.append(f"{row['indicator']} {period} for the whole Lima department ({row['value_pct']}%, "
                            f"{row['source_url']})")
            continue
        else:
            region, area_code = codes[scope], {"Departamento": "total", "Rural": "rural"}[area]
        if area == "Resto urbano":
            notes.append(RESTO_URBANO_NOTE)
        if area == "Lima Metropolitana":
            notes.append(LIMA_METRO_NOTE)
        if period.startswith("~"):
            period = period[1:5]
            notes.append(APPROXIMATE_NOTE)
        where = row["source_url"] if row["source_url"].startswith("http") else SEED_SOURCE
        source = " ".join([f"{where} (reference status: {row['status']}).", *notes])
        indicators.append(Indicator(region=region, indicator=indicator_name(row["indicator"]), period=period,
                                    area=area_code, value=float(row["value_pct"]), unit=PERCENT, source=source))
    columns = {"2016": "households_with_member_with_mobile_2016_pct", "2007": "households_2007_pct"}
    listed = {row["department"] for row in mobile}
    for period, column in columns.items():
        for row in mobile:
            name = row["department"]
            target = MOBILE_ROWS[name] if name in MOBILE_ROWS else (codes[name], "total")
            if target is None:
                left_out.append(f"households_with_mobile_phone {period} for {name} ({row[column]}%)")
                continue
            indicators.append(Indicator(region=target[0], indicator="households_with_mobile_phone", period=period,
                                        area=target[1], value=float(row[column]), unit=PERCENT,
                                        source=MOBILE_SOURCE.format(period=period) + "."))
        for department, code in codes.items():  # the departments the table lacks stay visibly missing
            if department not in listed:
                indicators.append(Indicator(region=code, indicator="households_with_mobile_phone", period=period,
                                            value=None, unit=PERCENT,
                                            source=f"{MOBILE_SOURCE.format(period=period)}. {MOBILE_MISSING}"))
    return indicators, left_out


# ---------------------------------------------------------------------------------------------------
# 3. Real actors
# ---------------------------------------------------------------------------------------------------

class Meta(NamedTuple):
    """What the reference row of an actor lacks. Capabilities and target groups are editorial."""

    id: str
    type: str
    capabilities: str
    target_groups: str
    description: str
    name: str | None = None      # None keeps the reference name
    acronym: str | None = "="    # "=" keeps the reference acronym
    website: str | None = None   # only when sure
    scope: str | None = None     # None: from the reference region
    kind: str | None = None      # its place in a region's kit (see KINDS), for regional actors


# The 71 institutions of actors.csv, keyed by their reference name, in reference order.
REAL: dict[str, Meta] = {
    "Secretaría de Gobierno y Transformación Digital (PCM)": Meta(
        "sgtd-pcm", "agency", "e_government;policy;cybersecurity;data_statistics;digital_skills", "",
        "Ente rector del gobierno y la transformación digital del Estado, en la Presidencia del Consejo de Ministros."),
    "Laboratorio de Gobierno y Transformación Digital del Estado (PCM)": Meta(
        "labgob", "innovation_lab", "e_government;research_innovation;policy", "",
        "Laboratorio de innovación pública de la PCM (Ley 31449) que incuba laboratorios regionales."),
    "Ministerio de Transportes y Comunicaciones": Meta(
        "mtc", "ministry", "connectivity;policy", "rural",
        "Ministerio rector de los transportes y las telecomunicaciones.", website="https://www.gob.pe/mtc"),
    "Programa Nacional de Telecomunicaciones (MTC)": Meta(
        "pronatel", "program", "connectivity", "rural",
        "Programa del MTC que lleva banda ancha a localidades rurales y de extrema pobreza."),
    "Organismo Supervisor de Inversión Privada en Telecomunicaciones": Meta(
        "osiptel", "agency", "connectivity;policy;data_statistics", "",
        "Organismo regulador de los servicios de telecomunicaciones.", website="https://www.osiptel.gob.pe"),
    "Instituto Nacional de Estadística e Informática": Meta(
        "inei", "agency", "data_statistics", "",
        "Instituto que produce las estadísticas oficiales, entre ellas la Encuesta Nacional de Hogares.",
        website="https://www.inei.gob.pe"),
    "Consejo Nacional de Ciencia Tecnología e Innovación Tecnológica": Meta(
        "concytec", "agency", "research_innovation;financing;policy", "youth",
        "Ente rector del sistema nacional de ciencia, tecnología e innovación.",
        name="Consejo Nacional de Ciencia, Tecnología e Innovación Tecnológica", website="https://www.concytec.gob.pe"),
    "Ministerio de la Producción": Meta(
        "produce", "ministry", "entrepreneurship;e_commerce;digital_payments;policy", "msme;women",
        "Ministerio rector de la producción y de las micro y pequeñas empresas.", website="https://www.gob.pe/produce"),
    "ProInnóvate (ex Innóvate Perú; PRODUCE)": Meta(
        "proinnovate", "program", "financing;research_innovation;entrepreneurship", "msme;youth",
        "Programa de PRODUCE que cofinancia proyectos de innovación y emprendimiento.",
        name="ProInnóvate (ex Innóvate Perú, PRODUCE)"),
    "Programa Nacional de Diversificación Productiva (PRODUCE)": Meta(
        "pndp", "program", "e_commerce;digital_payments;entrepreneurship", "msme;women",
        "Programa de PRODUCE que fortalece y moderniza los mercados de abastos.",
        website="https://pndp.produce.gob.pe"),
    "Instituto Tecnológico de la Producción (PRODUCE)": Meta(
        "itp", "agency", "research_innovation;digital_skills;digital_agriculture", "msme",
        "Organismo de PRODUCE que gestiona la red de Centros de Innovación Productiva y Transferencia "
        "Tecnológica (CITE).", website="https://www.itp.gob.pe"),
    "Banco Central de Reserva del Perú": Meta(
        "bcrp", "agency", "digital_payments;policy;data_statistics", "",
        "Banco central; conduce la estrategia de interoperabilidad de los pagos minoristas.",
        website="https://www.bcrp.gob.pe"),
    "Agencia Peruana de Cooperación Internacional": Meta(
        "apci", "agency", "policy;financing", "",
        "Agencia que conduce la cooperación internacional no reembolsable del Perú."),
    "Ministerio de Educación": Meta(
        "minedu", "ministry", "e_learning;digital_skills;connectivity;data_statistics", "youth;rural",
        "Ministerio rector de la educación, fuente de las cifras de acceso escolar a internet.",
        website="https://www.gob.pe/minedu"),
    "Banco de la Nación": Meta(
        "bn", "financial", "financing;digital_payments", "rural",
        "Banco estatal con presencia en localidades donde no llega la banca privada."),
    "Agro Rural (MIDAGRI)": Meta(
        "agro-rural", "program", "digital_agriculture", "rural",
        "Programa del Ministerio de Desarrollo Agrario y Riego para la agricultura familiar.",
        name="Programa de Desarrollo Productivo Agrario Rural (AGRO RURAL, MIDAGRI)"),
    "Tu Empresa (PRODUCE)": Meta(
        "tu-empresa", "program", "entrepreneurship;e_commerce;digital_payments", "msme",
        "Programa de PRODUCE para la formalización y digitalización de las micro y pequeñas empresas."),
    "Gobierno Regional de Cajamarca (Dirección Regional de Transformación Digital)": Meta(
        "gore-cajamarca", "regional_government", "e_government;policy;connectivity", "rural",
        "Gobierno regional que creó la primera Dirección Regional de Transformación Digital del país.",
        name="Gobierno Regional de Cajamarca", kind="gobierno-regional"),
    "Municipalidad Provincial de Cajamarca": Meta(
        "municipalidad-cajamarca", "municipality", "e_government;policy", "",
        "Gobierno local de la provincia de Cajamarca.", scope="local", kind="municipalidad-capital"),
    "Universidad Nacional de Cajamarca": Meta(
        "unc", "university", "research_innovation;digital_skills;digital_agriculture", "youth;rural",
        "Universidad pública de Cajamarca, promotora de un parque científico-tecnológico.",
        website="https://www.unc.edu.pe", kind="universidad-publica"),
    "Universidad Nacional de Jaén": Meta(
        "unj", "university", "research_innovation;digital_skills", "youth;rural",
        "Universidad pública de Jaén, promotora de un parque científico-tecnológico.", kind="universidad-publica"),
    "Universidad Privada Antonio Guillermo Urrelo": Meta(
        "upagu", "university", "digital_skills;e_learning", "youth",
        "Universidad privada de Cajamarca.", kind="universidad-privada"),
    "Universidad Privada del Norte – sede Cajamarca": Meta(
        "upn-cajamarca", "university", "digital_skills;e_learning;entrepreneurship", "youth",
        "Sede en Cajamarca de una universidad privada del norte del país.", kind="universidad-privada"),
    "Cámara de Comercio y Producción de Cajamarca": Meta(
        "camara-comercio-cajamarca", "chamber", "entrepreneurship;e_commerce;policy", "msme",
        "Gremio empresarial de Cajamarca.", kind="camara-comercio"),
    "Mesa de Concertación para la Lucha contra la Pobreza (Cajamarca)": Meta(
        "mclcp-cajamarca", "network", "policy", "rural;women",
        "Espacio de concertación entre Estado y sociedad civil en Cajamarca.", kind="mesa-innovacion"),
    "Newmont ALAC (Asociación Los Andes de Cajamarca)": Meta(
        "alac", "foundation", "financing;digital_skills;entrepreneurship", "rural;msme",
        "Asociación de la empresa minera Newmont que financia programas de desarrollo territorial.",
        name="Asociación Los Andes de Cajamarca (Newmont)", kind="fundacion-minera"),
    "ITP Unidad Técnica Cajamarca (forestal/madera)": Meta(
        "itp-ut-cajamarca", "innovation_center", "research_innovation;digital_skills", "msme",
        "Unidad técnica del ITP para productos forestales y de madera.",
        name="ITP – Unidad Técnica Cajamarca (forestal y madera)", kind="cite"),
    "CITE agropecuario Cedepas Norte": Meta(
        "cedepas-norte", "innovation_center", "digital_agriculture;research_innovation", "rural;msme",
        "CITE agropecuario privado gestionado por una ONG, con sedes en Trujillo y Cajamarca.", kind="cite"),
    "Gobierno Regional Cusco": Meta(
        "gore-cusco", "regional_government", "e_government;policy;connectivity", "rural;indigenous",
        "Gobierno regional del Cusco, contraparte del proyecto regional de banda ancha.",
        name="Gobierno Regional del Cusco", kind="gobierno-regional"),
    "Universidad Nacional de San Antonio Abad del Cusco": Meta(
        "unsaac", "university", "research_innovation;digital_skills;data_statistics", "youth;indigenous",
        "Universidad pública del Cusco, promotora de un parque científico-tecnológico.",
        website="https://www.unsaac.edu.pe", kind="universidad-publica"),
    "Universidad Andina del Cusco (executes DERCUSCO 2.0)": Meta(
        "uac", "university", "digital_skills;e_learning;research_innovation", "youth",
        "Universidad privada del Cusco que ejecuta el proyecto DERCUSCO 2.0.",
        name="Universidad Andina del Cusco", kind="universidad-privada"),
    "Universidad Continental – sede Cusco": Meta(
        "continental-cusco", "university", "digital_skills;e_learning", "youth",
        "Sede en el Cusco de una universidad privada.", kind="universidad-privada"),
    "Cámara de Comercio del Cusco": Meta(
        "camara-comercio-cusco", "chamber", "entrepreneurship;e_commerce", "msme",
        "Gremio empresarial del Cusco.", kind="camara-comercio"),
    "CITEtextil Camélidos Cusco (ITP)": Meta(
        "citetextil-camelidos-cusco", "innovation_center", "research_innovation;digital_skills", "msme;indigenous",
        "CITE público del ITP para la cadena textil de camélidos.", kind="cite"),
    "Dirección Desconcentrada de Cultura Cusco (MINCUL)": Meta(
        "ddc-cusco", "agency", "e_learning", "indigenous",
        "Oficina del Ministerio de Cultura en el Cusco, socia de recorridos virtuales de museos.", kind="ddc"),
    "Gobierno Regional de Tacna": Meta(
        "gore-tacna", "regional_government", "e_government;policy;research_innovation", "",
        "Gobierno regional de Tacna, socio del proyecto Tacna Innova.", kind="gobierno-regional"),
    "Universidad Nacional Jorge Basadre Grohmann": Meta(
        "unjbg", "university", "research_innovation;data_statistics;digital_skills", "youth;rural",
        "Universidad pública de Tacna con convenios de investigación y cooperación transfronteriza.",
        website="https://www.unjbg.edu.pe", kind="universidad-publica"),
    "Universidad Privada de Tacna": Meta(
        "upt", "university", "research_innovation;entrepreneurship;digital_skills", "youth;msme",
        "Universidad privada de Tacna, sede del proyecto Tacna Innova.", website="https://www.upt.edu.pe",
        kind="universidad-privada"),
    "Cámara de Comercio de Tacna": Meta(
        "camara-comercio-tacna", "chamber", "entrepreneurship;e_commerce", "msme",
        "Gremio empresarial de Tacna.", kind="camara-comercio"),
    "Zona Franca de Tacna": Meta(
        "zofratacna", "agency", "e_commerce;entrepreneurship", "msme",
        "Autoridad de la zona franca comercial e industrial de Tacna.", kind="zona-franca"),
    "Instituto Nacional de Innovación Agraria": Meta(
        "inia", "research_center", "research_innovation;digital_agriculture", "rural",
        "Instituto público de investigación agraria, con oficina en Tacna."),
    "CITEagroindustrial Moquegua (extension to Tacna 2025)": Meta(
        "citeagroindustrial-moquegua", "innovation_center", "research_innovation;digital_agriculture", "msme;rural",
        "CITE público del ITP para la agroindustria, ampliado a Tacna en 2025.",
        name="CITEagroindustrial Moquegua (ITP)", kind="cite"),
    "Empresa de Generación Eléctrica del Sur": Meta(
        "egesur", "company", "research_innovation", "",
        "Empresa estatal de generación eléctrica del sur del país.", kind="empresa-publica"),
    "Cámara de Comercio y Producción de La Libertad": Meta(
        "camara-comercio-la-libertad", "chamber", "entrepreneurship;e_commerce;policy", "msme",
        "Gremio empresarial de La Libertad, ejecutor del proyecto La Libertad Innova.", kind="camara-comercio"),
    "CITEcuero y calzado Trujillo (ITP)": Meta(
        "citeccal-trujillo", "innovation_center", "research_innovation;digital_skills;e_commerce", "msme",
        "CITE público del ITP para la cadena de cuero y calzado.", kind="cite"),
    "CITEforestal Pucallpa (ITP)": Meta(
        "citeforestal-pucallpa", "innovation_center", "research_innovation", "msme",
        "CITE público del ITP para la cadena forestal en Ucayali.", kind="cite"),
    "CITEagroindustrial Huallaga (ITP)": Meta(
        "citeagroindustrial-huallaga", "innovation_center", "research_innovation;digital_agriculture", "msme;rural",
        "CITE público del ITP para la agroindustria en Huánuco.", kind="cite"),
    "Telefónica del Perú (Movistar)": Meta(
        "movistar", "telecom", "connectivity;digital_payments", "",
        "Operador de telecomunicaciones fijas y móviles.", website="https://www.movistar.com.pe"),
    "América Móvil Perú (Claro)": Meta(
        "claro", "telecom", "connectivity", "", "Operador de telecomunicaciones fijas y móviles.",
        website="https://www.claro.com.pe"),
    "Entel Perú": Meta(
        "entel", "telecom", "connectivity", "", "Operador de telefonía móvil.", website="https://www.entel.pe"),
    "Viettel Perú (Bitel)": Meta(
        "bitel", "telecom", "connectivity", "rural", "Operador de telefonía móvil con amplia cobertura rural."),
    "Yape (Banco de Crédito del Perú)": Meta(
        "yape", "financial", "digital_payments", "msme",
        "Billetera digital del Banco de Crédito del Perú.", website="https://www.yape.com.pe"),
    "Plin (BBVA; Interbank; Scotiabank)": Meta(
        "plin", "financial", "digital_payments", "msme",
        "Billetera digital compartida por BBVA, Interbank y Scotiabank.", name="Plin (BBVA, Interbank, Scotiabank)"),
    "Cámara de Compensación Electrónica": Meta(
        "cce", "financial", "digital_payments", "",
        "Cámara que procesa las transferencias interbancarias e interoperables."),
    "Asuntos del Sur": Meta(
        "asuntos-del-sur", "ngo", "e_government;policy;digital_skills", "",
        "Organización latinoamericana de innovación política, socia del programa TransformaGob."),
    "Red de Estudios para el Desarrollo": Meta(
        "redes", "research_center", "data_statistics;policy;research_innovation", "rural",
        "Centro de estudios que analiza la brecha digital regional."),
    "Plan International Perú": Meta(
        "plan-international", "ngo", "entrepreneurship;digital_skills;financing", "migrants;youth;women",
        "ONG internacional que capacita a emprendedores migrantes, con proyectos en Piura y el Cusco.",
        website="https://www.planinternational.org.pe"),
    "Save the Children Perú": Meta(
        "save-the-children", "ngo", "entrepreneurship;financing", "migrants;youth",
        "ONG internacional que asiste a emprendedores migrantes.", website="https://www.savethechildren.org.pe"),
    "Programa de las Naciones Unidas para el Desarrollo": Meta(
        "pnud", "un_agency",
        "entrepreneurship;digital_skills;e_commerce;e_government;digital_payments;e_learning",
        "women;migrants;youth;indigenous;msme",
        "Agencia de la ONU para el desarrollo; su Laboratorio de Aceleración trabaja la brecha digital.",
        acronym="PNUD", website="https://www.undp.org/es/peru"),
    "Organización Internacional para las Migraciones": Meta(
        "oim", "un_agency", "entrepreneurship;financing;digital_skills", "migrants",
        "Agencia de la ONU para las migraciones, colíder del GTRM.", acronym="OIM"),
    "Alto Comisionado de las Naciones Unidas para los Refugiados": Meta(
        "acnur", "un_agency", "entrepreneurship;financing;digital_skills", "migrants",
        "Agencia de la ONU para los refugiados, colíder del GTRM.", acronym="ACNUR"),
    "FAO Perú": Meta(
        "fao", "un_agency", "digital_agriculture;e_commerce", "rural;indigenous",
        "Agencia de la ONU para la alimentación y la agricultura.",
        name="Organización de las Naciones Unidas para la Alimentación y la Agricultura (FAO Perú)"),
    "Organización Internacional del Trabajo": Meta(
        "oit", "un_agency", "entrepreneurship;digital_skills", "migrants;msme;youth",
        "Agencia de la ONU para el trabajo, promotora de programas para emprendedores.", acronym="OIT"),
    "GIZ (ProCircular)": Meta(
        "giz", "donor", "e_commerce;digital_skills;policy", "msme",
        "Cooperación alemana; su proyecto ProCircular apoya la digitalización de mercados.",
        name="Cooperación Alemana para el Desarrollo (GIZ, proyecto ProCircular)"),
    "KOICA": Meta(
        "koica", "donor", "research_innovation;entrepreneurship;financing", "",
        "Cooperación coreana; financia un proyecto de innovación y emprendimiento basado en TIC.",
        name="Agencia de Cooperación Internacional de Corea (KOICA)"),
    "CAF – Banco de Desarrollo de América Latina y el Caribe": Meta(
        "caf", "development_bank", "financing;policy", "",
        "Banco de desarrollo regional que financia cooperación técnica con ministerios."),
    "Banco Interamericano de Desarrollo": Meta(
        "bid", "development_bank", "financing;e_government", "",
        "Banco de desarrollo que financió la modernización y descentralización del Estado.", acronym="BID",
        website="https://www.iadb.org"),
    "Banco Mundial": Meta(
        "banco-mundial", "development_bank", "financing;data_statistics", "migrants",
        "Banco de desarrollo, autor de un estudio de 2019 sobre la migración venezolana en el Perú.",
        acronym=None, website="https://www.worldbank.org"),
    "Agencia Chilena de Cooperación Internacional para el Desarrollo": Meta(
        "agcid", "donor", "financing", "rural",
        "Agencia de cooperación de Chile que financia proyectos transfronterizos con Tacna."),
    "Universidad de Tarapacá (Chile)": Meta(
        "uta", "university", "research_innovation", "rural",
        "Universidad chilena de Arica, socia de la Universidad Nacional Jorge Basadre Grohmann.",
        website="https://www.uta.cl"),
    "USAID": Meta(
        "usaid", "donor", "financing", "",
        "Agencia de cooperación para el desarrollo de los Estados Unidos.",
        name="Agencia de los Estados Unidos para el Desarrollo Internacional (USAID)"),
}

# Reference regions that are not one department: (region code or None, scope).
HOMES = {
    "National": (None, "national"), "National (Tacna office)": (None, "national"),
    "International": (None, "international"), "Piura/Cusco": (None, "national"),
    "La Libertad/Cajamarca": ("13", "regional"), "Moquegua/Tacna": ("18", "regional"),
    "Tacna (cross-border)": (None, "international"), "Arica (Chile)": (None, "international"),
}

C03 = "https://www.gob.pe/61631-acciones-realizadas-por-el-laboratorio-de-gobierno-y-transformacion-digital"
C04 = ("https://www.gob.pe/institucion/pcm/noticias/912158-pcm-impulsa-la-innovacion-digital-en-gobiernos-"
       "regionales-a-traves-del-programa-transformagob")
C12 = "https://foroeconomicoperu.com/2023/04/06/parque-cientifico-tecnologico-de-cajamarca"
C15 = ("https://infobae.com/peru/2023/09/12/yape-y-plin-a-partir-de-manana-usuarios-podran-transferir-dinero-"
       "a-bancos-cajas-y-financieras/?outputType=amp-type")
C16 = ("https://elcomercio.pe/economia/peru/banco-central-de-reserva-del-peru-plataforma-permitira-que-instrumentos-"
       "de-pagos-digitales-lleguen-a-un-tercio-de-peruanos-que-aun-no-los-tienen-i-ultimas-noticia/")
C17 = ("https://pndp.produce.gob.pe/noticias/produce-apuesta-por-capacitacion-de-dirigentes-gremiales-de-mercados-"
       "de-abastos")
C20 = "https://peru.unteamresults.org/es/node/240"
C21 = ("https://gestion.pe/economia/ministerio-de-trabajo-y-oit-lanzan-segunda-etapa-de-programa-para-impulsar-a-"
       "emprendedores-noticia")
C22 = ("https://www.planinternational.org.pe/noticias/600-personas-migrantes-venezolanas-se-capacitan-para-la-"
       "puesta-en-marcha-de-sus-negocios")
C23 = ("https://elcomercio.pe/economia/caf-firma-acuerdos-por-mas-de-usd-11-millones-para-preinversion-y-"
       "fortalecimiento-institucional-en-peru-noticia/")
C24 = ("https://andina.pe/Agencia/noticia-invertiran-mas-s-3-millones-para-desarrollar-ecosistema-innovacion-y-"
       "emprendimiento-757118.aspx")


class Extra(NamedTuple):
    """A real institution that is not in the reference actor list but is named by a documented collaboration
    or by the challenge statement (its source)."""

    id: str
    name: str
    acronym: str | None
    sector: str
    type: str
    region: str | None
    scope: str
    capabilities: str
    target_groups: str
    description: str
    source: str
    website: str | None = None
    kind: str | None = None


EXTRA_REAL = [
    Extra("ieduca", "iEduca", None, "academia", "university", None, "national", "e_learning;digital_skills",
          "youth", "Grupo educativo (una universidad y dos institutos, de diseño y de negocios), socio del PNUD "
          "en contenidos de aprendizaje virtual.", CHALLENGE),
    Extra("pnud-cdo", "Oficina Digital del PNUD (Chief Digital Office)", "CDO", "international", "un_agency", None,
          "international", "digital_skills;e_government", "", "Oficina del PNUD que impulsa la Red de Defensores "
          "Digitales (Digital Advocate Network).", CHALLENGE),
    Extra("ned", "National Endowment for Democracy", "NED", "international", "donor", None, "international",
          "financing", "", "Fundación estadounidense de apoyo a la democracia, socia del programa TransformaGob.",
          C04, "https://www.ned.org"),
    Extra("congreso", "Congreso de la República", None, "public", "agency", None, "national", "policy", "",
          "Poder legislativo; declaró de interés nacional los parques científico-tecnológicos (Ley 31680).", C12,
          "https://www.congreso.gob.pe"),
    Extra("npci", "National Payments Corporation of India", "NPCI", "international", "financial", None,
          "international", "digital_payments", "", "Operador indio de pagos minoristas con el que el BCRP "
          "desarrolla una plataforma de pagos digitales.", C16),
    Extra("sunat", "Superintendencia Nacional de Aduanas y de Administración Tributaria", "SUNAT", "public", "agency",
          None, "national", "e_government;digital_payments", "msme", "Administración tributaria y aduanera.", C17,
          "https://www.sunat.gob.pe"),
    Extra("senasa", "Servicio Nacional de Sanidad Agraria", "SENASA", "public", "agency", None, "national",
          "digital_agriculture", "rural", "Autoridad nacional de sanidad agraria e inocuidad alimentaria.", C17),
    Extra("vivienda", "Ministerio de Vivienda, Construcción y Saneamiento", "VIVIENDA", "public", "ministry", None,
          "national", "policy", "", "Ministerio rector de vivienda, construcción y saneamiento.", C17),
    Extra("mtpe", "Ministerio de Trabajo y Promoción del Empleo", "MTPE", "public", "ministry", None, "national",
          "entrepreneurship;digital_skills", "youth;migrants", "Ministerio rector del trabajo y del empleo.", C21),
    Extra("migraciones", "Superintendencia Nacional de Migraciones", "Migraciones", "public", "agency", None,
          "national", "e_government", "migrants", "Autoridad migratoria del Perú.", C21),
    Extra("mml", "Municipalidad Metropolitana de Lima", "MML", "public", "municipality", "15a", "regional",
          "e_government;entrepreneurship", "msme;migrants", "Gobierno de la provincia de Lima, con funciones de "
          "gobierno regional.", C21, kind="municipalidad-capital"),
    Extra("japan-platform", "Japan Platform", "JPF", "international", "donor", None, "international", "financing",
          "migrants", "Plataforma japonesa de ayuda humanitaria que financia proyectos de ONG.", C22),
    Extra("mef", "Ministerio de Economía y Finanzas", "MEF", "public", "ministry", None, "national",
          "policy;financing", "", "Ministerio rector de la economía y las finanzas públicas.", C23,
          "https://www.gob.pe/mef"),
    Extra("minam", "Ministerio del Ambiente", "MINAM", "public", "ministry", None, "national", "policy", "",
          "Ministerio rector del ambiente.", C23),
    Extra("minsa", "Ministerio de Salud", "MINSA", "public", "ministry", None, "national", "e_health;data_statistics",
          "", "Ministerio rector de la salud.", C23, "https://www.gob.pe/minsa"),
    Extra("minjus", "Ministerio de Justicia y Derechos Humanos", "MINJUS", "public", "ministry", None, "national",
          "e_government", "", "Ministerio rector de la justicia y los derechos humanos.", C23),
    Extra("creeas", "CREEAS", "CREEAS", "civil_society", "network", "13", "regional", "entrepreneurship;policy",
          "msme", "Agrupación de 19 entidades del ecosistema de innovación y emprendimiento de La Libertad "
          "(la fuente no da su nombre completo).", C24, kind="mesa-innovacion"),
    Extra("gtrm", "Grupo de Trabajo para Refugiados y Migrantes", "GTRM", "international", "network", None,
          "national", "entrepreneurship;financing", "migrants", "Plataforma de agencias de la ONU y ONG que "
          "atienden a refugiados y migrantes, coliderada por ACNUR y OIM.", C20),
]

# Regional governments the reference actor list lacks. Every one took part in TransformaGob (C04: "25 regions",
# the 25 regional governments); Áncash, Ica, La Libertad and Moquegua also host decentralized labs (C03).
# Lima Metropolitana's regional-government functions belong to the Municipalidad Metropolitana de Lima (above).
GORE_HOSTING_LABS = {"02", "11", "13", "18"}


def in_region(region: Region) -> str:
    """ "el Callao" takes the article in Spanish. """
    return "el Callao" if region.name == "Callao" else region.name


def gore_name(region: Region) -> str:
    article = "del" if region.name == "Callao" else "de"
    return f"Gobierno Regional {article} {'Lima' if region.code == '15b' else region.name}"


def gore_id(region: Region) -> str:
    return "gore-lima" if region.code == "15b" else f"gore-{slugify(region.name)}"


def build_real_actors(reference: list[dict[str, str]], regions: list[Region],
                      codes: dict[str, str]) -> tuple[list[Actor], dict[str, str]]:
    """All real actors, and each regional one's kind (its place in the region's kit)."""
    actors: list[Actor] = []
    kinds: dict[str, str] = {}
    for row in reference:
        meta = REAL[row["name"]]
        region, scope = HOMES[row["region"]] if row["region"] in HOMES else (codes[row["region"]], "regional")
        if row["sector"] == "international":
            scope = "international"
        acronym = row["acronym"] if meta.acronym == "=" else meta.acronym
        source = row["source_url"] or NOT_VERIFIED
        if meta.id == "minedu":  # named as a source of figures in the challenge statement
            source = f"{CHALLENGE} (cites its 2020 figures on students' internet access at home)"
        actors.append(Actor(
            id=meta.id, name=meta.name or row["name"], acronym=acronym or None, sector=row["sector"], type=meta.type,
            region=region, scope=meta.scope or scope, capabilities=meta.capabilities,
            target_groups=meta.target_groups, website=meta.website, description=meta.description, source=source,
            illustrative=False))
        if meta.kind:
            kinds[meta.id] = meta.kind
    for extra in EXTRA_REAL:
        actors.append(Actor(
            id=extra.id, name=extra.name, acronym=extra.acronym, sector=extra.sector, type=extra.type,
            region=extra.region, scope=extra.scope, capabilities=extra.capabilities,
            target_groups=extra.target_groups, website=extra.website, description=extra.description,
            source=extra.source, illustrative=False))
        if extra.kind:
            kinds[extra.id] = extra.kind
    have = {actor.id for actor in actors}
    for region in regions:
        if region.code == "15a" or gore_id(region) in have:
            continue
        hosts_lab = region.code in GORE_HOSTING_LABS
        actors.append(Actor(
            id=gore_id(region), name=gore_name(region),
            acronym="GORE Lima" if region.code == "15b" else f"GORE {region.name}",
            sector="public", type="regional_government", region=region.code, scope="regional",
            capabilities="e_government;policy", target_groups="",
            description=f"Gobierno regional de {in_region(region)}".replace("de el", "del")
                        + (", sede de un laboratorio descentralizado de innovación digital." if hosts_lab else "."),
            source=C03 if hosts_lab else C04, illustrative=False))
        kinds[gore_id(region)] = "gobierno-regional"
    return actors, kinds


# ---------------------------------------------------------------------------------------------------
# 4. Real ties
# ---------------------------------------------------------------------------------------------------
# Convention: a collaboration among several partners becomes one tie between its lead (the partner that
# coordinates or executes it) and each other partner. Funding and service ties point from giver to receiver.
# Weights (editorial): 5 a multi-year programme with the partner as main counterpart; 4 a funded project,
# infrastructure or convenio with a concrete deliverable between two named parties; 3 a named partner in a
# multi-party project or network; 2 a broad programme or event reaching many partners at once; 1 a declaration,
# or a partner whose role the source does not describe.

class Pair(NamedTuple):
    source: str
    target: str
    type: str
    weight: int


class Documented(NamedTuple):
    program: str
    pairs: list[Pair]
    status: str | None = None  # None: from the year column (ended if its end year is past, else active)
    end: str | None = "="      # "=" keeps the end year of the year column


def documented_ties(gores: list[str]) -> dict[str, Documented]:
    """The 24 collaborations of the reference, keyed by their reference id."""
    lab_gores = ["gore-ancash", "gore-cajamarca", "gore-cusco", "gore-ica", "gore-la-libertad", "gore-moquegua",
                 "gore-tacna"]
    finalists = {"gore-cusco", "gore-cajamarca"}
    return {
        "C01": Documented("Innova tu Mercado", [Pair("pnud", "produce", "joint_project", 5)]),
        "C02": Documented("Laboratorio de Gobierno y Transformación Digital: sede regional Cajamarca",
                          [Pair("labgob", "gore-cajamarca", "agreement", 4)]),
        "C03": Documented("Laboratorios descentralizados de innovación digital",
                          [Pair("labgob", gore, "network_membership", 3) for gore in lab_gores]),
        "C04": Documented("TransformaGob", [
            Pair("sgtd-pcm", "asuntos-del-sur", "joint_project", 3), Pair("sgtd-pcm", "ned", "joint_project", 1),
            *(Pair("sgtd-pcm", gore, "training", 3 if gore in finalists else 2) for gore in gores)]),
        "C05": Documented("Tacna Innova", [
            Pair("proinnovate", "upt", "funding", 4), Pair("upt", "zofratacna", "joint_project", 3),
            Pair("upt", "inia", "joint_project", 3), Pair("upt", "camara-comercio-tacna", "joint_project", 3),
            Pair("upt", "gore-tacna", "joint_project", 3)]),
        "C06": Documented("DERCUSCO 2.0: recorridos virtuales de museos", [Pair("uac", "ddc-cusco", "agreement", 4)]),
        "C07": Documented("Estudio de salud ambiental de Quebrada Honda",
                          [Pair("unjbg", "gore-tacna", "agreement", 4)]),
        "C08": Documented("Energías renovables transfronterizas para comunidades rurales", [
            Pair("unjbg", "uta", "joint_project", 4), Pair("agcid", "unjbg", "funding", 4)]),
        "C09": Documented("Reducción de boro y arsénico en agua de riego", [Pair("unjbg", "egesur", "agreement", 4)]),
        "C10": Documented("Gestores del desarrollo", [
            Pair("alac", "unc", "training", 3), Pair("alac", "mclcp-cajamarca", "training", 3),
            Pair("alac", "camara-comercio-cajamarca", "training", 3), Pair("alac", "gore-cajamarca", "service", 3)]),
        "C11": Documented("Innovación en productos forestales", [Pair("itp-ut-cajamarca", "unc", "joint_project", 4)]),
        "C12": Documented("Parques científico-tecnológicos (Ley 31680)", [
            Pair("congreso", actor, "agreement", 1) for actor in ("unc", "unj", "unsaac", "gore-cajamarca")]),
        "C13": Documented("Banda ancha regional Cusco", [Pair("pronatel", "gore-cusco", "service", 4)]),
        "C14": Documented("Banda ancha regional Tacna", [Pair("pronatel", "gore-tacna", "service", 4)]),
        # the interoperability regime outlives its 2022-2023 roll-out: no end, still active
        "C15": Documented("Interoperabilidad de pagos minoristas", [
            Pair("bcrp", actor, "network_membership", 3) for actor in ("yape", "plin", "cce")],
            status="active", end=None),
        "C16": Documented("Plataforma de pagos digitales minoristas", [Pair("bcrp", "npci", "joint_project", 4)]),
        "C17": Documented("Conecta Mercados (III Convención Nacional de Mercados de Abastos)", [
            Pair("pndp", actor, "training", 2) for actor in ("fao", "sunat", "senasa", "vivienda")],
            status="ended", end="2025"),  # a one-off event
        "C18": Documented("ProCircular: mercados de abastos", [Pair("giz", "pndp", "service", 3)]),
        "C19": Documented("Fortalecer la Innovación y Emprendimiento Basado en TIC", [
            Pair("koica", "concytec", "funding", 4), Pair("koica", "apci", "agreement", 3)]),
        "C20": Documented("GTRM: capital semilla para emprendimientos de migrantes y refugiados", [
            Pair("acnur", "oim", "joint_project", 3), Pair("acnur", "gtrm", "network_membership", 3)]),
        "C21": Documented("Emprende Seguro", [
            Pair("oit", actor, "joint_project", 3) for actor in ("mtpe", "migraciones", "mml")]),
        "C22": Documented("Amistad sin fronteras", [Pair("japan-platform", "plan-international", "funding", 4)],
                          status="ended", end="2021"),  # a finished 2021 project
        "C23": Documented("Cooperación técnica CAF 2026", [
            Pair("caf", actor, "funding", 3) for actor in ("mef", "mtc", "produce", "minam", "minsa", "minjus")]),
        "C24": Documented("La Libertad Innova", [
            Pair("proinnovate", "camara-comercio-la-libertad", "funding", 4),
            Pair("camara-comercio-la-libertad", "creeas", "joint_project", 3)]),
    }


# Ties documented only by the challenge statement (no date given; "exploring" / "going to work" = planned).
CHALLENGE_TIES = [
    (Pair("pnud", "produce", "joint_project", 4), "CREANDO", "active"),
    (Pair("pnud", "oim", "joint_project", 4), "CREANDO", "active"),
    (Pair("pnud", "acnur", "joint_project", 4), "CREANDO", "active"),
    (Pair("pnud", "sgtd-pcm", "joint_project", 3), "Ecosistemas digitales regionales", "planned"),
    (Pair("pnud", "ieduca", "joint_project", 2), "Aprendizaje virtual iEduca", "planned"),
    (Pair("pnud", "pnud-cdo", "joint_project", 3), "Digital Advocate Network", "active"),
    (Pair("pnud-cdo", "sgtd-pcm", "training", 2), "Ecosistemas digitales regionales", "planned"),
]


def years(text: str) -> tuple[str | None, str | None]:
    """The reference year column as (start, end): "2020-" -> (2020, None); "2022-2024" -> (2022, 2024);
    "2021" -> (2021, None); "n.d." and "n.d. (~2023)" -> (None, None): an approximate date is left out."""
    if text.startswith("n.d."):
        return None, None
    first, _, last = text.partition("-")
    return first, last or None


def build_real_ties(reference: list[dict[str, str]], gores: list[str]) -> list[Collaboration]:
    ties = []
    documented = documented_ties(gores)
    for row in reference:
        spec = documented[row["id"]]
        start, end = years(row["year"])
        if spec.end != "=":
            end = spec.end
        status = spec.status or ("ended" if end and int(end) < TODAY_YEAR else "active")
        for pair in spec.pairs:
            ties.append(Collaboration(
                id=f"{row['id'].lower()}-{pair.source}-{pair.target}", source=pair.source, target=pair.target,
                type=pair.type, weight=pair.weight, start=start, end=end, status=status, program=spec.program,
                evidence=row["source_url"], illustrative=False))
    for pair, program, status in CHALLENGE_TIES:
        ties.append(Collaboration(
            id=f"cs-{pair.source}-{pair.target}", source=pair.source, target=pair.target, type=pair.type,
            weight=pair.weight, status=status, program=program, evidence=CHALLENGE, illustrative=False))
    return ties


# ---------------------------------------------------------------------------------------------------
# 5. Illustrative regional layer
# ---------------------------------------------------------------------------------------------------

class Kind(NamedTuple):
    """A kind of generic actor: names are descriptive ("Universidad pública – Junín"), never a real name."""

    sector: str
    type: str
    scope: str
    names: tuple[str, ...]  # {r}: region name; the n-th actor of a kind takes the n-th name
    what: str               # for the description "Actor ilustrativo: <what> en <region>."
    capabilities: tuple[str, ...]
    target_groups: tuple[str, ...]
    core_group: str | None = None  # a target group every actor of the kind has


KINDS: dict[str, Kind] = {
    "municipalidad-capital": Kind(
        "public", "municipality", "local", ("Municipalidad provincial de la capital – {r}",),
        "gobierno local de la capital regional",
        ("e_government", "connectivity", "data_statistics", "e_commerce", "policy"), ("msme", "youth", "women")),
    "municipalidad-provincial": Kind(
        "public", "municipality", "local",
        ("Municipalidad provincial del norte – {r}", "Municipalidad provincial del sur – {r}",
         "Municipalidad provincial rural – {r}", "Municipalidad provincial del interior – {r}"),
        "gobierno local de una provincia", ("e_government", "connectivity", "digital_agriculture", "e_commerce"),
        ("rural", "msme", "women")),
    "municipalidad-distrital": Kind(
        "public", "municipality", "local",
        ("Municipalidad distrital del cono norte – {r}", "Municipalidad distrital del cono sur – {r}",
         "Municipalidad distrital del cono este – {r}", "Municipalidad distrital del centro – {r}"),
        "gobierno local de un distrito", ("e_government", "e_commerce", "digital_skills"),
        ("youth", "women", "msme", "migrants")),
    "red-escuelas": Kind(
        "public", "school", "regional", ("Red de colegios públicos rurales – {r}",), "red de colegios públicos",
        ("e_learning", "digital_skills", "connectivity"), ("youth", "rural", "indigenous"), "youth"),
    "red-salud": Kind(
        "public", "agency", "regional", ("Red de establecimientos de salud – {r}",), "red pública de salud",
        ("e_health", "data_statistics", "connectivity"), ("rural", "women")),
    "universidad-publica": Kind(
        "academia", "university", "regional",
        ("Universidad pública – {r}", "Universidad pública de ciencias e ingeniería – {r}"), "universidad pública",
        ("research_innovation", "digital_skills", "e_learning", "data_statistics", "digital_agriculture"),
        ("youth", "rural")),
    "universidad-privada": Kind(
        "academia", "university", "regional",
        ("Universidad privada – {r}", "Filial de universidad privada – {r}", "Universidad privada de negocios – {r}",
         "Universidad privada de tecnología – {r}"), "universidad privada",
        ("digital_skills", "e_learning", "entrepreneurship", "research_innovation", "cybersecurity"),
        ("youth", "msme")),
    "instituto-tecnologico": Kind(
        "academia", "institute", "regional",
        ("Instituto tecnológico público – {r}", "Instituto privado de computación e informática – {r}"),
        "instituto de educación superior tecnológica", ("digital_skills", "e_learning", "connectivity"),
        ("youth", "women", "rural")),
    "centro-investigacion": Kind(
        "academia", "research_center", "regional", ("Centro de investigación aplicada – {r}",),
        "centro de investigación", ("research_innovation", "data_statistics", "digital_agriculture"),
        ("rural", "indigenous")),
    "centro-innovacion": Kind(
        "academia", "innovation_center", "regional", ("Centro de Innovación y Transferencia Tecnológica de {r}",),
        "centro de innovación y transferencia tecnológica",
        ("research_innovation", "entrepreneurship", "digital_skills"), ("msme", "youth")),
    "incubadora": Kind(
        "academia", "incubator", "regional", ("Incubadora de Empresas de {r}", "Aceleradora de startups de {r}"),
        "incubadora de empresas de base tecnológica", ("entrepreneurship", "financing", "e_commerce"),
        ("youth", "msme", "women")),
    "fab-lab": Kind(
        "academia", "innovation_lab", "local", ("Laboratorio de fabricación digital de {r}",),
        "laboratorio de fabricación digital", ("research_innovation", "digital_skills"), ("youth",)),
    "camara-comercio": Kind(
        "private", "chamber", "regional", ("Cámara de comercio y producción – {r}",), "gremio empresarial",
        ("e_commerce", "entrepreneurship", "digital_payments", "policy"), ("msme",), "msme"),
    "caja-municipal": Kind(
        "private", "financial", "regional", ("Caja municipal de ahorro y crédito – agencia {r}",),
        "agencia de una caja municipal de ahorro y crédito", ("financing", "digital_payments"),
        ("msme", "women", "rural"), "msme"),
    "cooperativa-ahorro": Kind(
        "private", "financial", "regional", ("Cooperativa de ahorro y crédito de {r}",),
        "cooperativa de ahorro y crédito", ("financing", "digital_payments"), ("rural", "msme", "women")),
    "isp-local": Kind(
        "private", "telecom", "regional", ("Proveedor local de internet de {r}",), "proveedor local de internet",
        ("connectivity",), ("rural", "msme")),
    "agente-telecom": Kind(
        "private", "telecom", "local", ("Agente autorizado de telefonía móvil – {r}",),
        "agente de un operador de telefonía móvil", ("connectivity", "digital_payments"), ("msme",)),
    "startup-fintech": Kind(
        "private", "startup", "regional",
        ("Startup de pagos digitales de {r}", "Startup de microcréditos en línea de {r}"),
        "startup de pagos digitales", ("digital_payments", "financing", "e_commerce"), ("msme", "migrants", "women")),
    "startup-ecommerce": Kind(
        "private", "startup", "regional",
        ("Startup de comercio electrónico de {r}", "Plataforma de reparto a domicilio de {r}"),
        "startup de comercio electrónico", ("e_commerce", "digital_payments"), ("msme", "women")),
    "startup-agrotech": Kind(
        "private", "startup", "regional", ("Startup agrotecnológica de {r}",), "startup agrotecnológica",
        ("digital_agriculture", "data_statistics"), ("rural", "msme")),
    "startup-edtech": Kind(
        "private", "startup", "regional", ("Startup de educación digital de {r}",), "startup de educación digital",
        ("e_learning", "digital_skills"), ("youth", "women")),
    "empresa-software": Kind(
        "private", "company", "regional", ("Empresa de desarrollo de software de {r}", "Consultora de datos de {r}"),
        "empresa de software", ("cybersecurity", "e_government", "data_statistics"), ("msme",)),
    "empresa-turismo": Kind(
        "private", "company", "regional", ("Operador turístico digital de {r}", "Red de hospedajes rurales de {r}"),
        "empresa de turismo con reservas en línea", ("e_commerce", "digital_payments"), ("msme", "indigenous")),
    "agroexportadora": Kind(
        "private", "company", "regional", ("Empresa agroexportadora de {r}", "Empacadora agroindustrial de {r}"),
        "empresa agroexportadora", ("digital_agriculture", "e_commerce"), ("rural",)),
    "mercado-abastos": Kind(
        "private", "business_association", "local", ("Asociación de comerciantes del mercado central de {r}",),
        "asociación de comerciantes de un mercado de abastos", ("e_commerce", "digital_payments"),
        ("msme", "women"), "msme"),
    "asociacion-mype": Kind(
        "private", "business_association", "regional",
        ("Asociación de micro y pequeñas empresas de {r}", "Asociación de artesanos de {r}"),
        "asociación de micro y pequeñas empresas", ("entrepreneurship", "e_commerce", "digital_payments"),
        ("msme", "women", "youth"), "msme"),
    "cooperativa-agraria": Kind(
        "private", "business_association", "regional",
        ("Cooperativa agraria de {r}", "Cooperativa de café y cacao de {r}"), "cooperativa agraria",
        ("digital_agriculture", "e_commerce"), ("rural", "msme"), "rural"),
    "fundacion-minera": Kind(
        "private", "foundation", "regional", ("Fundación de una empresa minera en {r}",),
        "fundación de responsabilidad social de una empresa minera", ("financing", "digital_skills", "connectivity"),
        ("rural", "youth", "indigenous")),
    "medio-digital": Kind(
        "private", "media", "regional", ("Medio de comunicación digital de {r}",), "medio de comunicación digital",
        ("data_statistics", "digital_skills"), ("youth",)),
    "asociacion-mujeres": Kind(
        "civil_society", "community_org", "local", ("Asociación de Mujeres Emprendedoras de {r}",),
        "asociación de mujeres emprendedoras", ("entrepreneurship", "digital_skills", "e_commerce"),
        ("women", "msme"), "women"),
    "red-jovenes": Kind(
        "civil_society", "community_org", "regional", ("Red de Jóvenes Digitales de {r}",), "red de jóvenes",
        ("digital_skills", "entrepreneurship"), ("youth",), "youth"),
    "organizacion-indigena": Kind(
        "civil_society", "community_org", "regional", (), "organización indígena",  # names: INDIGENOUS_NAMES
        ("digital_skills", "connectivity", "digital_agriculture"), ("indigenous", "rural", "women"), "indigenous"),
    "asociacion-migrantes": Kind(
        "civil_society", "community_org", "local",
        ("Asociación de Migrantes Venezolanos de {r}", "Red de emprendedores migrantes y refugiados de {r}"),
        "asociación de personas migrantes", ("entrepreneurship", "digital_skills", "financing"), ("migrants",),
        "migrants"),
    "ong-desarrollo": Kind(
        "civil_society", "ngo", "regional",
        ("ONG de desarrollo rural de {r}", "ONG de inclusión digital de {r}", "Centro de promoción social de {r}"),
        "organización no gubernamental de desarrollo",
        ("digital_skills", "entrepreneurship", "digital_agriculture", "e_learning"),
        ("rural", "women", "youth", "indigenous")),
    "radio-comunitaria": Kind(
        "civil_society", "media", "local", ("Radio comunitaria de {r}",), "radio comunitaria",
        ("digital_skills", "connectivity"), ("rural", "indigenous")),
    "comunidad-tech": Kind(
        "civil_society", "community_org", "local",
        ("Comunidad de desarrolladores de {r}", "Colectivo de datos abiertos de {r}"),
        "comunidad tecnológica", ("digital_skills", "research_innovation", "cybersecurity"), ("youth",), "youth"),
    "mesa-innovacion": Kind(
        "civil_society", "network", "regional", ("Mesa regional de innovación y transformación digital de {r}",),
        "espacio de concertación sobre innovación", ("policy", "entrepreneurship"), ("msme",)),
}
INDIGENOUS_NAMES = {
    "nativas": ("Federación de comunidades nativas de {r}", "Organización de pueblos indígenas amazónicos de {r}"),
    "campesinas": ("Federación de comunidades campesinas de {r}", "Organización de mujeres indígenas de {r}"),
}
BASE_KIT = ("municipalidad-capital", "municipalidad-provincial", "universidad-publica", "instituto-tecnologico",
            "camara-comercio", "caja-municipal", "asociacion-mujeres", "red-jovenes", "ong-desarrollo",
            "agente-telecom")
FILLER = ("asociacion-mype", "startup-ecommerce", "ong-desarrollo", "municipalidad-provincial", "isp-local",
          "cooperativa-ahorro", "empresa-software", "universidad-privada", "medio-digital",
          "red-salud", "comunidad-tech", "centro-investigacion")


@dataclass(frozen=True)
class Profile:
    """The structure one region's illustrative layer is given.

    shape: ``dense`` (one well-connected component), ``medium`` (one sparse component), ``hub`` (a star around
    the regional government), ``broker`` (a public + civil-society cluster and an academic + private cluster
    joined only through the innovation centre), ``two_poles`` (a public cluster and a business cluster joined by
    a single tie), ``fragmented`` (one component per entry of ``groups``, each a set of sectors).
    """

    size: int                             # illustrative actors (at least the kit)
    shape: str
    national: int                         # illustrative ties to national actors
    extras: tuple[str, ...] = ()          # kinds added to the base kit
    note: str = ""                        # what is special, for the README
    groups: tuple[tuple[str, ...], ...] = ()
    isolates: int = 0                     # actors left without any tie
    migrants: bool = False                # whether any actor serves migrants
    women_digital: bool = True            # whether any actor offers digital skills to women
    no_sector: str | None = None          # a sector with no actor at all
    no_tie: tuple[str, str] | None = None  # two sectors never tied to each other
    indigenous: str = "campesinas"        # which organisation names suit the region
    municipal: str = "municipalidad-provincial"
    urban: bool = False                   # a metropolitan unit: no rural or indigenous target groups
    international_only: int | None = None  # a group whose only outside partners are international agencies


PROFILES: dict[str, Profile] = {
    "01": Profile(13, "fragmented", 1, ("organizacion-indigena", "cooperativa-agraria", "cooperativa-agraria",
                                        "radio-comunitaria"),
                  "Two components (state and academia / coffee cooperatives, businesses and community groups) and "
                  "an isolated actor; weak national ties; no digital-skills offer for women.",
                  groups=(("public", "academia"), ("civil_society", "private")), isolates=1, women_digital=False,
                  indigenous="nativas"),
    "02": Profile(20, "two_poles", 4, ("fundacion-minera", "universidad-privada", "empresa-software",
                                       "municipalidad-provincial", "startup-ecommerce", "organizacion-indigena"),
                  "Two poles, the capital's public and academic cluster and a coastal business cluster, joined by "
                  "a single tie (a bridge); mining foundation."),
    "03": Profile(13, "medium", 1, ("fundacion-minera", "organizacion-indigena", "universidad-privada"),
                  "No tie at all between academia and the private sector; weak national ties; mining foundation.",
                  no_tie=("academia", "private")),
    "04": Profile(32, "dense", 10, ("universidad-privada", "universidad-privada", "incubadora", "centro-innovacion",
                                    "startup-fintech", "startup-agrotech", "empresa-software", "comunidad-tech",
                                    "asociacion-migrantes", "fab-lab", "mesa-innovacion", "cooperativa-ahorro",
                                    "isp-local"),
                  "Well connected, one component, strong national ties; migrant organisations.", migrants=True),
    "05": Profile(16, "broker", 1, ("centro-innovacion", "universidad-privada", "startup-ecommerce",
                                    "organizacion-indigena", "red-escuelas"),
                  "Public and academic clusters joined only through the innovation centre (an articulation point); "
                  "weak national ties; no digital-skills offer for women.", women_digital=False),
    "06": Profile(14, "dense", 4, ("incubadora", "cooperativa-agraria", "startup-agrotech", "red-escuelas"),
                  "Dense around real actors: ALAC's training programme, UNC, the regional government's digital "
                  "transformation directorate and LabGob's first regional site."),
    "07": Profile(16, "hub", 3, ("municipalidad-distrital", "municipalidad-distrital", "asociacion-migrantes",
                                 "empresa-software", "startup-fintech", "isp-local"),
                  "Star around the regional government; leans on Lima Metropolitana through cross-region ties; "
                  "migrant organisations.", migrants=True, municipal="municipalidad-distrital", urban=True),
    "08": Profile(20, "medium", 5, ("empresa-turismo", "empresa-turismo", "organizacion-indigena", "incubadora",
                                    "startup-edtech", "asociacion-migrantes", "radio-comunitaria"),
                  "Real public and academic actors (regional broadband with PRONATEL, DERCUSCO 2.0); tourism "
                  "businesses; indigenous organisations; one migrant organisation.", migrants=True),
    "09": Profile(11, "fragmented", 1, ("organizacion-indigena", "red-escuelas", "red-salud", "radio-comunitaria"),
                  "No private-sector actor at all; two components (state / university and civil society) and an "
                  "isolated actor; weak national ties; no digital-skills offer for women.",
                  groups=(("public",), ("academia", "civil_society")), isolates=1, women_digital=False,
                  no_sector="private"),
    "10": Profile(15, "medium", 4, ("cooperativa-agraria", "startup-agrotech", "red-salud"),
                  "Sparse ties around the real agro-industrial CITE; one isolated actor; no digital-skills offer "
                  "for women.", isolates=1, women_digital=False),
    "11": Profile(18, "medium", 4, ("agroexportadora", "agroexportadora", "empresa-turismo", "startup-agrotech",
                                    "asociacion-mype", "isp-local"),
                  "Private-sector heavy (agro-export), thin academia; one isolated actor.", isolates=1),
    "12": Profile(22, "broker", 5, ("centro-innovacion", "universidad-privada", "universidad-privada",
                                    "startup-edtech", "empresa-software", "cooperativa-agraria", "incubadora"),
                  "Public and academic clusters joined only through the innovation centre (an articulation point)."),
    "13": Profile(30, "dense", 9, ("universidad-privada", "universidad-privada", "incubadora", "startup-fintech",
                                   "startup-ecommerce", "agroexportadora", "asociacion-migrantes", "comunidad-tech",
                                   "mesa-innovacion", "empresa-software"),
                  "Well connected around real actors (La Libertad Innova, CITEccal, Cedepas Norte); strong national "
                  "ties; migrant organisations.", migrants=True),
    "14": Profile(20, "dense", 5, ("universidad-privada", "startup-ecommerce", "empresa-software", "mercado-abastos",
                                   "asociacion-mype", "cooperativa-ahorro"),
                  "One component, private-sector heavy; no services for migrants."),
    "15a": Profile(52, "dense", 16, ("municipalidad-distrital", "municipalidad-distrital", "municipalidad-distrital",
                                     "universidad-publica", "universidad-privada", "universidad-privada",
                                     "universidad-privada", "instituto-tecnologico", "incubadora", "incubadora",
                                     "centro-innovacion", "fab-lab", "startup-fintech", "startup-fintech",
                                     "startup-ecommerce", "startup-ecommerce", "startup-edtech", "startup-agrotech",
                                     "empresa-software", "empresa-software", "comunidad-tech", "comunidad-tech",
                                     "asociacion-migrantes", "asociacion-migrantes", "mesa-innovacion",
                                     "medio-digital", "isp-local", "cooperativa-ahorro", "mercado-abastos"),
                  "The largest and densest layer; national hub with the strongest national ties; several migrant "
                  "organisations; the Municipalidad Metropolitana de Lima (real) as regional government.",
                  migrants=True, municipal="municipalidad-distrital", urban=True),
    "15b": Profile(14, "hub", 1, ("cooperativa-agraria", "agroexportadora", "red-escuelas"),
                   "Star around the regional government in Huacho; leans on Lima Metropolitana through cross-region "
                   "ties; weak national ties; no digital-skills offer for women.", women_digital=False),
    "16": Profile(18, "fragmented", 1, ("organizacion-indigena", "organizacion-indigena", "radio-comunitaria",
                                        "red-salud", "isp-local", "startup-ecommerce"),
                  "Three components (state and academia / indigenous and civil-society organisations / businesses) "
                  "and isolated actors; weak national ties; no digital-skills offer for women.",
                  groups=(("public", "academia"), ("civil_society",), ("private",)), isolates=2, women_digital=False,
                  indigenous="nativas"),
    "17": Profile(11, "fragmented", 2, ("asociacion-migrantes", "organizacion-indigena", "empresa-turismo"),
                  "Two components: the state-academia-business cluster, and a civil-society cluster (migrants, "
                  "indigenous people, women) tied only to international agencies; an isolated actor.",
                  groups=(("public", "academia", "private"), ("civil_society",)), isolates=1, migrants=True,
                  indigenous="nativas", international_only=1),
    "18": Profile(12, "dense", 5, ("fundacion-minera", "centro-innovacion", "empresa-software"),
                  "Small but dense around the real agro-industrial CITE; cross-region ties with Tacna."),
    "19": Profile(10, "hub", 1, ("fundacion-minera", "organizacion-indigena"),
                  "Small star around the regional government; weak national ties; no digital-skills offer for "
                  "women.", women_digital=False),
    "20": Profile(24, "dense", 7, ("universidad-privada", "asociacion-migrantes", "asociacion-migrantes",
                                   "agroexportadora", "startup-fintech", "cooperativa-agraria", "mercado-abastos",
                                   "incubadora"),
                  "Well connected; several migrant organisations on the northern migration route.", migrants=True),
    "21": Profile(20, "broker", 1, ("centro-innovacion", "universidad-privada", "organizacion-indigena",
                                    "organizacion-indigena", "cooperativa-agraria", "startup-ecommerce",
                                    "empresa-turismo"),
                  "Public and academic clusters joined only through the innovation centre (an articulation point); "
                  "indigenous organisations; weak national ties."),
    "22": Profile(18, "two_poles", 4, ("cooperativa-agraria", "cooperativa-agraria", "startup-agrotech",
                                       "organizacion-indigena", "universidad-privada", "empresa-turismo"),
                  "Two poles, the capital's public cluster and a business cluster of coffee and cacao cooperatives, "
                  "joined by a single tie (a bridge).", indigenous="nativas"),
    "23": Profile(12, "dense", 3, ("asociacion-migrantes", "startup-ecommerce", "incubadora", "empresa-turismo"),
                  "Dense around real actors (Tacna Innova, UNJBG's agreements, regional broadband); cross-border "
                  "and cross-region ties; migrant organisations.", migrants=True),
    "24": Profile(13, "hub", 4, ("asociacion-migrantes", "asociacion-migrantes", "empresa-turismo"),
                  "Star around the regional government; migrant organisations at the northern border.", migrants=True),
    "25": Profile(15, "fragmented", 1, ("organizacion-indigena", "universidad-privada", "isp-local",
                                        "startup-agrotech", "radio-comunitaria"),
                  "Four components, one per sector, and isolated actors: no local tie crosses sectors; weak "
                  "national ties; no digital-skills offer for women.",
                  groups=(("public",), ("academia",), ("private",), ("civil_society",)), isolates=2,
                  women_digital=False, indigenous="nativas"),
}
BROKER_KIND = "centro-innovacion"
# two_poles: the kinds that make up the second (business) pole
SECOND_POLE = frozenset({"municipalidad-provincial", "universidad-privada", "camara-comercio", "caja-municipal",
                         "cooperativa-ahorro", "agente-telecom", "isp-local", "startup-ecommerce", "startup-agrotech",
                         "startup-fintech", "empresa-software", "empresa-turismo", "agroexportadora",
                         "asociacion-mype", "cooperativa-agraria", "mercado-abastos", "medio-digital"})

# Which national actors a regional actor of each kind plausibly works with.
NATIONAL_PARTNERS: dict[str, tuple[str, ...]] = {
    "gobierno-regional": ("pronatel", "inei", "produce", "minedu"),
    "municipalidad-capital": ("sgtd-pcm", "pronatel", "produce", "pndp", "inei"),
    "municipalidad-provincial": ("pronatel", "sgtd-pcm", "agro-rural"),
    "municipalidad-distrital": ("sgtd-pcm", "produce", "oim"),
    "red-escuelas": ("minedu", "pronatel"),
    "red-salud": ("pronatel", "inei"),
    "universidad-publica": ("concytec", "proinnovate", "inei"),
    "universidad-privada": ("concytec", "proinnovate", "ieduca"),
    "instituto-tecnologico": ("minedu", "proinnovate"),
    "centro-investigacion": ("concytec", "inia"),
    "centro-innovacion": ("proinnovate", "itp", "concytec"),
    "incubadora": ("proinnovate", "produce"),
    "fab-lab": ("proinnovate", "concytec"),
    "cite": ("itp", "produce"),
    "camara-comercio": ("produce", "tu-empresa", "proinnovate"),
    "mercado-abastos": ("pndp", "produce"),
    "asociacion-mype": ("tu-empresa", "produce", "giz"),
    "caja-municipal": ("cce", "bn"),
    "cooperativa-ahorro": ("cce", "bn"),
    "agente-telecom": ("movistar", "claro", "entel", "bitel"),
    "isp-local": ("pronatel", "osiptel"),
    "startup-fintech": ("yape", "plin", "proinnovate"),
    "startup-ecommerce": ("proinnovate", "produce"),
    "startup-agrotech": ("proinnovate", "inia"),
    "startup-edtech": ("proinnovate", "minedu"),
    "empresa-software": ("sgtd-pcm", "proinnovate"),
    "empresa-turismo": ("produce",),
    "agroexportadora": ("itp", "senasa"),
    "cooperativa-agraria": ("agro-rural", "fao", "itp"),
    "asociacion-mujeres": ("pnud", "produce", "plan-international"),
    "red-jovenes": ("save-the-children", "pnud"),
    "organizacion-indigena": ("fao", "agro-rural"),
    "asociacion-migrantes": ("oim", "acnur", "oit", "plan-international", "save-the-children"),
    "ong-desarrollo": ("pnud", "giz", "koica", "fao"),
    "comunidad-tech": ("sgtd-pcm",),
    "mesa-innovacion": ("concytec", "produce"),
}
# The tie a national actor has with a regional one (funding and service: from the national actor).
NATIONAL_TIE = {
    "sgtd-pcm": "training", "pronatel": "service", "inei": "data_sharing", "produce": "training",
    "pndp": "training", "tu-empresa": "training", "proinnovate": "funding", "concytec": "funding", "itp": "service",
    "inia": "joint_project", "minedu": "service", "cce": "network_membership", "bn": "service",
    "movistar": "service", "claro": "service", "entel": "service", "bitel": "service", "osiptel": "data_sharing",
    "yape": "agreement", "plin": "agreement", "ieduca": "agreement", "agro-rural": "service", "fao": "training",
    "senasa": "service", "giz": "service", "pnud": "joint_project", "plan-international": "training",
    "save-the-children": "training", "oim": "funding", "acnur": "funding", "oit": "training", "koica": "funding",
}
# A few ties between regions: (region, kind or actor id, region, kind or actor id).
CROSS_REGION = (
    ("07", "municipalidad-capital", "15a", "municipalidad-distrital"),
    ("07", "universidad-publica", "15a", "universidad-publica"),
    ("07", "startup-fintech", "15a", "startup-fintech"),
    ("15b", "universidad-publica", "15a", "universidad-publica"),
    ("15b", "camara-comercio", "15a", "camara-comercio"),
    ("15b", "cooperativa-agraria", "15a", "incubadora"),
    ("18", "universidad-publica", "23", "unjbg"),
    ("18", "camara-comercio", "23", "camara-comercio-tacna"),
    ("21", "ong-desarrollo", "08", "ong-desarrollo"),
    ("21", "universidad-publica", "04", "universidad-publica"),
    ("06", "cooperativa-agraria", "13", "cedepas-norte"),
    ("14", "camara-comercio", "20", "camara-comercio"),
    ("17", "universidad-publica", "08", "unsaac"),
    ("22", "cooperativa-agraria", "01", "cooperativa-agraria"),
    ("24", "asociacion-migrantes", "20", "asociacion-migrantes"),
    ("04", "startup-fintech", "15a", "startup-fintech"),
    ("12", "municipalidad-capital", "09", "municipalidad-capital"),
    ("11", "agroexportadora", "15a", "empresa-software"),
)

# Tie types between sectors (weights), for illustrative ties without a giver.
SECTOR_TIES: dict[frozenset[str], dict[str, int]] = {
    frozenset({"academia"}): {"joint_project": 5, "agreement": 3, "data_sharing": 2},
    frozenset({"academia", "public"}): {"agreement": 4, "joint_project": 2, "training": 2, "data_sharing": 2},
    frozenset({"public"}): {"agreement": 4, "data_sharing": 4, "joint_project": 2},
    frozenset({"private"}): {"network_membership": 4, "agreement": 3, "service": 2, "joint_project": 1},
    frozenset({"academia", "private"}): {"agreement": 3, "joint_project": 3, "training": 3, "service": 1},
    frozenset({"private", "public"}): {"agreement": 3, "service": 3, "training": 2, "joint_project": 2},
    frozenset({"civil_society"}): {"network_membership": 4, "joint_project": 4, "training": 2},
    frozenset({"civil_society", "public"}): {"training": 4, "joint_project": 3, "agreement": 2},
    frozenset({"academia", "civil_society"}): {"training": 4, "joint_project": 4, "data_sharing": 1},
    frozenset({"civil_society", "private"}): {"training": 3, "service": 3, "joint_project": 2, "network_membership": 2},
}
GIVERS = {"financial": "service", "telecom": "service", "foundation": "funding", "donor": "funding",
          "un_agency": "funding", "development_bank": "funding"}
MEMBERSHIP_TYPES = {"chamber", "network", "business_association"}
# Weight distributions (1..5) by shape: denser regions have stronger ties.
WEIGHTS = {"dense": (5, 20, 35, 25, 15), "medium": (10, 30, 35, 18, 7), "hub": (15, 35, 30, 15, 5),
           "broker": (10, 30, 35, 18, 7), "two_poles": (10, 28, 35, 20, 7), "fragmented": (25, 35, 25, 12, 3)}
# Growth by shape: (number of earlier partners a new actor ties to, bias towards the hub, extra ties per actor)
GROWTH = {"dense": ((1, 2, 2), 0, 0.45), "medium": ((1, 1, 2), 0, 0.25), "hub": ((1, 1, 1, 2), 12, 0.15),
          "broker": ((1, 2), 0, 0.3), "two_poles": ((1, 2, 2), 0, 0.3), "fragmented": ((1, 1, 2), 0, 0.15)}


def weighted_sample(rng: random.Random, items: list[str], weights: list[float], k: int) -> list[str]:
    items, weights, chosen = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        index = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


class Layer:
    """Builds the illustrative actors and ties, region by region, keeping each region's groups apart."""

    def __init__(self, rng: random.Random, regions: list[Region], real: list[Actor], kinds: dict[str, str],
                 real_ties: list[Collaboration]) -> None:
        self.rng = rng
        self.regions = {region.code: region for region in regions}
        self.actors: dict[str, Actor] = {actor.id: actor for actor in real}
        self.kinds = dict(kinds)
        self.illustrative: list[Actor] = []
        self.ties: list[Collaboration] = []
        self.pairs = {frozenset((tie.source, tie.target)) for tie in real_ties}
        self.real_ties = real_ties
        self.members: dict[str, list[str]] = {}      # region -> its actors (real first, then the kit's)
        self.group_of: dict[str, int] = {}           # actor -> its group within its region
        self.isolated: set[str] = set()
        self.outside: dict[str, dict[str, int]] = {}  # region -> outside partner -> the group that reaches it
        self.counters: Counter[str] = Counter()

    # -- actors -----------------------------------------------------------------------------------------
    def kit(self, code: str, profile: Profile) -> list[str]:
        covered = {self.kinds.get(actor_id) for actor_id in self.members[code]}
        kit = [kind for kind in BASE_KIT if kind not in covered] + list(profile.extras)
        filler = [kind for kind in FILLER if KINDS[kind].sector != profile.no_sector]
        while len(kit) < profile.size:
            kit.append(self.rng.choice(filler))
        kit = [profile.municipal if kind == "municipalidad-provincial" else kind for kind in kit]
        return [kind for kind in kit if KINDS[kind].sector != profile.no_sector]

    def add_actor(self, code: str, profile: Profile, kind: str, number: int) -> Actor:
        spec, region = KINDS[kind], self.regions[code]
        names = spec.names or INDIGENOUS_NAMES[profile.indigenous]
        if profile.urban:
            names = tuple(n for n in names if "rural" not in n) or names
        name = names[(number - 1) % len(names)].format(r=region.name).replace("de Callao", "del Callao")
        if number > len(names):
            name += f" ({number})"
        capabilities = self.rng.sample(spec.capabilities, self.rng.randint(1, min(3, len(spec.capabilities))))
        groups = self.rng.sample(spec.target_groups, self.rng.randint(0, min(2, len(spec.target_groups))))
        if spec.core_group and spec.core_group not in groups:
            groups.append(spec.core_group)
        if kind == "organizacion-indigena" and "mujeres" in name:
            groups.append("women")
        if not profile.migrants:
            groups = [group for group in groups if group != "migrants"]
        if profile.urban:
            groups = [group for group in groups if group not in ("rural", "indigenous")]
            capabilities = [c for c in capabilities if c != "digital_agriculture"] or ["digital_skills"]
        if "women" in groups:
            if not profile.women_digital:
                capabilities = [c for c in capabilities if c != "digital_skills"] or ["entrepreneurship"]
            elif kind == "asociacion-mujeres" and "digital_skills" not in capabilities:
                capabilities.append("digital_skills")
        slug = slugify(region.name)
        actor = Actor(
            id=f"{slug}-{kind}" if number == 1 else f"{slug}-{kind}-{number}", name=name, sector=spec.sector,
            type=spec.type, region=code, scope=spec.scope, capabilities=capabilities, target_groups=groups,
            description=f"Actor ilustrativo: {spec.what} en {in_region(region)}.", illustrative=True)
        if actor.id in self.actors:
            raise SystemExit(f"duplicate actor id {actor.id}")
        self.actors[actor.id] = actor
        self.kinds[actor.id] = kind
        self.illustrative.append(actor)
        return actor

    # -- ties -------------------------------------------------------------------------------------------
    def allowed(self, code: str, a: str, b: str) -> bool:
        """Illustrative ties always involve an illustrative actor (no invented tie between two real
        institutions), and respect the region's sector that is never tied."""
        first, second = self.actors[a], self.actors[b]
        if not (first.illustrative or second.illustrative):
            return False
        rule = PROFILES[code].no_tie
        return not (rule and {first.sector, second.sector} == set(rule))

    def dates(self) -> tuple[str | None, str | None, str]:
        rng = self.rng
        status = rng.choices(("active", "planned", "ended"), (78, 9, 13))[0]

        def month(year: int) -> str:
            return f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.35 else str(year)

        if status == "planned":
            return (month(2026) if rng.random() < 0.7 else None), None, status
        if status == "ended":
            start = rng.randint(2015, 2023)
            return month(start), str(rng.randint(start + 1, min(start + 4, TODAY_YEAR - 1))), status
        return month(rng.choices(range(2015, 2026), range(1, 12))[0]), None, status

    def tie(self, code: str, a: str, b: str, kind: str | None = None, weight: int | None = None,
            label: str | None = None) -> None:
        """Add one illustrative tie between ``a`` and ``b`` (its type from their sectors unless given)."""
        rng, first, second = self.rng, self.actors[a], self.actors[b]
        source, target = a, b
        if kind is None:
            givers = [(x, y) for x, y in ((first, second), (second, first))
                      if x.type in GIVERS and y.type not in GIVERS]
            if givers and rng.random() < 0.6:
                giver, receiver = givers[0]
                kind, source, target = GIVERS[giver.type], giver.id, receiver.id
            elif {first.type, second.type} & MEMBERSHIP_TYPES and rng.random() < 0.4:
                kind = "network_membership"
            else:
                options = SECTOR_TIES.get(frozenset((first.sector, second.sector)),
                                          {"agreement": 1, "joint_project": 1})
                kind = rng.choices(list(options), list(options.values()))[0]
                if kind == "service" and second.sector == "private" and first.sector != "private":
                    source, target = b, a  # the private actor provides the service
        if weight is None:
            weight = rng.choices((1, 2, 3, 4, 5), WEIGHTS[PROFILES[code].shape])[0]
        start, end, status = self.dates()
        label = label or slugify(self.regions[code].name)
        self.counters[label] += 1
        self.ties.append(Collaboration(
            id=f"i-{label}-{self.counters[label]:03d}", source=source, target=target, type=kind, weight=weight,
            start=start, end=end, status=status, evidence="ilustrativo", illustrative=True))
        self.pairs.add(frozenset((a, b)))

    def grow(self, code: str, nodes: list[str]) -> None:
        """Tie ``nodes`` into one component by preferential attachment (Barabási & Albert 1999): each actor in
        turn ties to one or more earlier ones, chosen with probability proportional to degree + 1 (the first,
        the hub, gets a bias), then a few extra ties close triangles. An actor with no allowed earlier
        partner waits until one is placed."""
        if len(nodes) < 2:
            return
        rng, (fan, bias, extra) = self.rng, GROWTH[PROFILES[code].shape]
        degree = dict.fromkeys(nodes, 0)
        placed, waiting, stalled = [nodes[0]], list(nodes[1:]), 0
        while waiting:
            node = waiting.pop(0)
            candidates = [other for other in placed if self.allowed(code, node, other)]
            if not candidates:
                waiting.append(node)
                stalled += 1
                if stalled > len(waiting):
                    raise SystemExit(f"region {code}: cannot tie {waiting} into one component")
                continue
            stalled = 0
            weights = [degree[c] + 1 + (bias if c == nodes[0] else 0) for c in candidates]
            for partner in weighted_sample(rng, candidates, weights, rng.choice(fan)):
                self.tie(code, node, partner)
                degree[node] += 1
                degree[partner] += 1
            placed.append(node)
        wanted, attempts = round(extra * len(nodes)), 0
        while wanted > 0 and attempts < 50 * len(nodes):
            attempts += 1
            a = rng.choices(nodes, [degree[n] + 1 for n in nodes])[0]
            b = rng.choice(nodes)
            if a != b and frozenset((a, b)) not in self.pairs and self.allowed(code, a, b):
                self.tie(code, a, b)
                degree[a] += 1
                degree[b] += 1
                wanted -= 1

    def reach(self, code: str, actor: str, partner: str) -> bool:
        """Record that ``actor``'s group reaches the outside ``partner``; False if another group of the region
        already does (the tie would join two groups that must stay apart)."""
        owners = self.outside.setdefault(code, {})
        group = self.group_of.get(actor, 0)
        if owners.get(partner, group) != group:
            return False
        owners[partner] = group
        return True

    # -- regions ----------------------------------------------------------------------------------------
    def groups(self, code: str, profile: Profile) -> list[list[str]]:
        """Split the region's actors into the groups its shape keeps apart (one group for most shapes)."""
        members = [m for m in self.members[code] if m not in self.isolated]
        sector = {m: self.actors[m].sector for m in members}
        if profile.shape == "fragmented":  # each actor joins the first group that lists its sector
            split: list[list[str]] = [[] for _ in profile.groups]
            for m in members:
                split[next(i for i, sectors in enumerate(profile.groups) if sector[m] in sectors)].append(m)
            return split
        if profile.shape == "broker":
            broker = self.broker(code)
            return [[m for m in members if sector[m] in ("public", "civil_society")],
                    [m for m in members if sector[m] in ("academia", "private") and m != broker]]
        if profile.shape == "two_poles":
            second = [m for m in members if self.actors[m].illustrative and self.kinds[m] in SECOND_POLE]
            return [[m for m in members if m not in second], second]
        return [members]

    def broker(self, code: str) -> str:
        return next(m for m in self.members[code] if self.kinds.get(m) == BROKER_KIND)

    def build_region(self, code: str, profile: Profile) -> None:
        # the region's real actors, its regional government first, then the kit's illustrative ones
        leaders = ("gobierno-regional", "municipalidad-capital")
        self.members[code] = sorted((a.id for a in self.actors.values() if a.region == code),
                                    key=lambda m: self.kinds.get(m) not in leaders)
        numbers: Counter[str] = Counter()
        for kind in self.kit(code, profile):
            numbers[kind] += 1
            self.members[code].append(self.add_actor(code, profile, kind, numbers[kind]).id)
        # isolated actors: illustrative, not the broker, not a group's first, from groups of three or more
        for _ in range(profile.isolates):
            candidates = [m for group in self.groups(code, profile) if len(group) >= 3 for m in group[1:]
                          if self.actors[m].illustrative and self.kinds[m] != BROKER_KIND]
            self.isolated.add(self.rng.choice(candidates))
        groups = self.groups(code, profile)
        for index, group in enumerate(groups):
            if len(group) < 2:
                raise SystemExit(f"region {code}: group {index} has fewer than two actors")
            for member in group:
                self.group_of[member] = index
        for tie in self.real_ties:  # real ties already reach some outside partners
            for here, there in ((tie.source, tie.target), (tie.target, tie.source)):
                if self.actors[here].region == code and self.actors[there].region != code:
                    self.reach(code, here, there)
        for group in groups:
            self.grow(code, group)
        if profile.shape == "broker":
            broker = self.broker(code)
            self.group_of[broker] = -1  # its own group: it reaches no outside partner
            for group in groups:
                for member in group[:2]:
                    self.tie(code, broker, member)
        if profile.shape == "two_poles":
            self.tie(code, groups[0][0], groups[1][0], weight=2)

    def national_ties(self, code: str, profile: Profile) -> None:
        candidates = [m for m in self.members[code] if self.actors[m].illustrative and m not in self.isolated
                      and self.group_of.get(m, 0) >= 0 and NATIONAL_PARTNERS.get(self.kinds[m])]
        wanted = profile.national
        if profile.international_only is not None:  # that group gets its (international) tie first
            self.add_national_ties(code, profile, [m for m in candidates
                                                   if self.group_of[m] == profile.international_only], 1)
            wanted -= 1
        self.add_national_ties(code, profile, candidates, wanted)

    def add_national_ties(self, code: str, profile: Profile, candidates: list[str], wanted: int) -> None:
        rng, added, attempts = self.rng, 0, 0
        while added < wanted and attempts < 200:
            attempts += 1
            actor = rng.choice(candidates)
            pool = [p for p in NATIONAL_PARTNERS[self.kinds[actor]] if self.group_of[actor] !=
                    profile.international_only or self.actors[p].sector == "international"]
            if not pool:
                continue
            partner = rng.choice(pool)
            if frozenset((actor, partner)) in self.pairs or not self.allowed(code, actor, partner):
                continue
            if not self.reach(code, actor, partner):
                continue
            weight = 1 if profile.national <= 1 else None
            kind = NATIONAL_TIE[partner]
            self.tie(code, partner, actor, kind=kind, weight=weight)
            added += 1
        if added < wanted:
            raise SystemExit(f"region {code}: only {added} of {wanted} national ties")

    def resolve(self, code: str, what: str) -> str:
        if what in self.actors:
            return what
        return next(m for m in self.members[code] if self.kinds.get(m) == what and m not in self.isolated)

    def cross_region_ties(self) -> None:
        for code_a, what_a, code_b, what_b in CROSS_REGION:
            a, b = self.resolve(code_a, what_a), self.resolve(code_b, what_b)
            if not (self.allowed(code_a, a, b) and self.allowed(code_b, a, b)):
                raise SystemExit(f"cross-region tie {a} - {b} breaks a region's rule")
            if not (self.reach(code_a, a, b) and self.reach(code_b, b, a)):
                raise SystemExit(f"cross-region tie {a} - {b} would join groups kept apart")
            self.tie(code_a, a, b, label="interregional")

    def build(self) -> None:
        for code, profile in PROFILES.items():
            self.build_region(code, profile)
        for code, profile in PROFILES.items():
            self.national_ties(code, profile)
        self.cross_region_ties()


# ---------------------------------------------------------------------------------------------------
# 6. Checks: every profile's promise holds in the region's graph as the app shows it
# ---------------------------------------------------------------------------------------------------

def region_graph(dataset: Dataset, code: str) -> nx.Graph:
    """A region's actors, every tie touching them and the partners at the far end (like Store.graph)."""
    home = {actor.id for actor in dataset.actors if actor.region == code}
    ties = [tie for tie in dataset.collaborations if tie.source in home or tie.target in home]
    ends = home | {end for tie in ties for end in (tie.source, tie.target)}
    return collapse(build_graph([a for a in dataset.actors if a.id in ends], ties, code))


def check(dataset: Dataset, layer: Layer) -> dict[str, dict[str, object]]:
    """Verify each region's promised structure; return per-region figures for the README."""
    actors = {actor.id: actor for actor in dataset.actors}
    figures: dict[str, dict[str, object]] = {}
    for code, profile in PROFILES.items():
        graph = region_graph(dataset, code)
        home = [a for a in dataset.actors if a.region == code]
        components = nx.number_connected_components(graph)
        expected = (len(profile.groups) if profile.shape == "fragmented" else 1) + profile.isolates
        problems = []
        if components != expected:
            problems.append(f"{components} components, expected {expected}")
        if profile.shape == "broker":
            broker = layer.broker(code)
            cut = graph.copy()
            cut.remove_node(broker)
            for part in nx.connected_components(cut):
                if {actors[m].sector for m in part if actors[m].region == code} >= {"public", "academia"}:
                    problems.append("public and academic actors meet without the broker")
        if profile.shape == "two_poles":
            groups = layer.groups(code, profile)
            if frozenset((groups[0][0], groups[1][0])) not in {frozenset(edge) for edge in nx.bridges(graph)}:
                problems.append("the two poles are not joined by a single bridge")
        if profile.international_only is not None:
            group = set(layer.groups(code, profile)[profile.international_only])
            partners = {n for m in group for n in graph[m] if actors[n].region != code}
            if not partners or any(actors[n].sector != "international" for n in partners):
                problems.append(f"group {profile.international_only} reaches {sorted(partners)}")
        if profile.no_sector and any(a.sector == profile.no_sector for a in home):
            problems.append(f"has a {profile.no_sector} actor")
        if profile.no_tie:
            for u, v in graph.edges:
                if {actors[u].sector, actors[v].sector} == set(profile.no_tie):
                    problems.append(f"tie {u} - {v} between {profile.no_tie}")
        if any("migrants" in a.target_groups for a in home) != profile.migrants:
            problems.append("migrant services differ from the profile")
        women = any("women" in a.target_groups and "digital_skills" in a.capabilities for a in home)
        if women != profile.women_digital:
            problems.append("digital skills for women differ from the profile")
        if problems:
            raise SystemExit(f"region {code}: " + "; ".join(problems))
        ids = {a.id for a in home}
        ties = [t for t in dataset.collaborations if t.source in ids or t.target in ids]
        national = {n for n in graph if actors[n].region is None}
        figures[code] = {
            "real": sum(not a.illustrative for a in home), "illustrative": sum(a.illustrative for a in home),
            "real_ties": sum(not t.illustrative for t in ties), "illustrative_ties": sum(t.illustrative for t in ties),
            "components": components, "isolated": sum(1 for n in graph if graph.degree(n) == 0),
            "national": len(national), "articulation": len([n for n in nx.articulation_points(graph)
                                                            if actors[n].region == code]),
            "max_degree": max(dict(graph.degree()).values()),
        }
    return figures


# ---------------------------------------------------------------------------------------------------
# 7. README
# ---------------------------------------------------------------------------------------------------

README = """# The bundled Peru dataset

`data/peru/` is the digital ecosystem ecograph ships with: Peru's 26 INEI regional units, official
figures on internet and mobile access, **{real_actors} real actors and {real_ties} documented ties**,
and an **illustrative regional layer of {illus_actors} invented actors and {illus_ties} invented
ties** that gives every region a map to explore. Every record says which it is: `illustrative` is
`false` for what a source documents and `true` for what was invented; invented actors' descriptions
begin with "Actor ilustrativo:", and invented ties have the evidence "ilustrativo".

It is generated by `scripts/build_peru_data.py` from a folder of compiled reference facts (public
sources, each row with its address and how sure it is). Do not edit the CSVs by hand: change the script
and rebuild (see the end).

| file | rows |
| --- | --- |
| `regions.csv` | {regions} |
| `indicators.csv` | {indicators} ({empty_indicators} of them deliberately empty) |
| `actors.csv` | {actors} ({real_actors} real, {illus_actors} illustrative) |
| `collaborations.csv` | {ties} ({real_ties} real, {illus_ties} illustrative) |

## What is real

- **Regions** (`regions.csv`): the 24 departments and Callao with their INEI codes (Callao is `07`),
  except that Lima is split the way INEI reports it: `15a` Lima Metropolitana (the Provincia de Lima)
  and `15b` Lima Provincias (Región Lima, the other nine provinces, capital Huacho). Population is the
  2017 census; latitude and longitude are the capital's. Two caveats, written in each row's `source`:
  some populations were recalled rather than re-read (they add up to the national total of
  29,381,884), and the coordinates of Huacho were added by hand: they are not in the reference.
- **Indicators** (`indicators.csv`): every figure of the reference tables, INEI's ENAHO survey as
  published or as quoted by the press, with the address and the reference's status note in `source`.
  `PE` is the whole country. See the conventions below for Lima and for empty values.
- **Actors**: the {reference_actors} institutions of the reference list (national bodies, regional actors in
  Cajamarca, Cusco, Tacna, La Libertad, Huánuco, Moquegua and Ucayali, telecom operators, digital-payment
  providers, international cooperation), plus {extra_actors} real institutions the documented collaborations
  or the challenge statement name as partners: every regional government (TransformaGob trained staff of
  all 25, see below), the Municipalidad Metropolitana de Lima, iEduca, UNDP's Chief Digital Office,
  ministries and agencies (MEF, MINAM, MINSA, MINJUS, MTPE, VIVIENDA, SUNAT, SENASA, Migraciones, the
  Congreso de la República), the GTRM platform, NED, Japan Platform, NPCI and CREEAS. `source` is the address that
  documents each; {unverified} well-known institutions (MINEDU aside) have no address in the reference and
  say so.
- **Ties**: the 24 documented collaborations of the reference (ids `c01-…` to `c24-…`), expanded into
  {documented_ties} pairwise ties, and {challenge_ties} ties documented only by the UNDP Accelerator Lab Peru
  challenge statement (ids `cs-…`, evidence "Challenge statement, UNDP Accelerator Lab Peru"): CREANDO with
  PRODUCE, IOM and UNHCR for migrant entrepreneurs, the digital secretariat of the PCM on regional digital
  ecosystems, iEduca on e-learning, and UNDP's Chief Digital Office.

## What is illustrative

Everything with `illustrative=true`: {illus_actors} actors and {illus_ties} ties, invented to show what a
regional ecosystem map looks like and to give the analysis something to find in every region. The
actors' names are descriptive and generic ("Universidad pública – Junín", "Incubadora de Empresas de
Huánuco", "Asociación de Mujeres Emprendedoras de Puno"); none is meant to be a specific real
institution, and none should be read as one. Illustrative ties may join an invented actor to a real one
(a regional government, a national programme, a telecom operator), but **no illustrative tie joins two
real institutions**: every tie between two real actors is documented.

## Conventions

- **Lima.** INEI's ENAHO reports "Lima Metropolitana" as the Provincia de Lima *and* Callao; its
  figures are attached to `15a` and the `source` says so. Where a table has both "Lima Metropolitana"
  and "Provincia de Lima", the Provincia de Lima figure (which matches `15a` exactly) is used. "Región
  Lima" is `15b`. INEI's "resto urbano" (urban areas outside Lima Metropolitana) is the `urban` area of
  `PE`, noted in `source`.
- **Left out**, because the figure fits none of the units:
{left_out}
- **Empty values.** The mobile-phone table by department lacks Pasco to Ucayali: those rows are in
  `indicators.csv` with an empty value (missing, not zero), for 2016 and 2007. No 2022-2024 table by
  department was found, so no such rows exist. Nothing was estimated.
- **Approximate periods.** Cusco's "~2023 (latest ENAHO per REDES)" is period `2023`, with the
  approximation noted in `source`.
- **Indicator names** are the reference's, in snake_case (`households_with_only_mobile_phone_no_fixed`).
- **Multi-party collaborations** become one tie between the lead (the partner that coordinates or
  executes: the host or executor when the source names one, e.g. the Universidad Privada de Tacna for
  Tacna Innova, ALAC for "Gestores del desarrollo") and each other partner. A funder's tie is a
  `funding` tie from the funder to the lead. `funding` and `service` are directional: `source` gives,
  `target` receives; the other types are undirected.
- **Partners without a single institution.** "MTC/PRONATEL" is PRONATEL (the MTC's programme);
  "Tacna public institutions" (schools, health posts and police stations reached by broadband, C14) are
  represented by the Gobierno Regional de Tacna; "BCP (Yape)" and "BBVA/Interbank/Scotiabank (Plin)" are
  Yape and Plin; "UN agencies" in the GTRM (C20) is the GTRM platform itself; "SGTD-PCM (LabGob)" is
  LabGob. TransformaGob (C04) reports staff from "25 regions" without a list: it is tied to the 25
  regional governments (24 departments and Callao; Lima's is the one in Huacho), with weight 2, and 3
  for the finalists Cusco and Cajamarca; correct these ties if the real list differs. The role of the
  National Endowment for Democracy in TransformaGob is not described (weight 1). The Congress's Ley 31680
  (C12), which declares the science parks of national interest, is an `agreement` of weight 1: a
  declaration, not a working tie.
- **Weights** (1-5) are editorial. Real ties: 5 a multi-year programme with the partner as main
  counterpart (Innova tu Mercado); 4 a funded project, infrastructure or convenio with a concrete
  deliverable between two named parties; 3 a named partner in a multi-party project or network; 2 a
  broad programme or event reaching many partners at once; 1 a declaration, or a partner whose role the
  source does not describe. Illustrative ties draw their weight at random, stronger in dense regions.
- **Dates and status.** `start`/`end` come from the year column: "2020-" is start 2020 with no end;
  "2022-2024" is start 2022, end 2024; a single year is the start. A tie is `ended` when its end year
  has passed, otherwise `active`; exceptions, each commented in the script: the BCRP's interoperability
  regime (C15) continues after its 2022-2023 roll-out (active, no end); the 2025 markets convention (C17)
  and the 2021 "Amistad sin fronteras" project (C22) are one-offs (ended). Undated collaborations ("n.d.",
  "n.d. (~2023)") have no dates rather than guessed ones. The challenge statement gives no dates: its
  ties have none, and those it describes as being explored or intended are `planned`.
- **Capabilities and target groups** of every actor, real ones included, are editorial: a reasonable
  reading of each institution's mandate, not a documented inventory. So are real actors' `type` (mapped
  to the controlled vocabulary) and `scope`. National and international actors have no `region`.
- **Websites** are given only where certain; otherwise empty.
- **Ids.** Real actors have short readable slugs (`pnud`, `sgtd-pcm`, `produce`, `gore-cusco`);
  illustrative ones are `<region>-<kind>` (`puno-asociacion-mujeres`, `-2` for a second one). Real ties
  are `c01-pnud-produce` (reference collaboration, then source and target) or `cs-…` (challenge
  statement); illustrative ties are `i-<region>-NNN`, and `i-interregional-NN` between regions.

## The structure of each region

Each region's illustrative layer has a deliberately different shape, so that comparing regions shows
something: some are well connected, some fragmented into several components with isolated actors, some
lack a sector or a kind of tie, some hang on a single broker (an articulation point) between the public
and the academic clusters, some have only weak ties to national actors. Within a component, actors join
by preferential attachment, so degrees are heavy-tailed. The build script checks each promise below
against the region's graph as ecograph shows it (the region's actors, every tie touching them, and the
partners at the far end) and refuses to write the data if one fails.

"Actors" are the region's own (real + illustrative); "ties" touch at least one of them; "components"
and "national" (the national and international partners reached) are counted in the region's graph;
"max degree" is that of its best-connected node.
Regions where no actor offers digital skills to women say so in the notes; actors serving migrants
exist only in Lima Metropolitana, Callao, Arequipa, La Libertad, Piura, Tumbes,
Tacna, Cusco and Madre de Dios (the regions of the GTRM's seed-capital support, C20, plus Callao).

| code | region | shape | actors (real + illus.) | ties (real + illus.) | components | national | max degree | notes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{table}

Cross-region ties (ids `i-interregional-…`) join Callao and Lima Provincias to Lima Metropolitana, Moquegua
to Tacna, Puno to Cusco and Arequipa, Cajamarca to La Libertad, Lambayeque and Tumbes to Piura, Madre de
Dios to Cusco, San Martín to Amazonas, Junín to Huancavelica, and Arequipa and Ica to Lima Metropolitana.

## What could not be sourced

- No public source for the CREANDO programme beyond the challenge statement.
- No complete 2022-2024 table of internet access by department; the 2016 mobile-phone table lacks
  Pasco to Ucayali.
- The seed figures for the first quarter of 2020 (40.1%, 5.9%, 62.9%) are as quoted in the challenge
  statement, not re-verified against INEI's report.
- {unverified} reference institutions (the four telecom operators, Banco de la Nación, Agro Rural, Tu Empresa,
  UPAGU, UPN Cajamarca, Universidad Continental Cusco, the Cámara de Comercio del Cusco, USAID) are
  well known but were not verified against a source. The Ministerio de Cultura press note behind C06,
  the Universidad Andina del Cusco and the DDC Cusco was not captured with an address.
- The full name of CREEAS (La Libertad) is not in the source.
- The coordinates of Huacho (capital of `15b`).

## Rebuild

```sh
.venv/bin/python scripts/build_peru_data.py
```

It reads the reference folder `../shared/reference` (relative to the repository root), writes the four
CSVs and this README, and is deterministic (`random.Random({seed})`): running it twice gives
byte-identical files. The CSVs are committed, so nothing else needs the reference folder.

## Resumen en español

`data/peru/` es el conjunto de datos que acompaña a ecograph: las 26 unidades regionales del INEI (Lima
dividida en `15a` Lima Metropolitana y `15b` Lima Provincias), cifras oficiales de acceso a internet y
telefonía móvil (ENAHO), {real_actors} actores reales y {real_ties} vínculos documentados, cada uno con su
fuente, y una capa regional **ilustrativa** de {illus_actors} actores y {illus_ties} vínculos inventados
(`illustrative=true`; su descripción empieza con "Actor ilustrativo:") que da a cada región una estructura
distinta: regiones bien conectadas (Lima Metropolitana, Arequipa, La Libertad), regiones fragmentadas con
actores aislados (Loreto, Madre de Dios, Ucayali, Huancavelica, Amazonas), regiones sin sector privado
(Huancavelica) o sin vínculos entre academia y empresa (Apurímac), regiones que dependen de un único
intermediario entre el sector público y la academia (Ayacucho, Junín, Puno) y regiones con vínculos débiles
con los actores nacionales. Ningún vínculo ilustrativo une a dos instituciones reales. Los pesos, las
capacidades y los grupos objetivo son editoriales. Las cifras que no corresponden a ninguna unidad (el
departamento de Lima completo) se dejaron fuera y las que faltan quedan vacías, nunca estimadas. Para
regenerar: `.venv/bin/python scripts/build_peru_data.py`.
"""


def write_readme(dataset: Dataset, figures: dict[str, dict[str, object]], left_out: list[str],
                 real_actor_count: int) -> None:
    names = {region.code: region.name for region in dataset.regions}
    rows = []
    for code, profile in PROFILES.items():
        f = figures[code]
        rows.append(f"| {code} | {names[code]} | {profile.shape.replace('_', ' ')} | {f['real']} + "
                    f"{f['illustrative']} | {f['real_ties']} + {f['illustrative_ties']} | {f['components']} | "
                    f"{f['national']} | {f['max_degree']} | {profile.note} |")
    real = [a for a in dataset.actors if not a.illustrative]
    ties = dataset.collaborations
    text = README.format(
        regions=len(dataset.regions), indicators=len(dataset.indicators),
        empty_indicators=sum(i.value is None for i in dataset.indicators), actors=len(dataset.actors),
        real_actors=len(real), illus_actors=len(dataset.actors) - len(real), ties=len(ties),
        real_ties=sum(not t.illustrative for t in ties), illus_ties=sum(t.illustrative for t in ties),
        reference_actors=real_actor_count, extra_actors=len(real) - real_actor_count,
        unverified=sum(a.source == NOT_VERIFIED for a in real),
        documented_ties=sum(t.id.startswith("c") and not t.id.startswith("cs-") for t in ties if not t.illustrative),
        challenge_ties=sum(t.id.startswith("cs-") for t in ties),
        left_out="\n".join(f"  - {item}" for item in left_out), table="\n".join(rows), seed=SEED)
    (OUT / "README.md").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------

def main() -> None:
    departments = read_reference("peru_departments.csv")
    regions = build_regions(departments)
    codes = {row["department"]: row["ubigeo_inei"] for row in departments
             if row["ubigeo_inei"].isdigit() and row["ubigeo_inei"] != "15"}
    indicators, left_out = build_indicators(read_reference("ict_indicators.csv"),
                                            read_reference("households_mobile_phone_by_dept_2016.csv"), codes)
    reference_actors = read_reference("actors.csv")
    real_actors, kinds = build_real_actors(reference_actors, regions, codes)
    gores = sorted(actor.id for actor in real_actors if actor.type == "regional_government")
    real_ties = build_real_ties(read_reference("collaborations.csv"), gores)
    layer = Layer(random.Random(SEED), regions, real_actors, kinds, real_ties)
    layer.build()
    dataset = Dataset(regions=regions, indicators=indicators, actors=[*real_actors, *layer.illustrative],
                      collaborations=[*real_ties, *layer.ties])
    figures = check(dataset, layer)
    write_csv(dataset, OUT)
    write_readme(dataset, figures, left_out, len(reference_actors))
    real = sum(not a.illustrative for a in dataset.actors)
    real_tie_count = sum(not t.illustrative for t in dataset.collaborations)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(dataset.regions)} regions, {len(dataset.indicators)} indicators, "
          f"{len(dataset.actors)} actors ({real} real), {len(dataset.collaborations)} ties ({real_tie_count} real)")


if __name__ == "__main__":
    main()
