"""Page texts in Spanish and English, and the choice of language for a request.

Spanish is the default. A request picks its language with ``?lang=``, then the ``lang`` cookie
(set when someone uses the switch), then ``Accept-Language``. Every controlled value of the data
model (sectors, actor types, capabilities ...) has a label in both languages here, so no page ever
shows a raw code.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

LANGUAGES = ("es", "en")
DEFAULT = "es"
COOKIE = "lang"

# (es, en) for every page text; ``{name}`` placeholders are filled by :meth:`Texts.__call__`.
TEXTS: dict[str, tuple[str, str]] = {
    "tagline": ("Ecosistemas digitales de las regiones del Perú", "Digital ecosystems of Peru's regions"),
    "skip": ("Saltar al contenido", "Skip to content"),
    "nav_home": ("Regiones", "Regions"),
    "nav_compare": ("Comparar", "Compare"),
    "nav_import": ("Importar datos", "Import data"),
    "json_twin": ("Ver como JSON", "View as JSON"),
    "switch_to": ("English", "Español"),
    "home_title": ("El Perú de un vistazo", "Peru at a glance"),
    "home_intro": ("Actores del ecosistema digital, sus colaboraciones y el acceso a internet de los hogares, "
                   "por región.",
                   "Digital-ecosystem actors, their collaborations and household internet access, by region."),
    "region": ("Región", "Region"),
    "regions": ("Regiones", "Regions"),
    "actors": ("Actores", "Actors"),
    "ties": ("Vínculos", "Ties"),
    "score": ("Puntaje del ecosistema", "Ecosystem score"),
    "score_short": ("Puntaje", "Score"),
    "gaps": ("Brechas", "Gaps"),
    "internet": ("Hogares con internet", "Households with internet"),
    "internet_short": ("Internet (% hogares)", "Internet (% homes)"),
    "missing": ("sin dato", "no data"),
    "sort_hint": ("Pulse un encabezado para ordenar. En el óvalo, cuántas brechas son de prioridad alta. El puntaje "
                  "va de 0 a 100: más alto, ecosistema más sano.",
                  "Click a heading to sort. In the oval, how many gaps are high priority. The score runs from 0 "
                  "to 100: higher is a healthier ecosystem."),
    "chart_title": ("Puntaje del ecosistema y acceso a internet", "Ecosystem score and internet access"),
    "chart_missing_note": ("Un punto hueco en la franja «sin dato» es una región a la que le falta esa cifra; "
                           "no se dibuja como cero.",
                           "A hollow point in a \u201cno data\u201d band is a region lacking that figure; "
                           "it is not drawn as zero."),
    "chart_none": ("El gráfico aparece cuando al menos una región tiene puntaje y dato de internet.",
                   "The chart appears once at least one region has both a score and an internet figure."),
    "national_figure": ("Perú:", "Peru:"),
    "national_internet": ("En todo el Perú, {value} % de los hogares tenía internet ({period}).",
                          "Across Peru, {value}% of households had internet ({period})."),
    "chart_without_x": ("Sin dato de internet", "No internet figure"),
    "chart_without_y": ("Sin puntaje", "No score"),
    "percent_households": ("% de hogares con internet", "% of households with internet"),
    "no_regions": ("Todavía no hay regiones cargadas.", "No regions have been loaded yet."),
    "graph": ("Mapa del ecosistema", "Ecosystem map"),
    "graph_help": ("Pase el cursor sobre un actor o vínculo para ver sus datos; haga clic en un actor para "
                   "resaltar sus vecinos.",
                   "Hover an actor or tie to see its details; click an actor to highlight its neighbours."),
    "graph_fallback": ("El mapa necesita JavaScript. Las tablas de esta página muestran los mismos datos.",
                       "The map needs JavaScript. The tables on this page show the same data."),
    "search": ("Buscar actor", "Find actor"),
    "search_placeholder": ("Nombre o sigla", "Name or acronym"),
    "not_found": ("Ningún actor coincide.", "No actor matches."),
    "size_by": ("Tamaño según", "Size by"),
    "filters": ("Filtros", "Filters"),
    "filter_sector": ("Sectores", "Sectors"),
    "filter_capability": ("Capacidad", "Capability"),
    "all_capabilities": ("Todas", "All"),
    "show_recommended": ("Mostrar vínculos recomendados", "Show recommended ties"),
    "legend": ("Leyenda", "Legend"),
    "legend_size": ("Tamaño: {measure}", "Size: {measure}"),
    "legend_width": ("Grosor: intensidad del vínculo (1–5)", "Width: tie strength (1–5)"),
    "legend_dashed": ("Discontinuo: vínculo recomendado", "Dashed: recommended tie"),
    "legend_arrow": ("Flecha: financiamiento o servicio (quien da → quien recibe)",
                     "Arrow: funding or service (giver → receiver)"),
    "legend_outside": ("Borde gris: actor de fuera de la región", "Grey border: actor from outside the region"),
    "reset_view": ("Ver todo", "Show all"),
    "sector": ("Sector", "Sector"),
    "type": ("Tipo", "Type"),
    "scope": ("Alcance", "Scope"),
    "capabilities": ("Capacidades", "Capabilities"),
    "target_groups": ("Grupos objetivo", "Target groups"),
    "programs": ("Programas", "Programs"),
    "profile": ("Perfil", "Profile"),
    "strength": ("Intensidad", "Strength"),
    "status": ("Estado", "Status"),
    "period": ("Periodo", "Period"),
    "partner": ("Socio", "Partner"),
    "tie_type": ("Tipo de vínculo", "Tie type"),
    "evidence": ("Evidencia", "Evidence"),
    "illustrative": ("ilustrativo", "illustrative"),
    "website": ("Sitio web", "Website"),
    "home_region": ("Región de origen", "Home region"),
    "national": ("Nacional / sin región", "National / no region"),
    "population": ("Población (2017)", "Population (2017)"),
    "capital": ("Capital", "Capital"),
    "region_title": ("Ecosistema digital de {name}", "Digital ecosystem of {name}"),
    "region_summary": ("{actors} actores de la región, {ties} vínculos y {outside} socios de fuera.",
                       "{actors} actors in the region, {ties} ties and {outside} partners from elsewhere."),
    "region_empty": ("Esta región todavía no tiene actores.", "This region has no actors yet."),
    "key_actors": ("Actores clave", "Key actors"),
    "key_actors_help": ("Los actores más conectados y los que unen grupos que de otro modo no se hablan.",
                        "The best-connected actors and those that join groups that would not otherwise talk."),
    "roles": ("Roles", "Roles"),
    "opportunities": ("Oportunidades de articulación", "Bridging opportunities"),
    "no_gaps": ("No se encontraron brechas.", "No gaps were found."),
    "no_opportunities": ("No hay oportunidades que proponer.", "There are no opportunities to suggest."),
    "draw_on_graph": ("Ver en el mapa", "Show on map"),
    "convening": ("Grupo convocante", "Convening set"),
    "convening_help": ("Los pocos actores que, reunidos, alcanzan a la mayor parte del ecosistema.",
                       "The few actors who, brought together, reach most of the ecosystem."),
    "mixing": ("Colaboración entre sectores", "Collaboration between sectors"),
    "mixing_help": ("Número de vínculos entre cada par de sectores; más oscuro, más vínculos. Pase el cursor "
                    "para ver cuántos se esperarían por azar.",
                    "Number of ties between each pair of sectors; darker means more ties. Hover to see how many "
                    "chance alone would give."),
    "mixing_cell": ("{observed} vínculos (por azar: {expected})", "{observed} ties (by chance: {expected})"),
    "convening_reach": ("Juntos llegan al {share} % de los actores de la región en {steps} paso(s).",
                        "Together they reach {share}% of the region's actors within {steps} step(s)."),
    "what_if": ("¿Y si…?", "What if…?"),
    "what_if_help": ("Quite un actor para ver cómo cambiaría el ecosistema.",
                     "Remove an actor to see how the ecosystem would change."),
    "what_if_remove": ("Quitar actor", "Remove actor"),
    "what_if_submit": ("Calcular", "Calculate"),
    "what_if_result": ("Sin {name}:", "Without {name}:"),
    "before": ("Antes", "Before"),
    "after": ("Después", "After"),
    "change": ("Cambio", "Change"),
    "analysis_pending": ("El análisis de la red aún no está disponible en este servidor.",
                         "Network analysis is not available on this server yet."),
    "print": ("Imprimir resumen", "Print brief"),
    "printed_on": ("Resumen generado por ecograph, versión de datos {version}.",
                   "Brief produced by ecograph, data version {version}."),
    "embed": ("Insertar en otro sitio", "Embed in another site"),
    "embed_help": ("Copie este código en su página. Parámetros: measure, sectors (separados por comas), lang.",
                   "Copy this code into your page. Parameters: measure, sectors (comma-separated), lang."),
    "copy": ("Copiar", "Copy"),
    "embed_open": ("Abrir en ecograph", "Open in ecograph"),
    "ego_network": ("Red directa", "Direct network"),
    "actor_ties": ("Vínculos", "Ties"),
    "no_ties": ("Sin vínculos registrados.", "No recorded ties."),
    "recommended_partners": ("Socios recomendados", "Recommended partners"),
    "compare_title": ("Comparar regiones", "Compare regions"),
    "compare_pick": ("Elija dos o más regiones.", "Pick two or more regions."),
    "compare_submit": ("Comparar", "Compare"),
    "by_sector": ("Actores por sector", "Actors by sector"),
    "import_title": ("Importar un libro de datos", "Import a workbook"),
    "import_intro": ("Suba un libro .xlsx con las hojas regions, indicators, actors y collaborations (o un "
                     ".json, o un .zip con los CSV). Primero se valida; nada se guarda hasta que confirme.",
                     "Upload an .xlsx workbook with the sheets regions, indicators, actors and collaborations "
                     "(or a .json file, or a .zip of the CSV files). It is validated first; nothing is saved "
                     "until you confirm."),
    "import_token_help": ("Una clave de administrador o de editor, creada con «ecograph token create». Un editor "
                          "solo puede cambiar datos de sus regiones.",
                          "An admin or editor token, made with \u201cecograph token create\u201d. An editor may "
                          "change only its regions' data."),
    "import_file": ("Archivo", "File"),
    "import_token": ("Clave de la API", "API token"),
    "import_replace": ("Reemplazar: quitar lo que el archivo ya no tiene",
                       "Replace: remove what the file no longer has"),
    "import_check": ("Validar", "Validate"),
    "import_confirm": ("Confirmar e importar", "Confirm and import"),
    "import_problems": ("{count} problema(s); no se importó nada.", "{count} problem(s); nothing was imported."),
    "import_valid": ("Archivo válido: {regions} regiones, {indicators} indicadores, {actors} actores, "
                     "{collaborations} vínculos.",
                     "Valid file: {regions} regions, {indicators} indicators, {actors} actors, "
                     "{collaborations} collaborations."),
    "import_changes": ("Cambios que se aplicarán", "Changes that will be applied"),
    "import_done": ("Importado. Versión de datos {version}.", "Imported. Data version {version}."),
    "import_bad_token": ("La clave no es válida o fue revocada.", "The token is unknown or revoked."),
    "import_not_writer": ("Esa clave solo permite leer; use una de administrador o de editor.",
                          "That token can only read; use an admin or editor token."),
    "import_unreadable": ("No se pudo leer el archivo; no se importó nada.",
                          "The file could not be read; nothing was imported."),
    "import_out_of_scope": ("Esa clave no puede hacer todos estos cambios; no se importó nada.",
                            "That token may not make all of these changes; nothing was imported."),
    "import_expired": ("Esa carga ya no está disponible; súbala de nuevo.",
                       "That upload is no longer available; upload it again."),
    "added": ("nuevos", "added"),
    "updated": ("modificados", "updated"),
    "removed": ("eliminados", "removed"),
    "unchanged": ("sin cambios", "unchanged"),
    "table": ("Tabla", "Table"),
    "table_regions": ("Regiones", "Regions"),
    "table_indicators": ("Indicadores", "Indicators"),
    "table_actors": ("Actores", "Actors"),
    "table_collaborations": ("Vínculos", "Collaborations"),
    "row": ("fila", "row"),
    "cancel": ("Cancelar", "Cancel"),
    "where": ("Dónde", "Where"),
    "problem": ("Problema", "Problem"),
    "not_found_title": ("No encontrado", "Not found"),
    "back_home": ("Volver a las regiones", "Back to the regions"),
    "data_version": ("Versión de datos {version}", "Data version {version}"),
}

# Labels of the data model's controlled values, (es, en) by kind and code.
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "sector": {
        "academia": ("Academia", "Academia"), "public": ("Sector público", "Public sector"),
        "private": ("Sector privado", "Private sector"), "civil_society": ("Sociedad civil", "Civil society"),
        "international": ("Cooperación internacional", "International cooperation"),
    },
    "type": {
        "university": ("Universidad", "University"), "institute": ("Instituto", "Institute"),
        "research_center": ("Centro de investigación", "Research centre"), "school": ("Colegio", "School"),
        "ministry": ("Ministerio", "Ministry"), "agency": ("Agencia pública", "Public agency"),
        "regional_government": ("Gobierno regional", "Regional government"),
        "municipality": ("Municipalidad", "Municipality"), "program": ("Programa público", "Public programme"),
        "innovation_lab": ("Laboratorio de innovación", "Innovation lab"), "company": ("Empresa", "Company"),
        "startup": ("Startup", "Start-up"), "chamber": ("Cámara de comercio", "Chamber of commerce"),
        "telecom": ("Operador de telecomunicaciones", "Telecom operator"),
        "financial": ("Entidad financiera", "Financial institution"),
        "business_association": ("Gremio empresarial", "Business association"), "ngo": ("ONG", "NGO"),
        "community_org": ("Organización comunitaria", "Community organisation"),
        "foundation": ("Fundación", "Foundation"), "network": ("Red", "Network"),
        "un_agency": ("Agencia de la ONU", "UN agency"), "donor": ("Cooperante", "Donor"),
        "development_bank": ("Banco de desarrollo", "Development bank"), "embassy": ("Embajada", "Embassy"),
        "innovation_center": ("Centro de innovación", "Innovation centre"),
        "incubator": ("Incubadora", "Incubator"), "media": ("Medio de comunicación", "Media"),
    },
    "family": {
        "education": ("Educación e investigación", "Education and research"),
        "government": ("Gobierno y programas", "Government and programmes"),
        "innovation": ("Apoyo a la innovación", "Innovation support"),
        "business": ("Empresas y medios", "Companies and media"),
        "association": ("Gremios y redes", "Associations and networks"),
        "nonprofit": ("ONG y fundaciones", "NGOs and foundations"),
        "cooperation": ("Cooperación y banca de desarrollo", "Cooperation and development banks"),
    },
    "capability": {
        "connectivity": ("Conectividad", "Connectivity"), "digital_skills": ("Habilidades digitales", "Digital skills"),
        "e_government": ("Gobierno digital", "E-government"), "digital_payments": ("Pagos digitales",
                                                                                   "Digital payments"),
        "e_commerce": ("Comercio electrónico", "E-commerce"), "entrepreneurship": ("Emprendimiento",
                                                                                  "Entrepreneurship"),
        "research_innovation": ("Investigación e innovación", "Research and innovation"),
        "data_statistics": ("Datos y estadísticas", "Data and statistics"), "financing": ("Financiamiento",
                                                                                         "Financing"),
        "policy": ("Políticas públicas", "Policy"), "cybersecurity": ("Ciberseguridad", "Cybersecurity"),
        "e_learning": ("Educación virtual", "E-learning"), "e_health": ("Salud digital", "E-health"),
        "digital_agriculture": ("Agricultura digital", "Digital agriculture"),
    },
    "target_group": {
        "women": ("Mujeres", "Women"), "migrants": ("Migrantes", "Migrants"), "youth": ("Jóvenes", "Youth"),
        "indigenous": ("Pueblos indígenas", "Indigenous peoples"), "rural": ("Población rural", "Rural people"),
        "msme": ("MYPE", "MSMEs"),
    },
    "scope": {
        "local": ("Local", "Local"), "regional": ("Regional", "Regional"), "national": ("Nacional", "National"),
        "international": ("Internacional", "International"),
    },
    "tie_type": {
        "agreement": ("Convenio", "Agreement"), "joint_project": ("Proyecto conjunto", "Joint project"),
        "funding": ("Financiamiento", "Funding"), "training": ("Capacitación", "Training"),
        "data_sharing": ("Intercambio de datos", "Data sharing"),
        "network_membership": ("Membresía en red", "Network membership"), "service": ("Servicio", "Service"),
    },
    "status": {
        "active": ("Activo", "Active"), "planned": ("Planificado", "Planned"), "ended": ("Terminado", "Ended"),
    },
    "measure": {
        "degree": ("Número de socios", "Number of partners"),
        "weighted_degree": ("Intensidad total", "Total strength"),
        "betweenness": ("Intermediación", "Betweenness"),
        "pagerank": ("PageRank", "PageRank"),
        "closeness": ("Cercanía", "Closeness"),
        "core": ("Núcleo (k-core)", "Core (k-core)"),
        "effective_size": ("Tamaño efectivo (Burt)", "Effective size (Burt)"),
        "constraint": ("Restricción (Burt)", "Constraint (Burt)"),
    },
    "role": {
        "hub": ("Polo: muchos socios", "Hub: many partners"),
        "broker": ("Intermediario", "Broker"),
        "fragmenter": ("Sostiene la red", "Holds the network together"),
        "convener": ("Convocante", "Convener"),
        "coordinator": ("Coordinador (dentro de su sector)", "Coordinator (within its sector)"),
        "itinerant": ("Itinerante (entre actores de otro sector)", "Itinerant (between another sector's actors)"),
        "gatekeeper": ("Guardián (puerta a su sector)", "Gatekeeper (door to its sector)"),
        "representative": ("Representante (de su sector)", "Representative (of its sector)"),
        "liaison": ("Enlace (entre sectores)", "Liaison (between sectors)"),
    },
    "severity": {
        "high": ("Alta", "High"), "medium": ("Media", "Medium"), "low": ("Baja", "Low"),
    },
    "figure": {
        "components": ("Grupos sin conexión entre sí", "Groups not connected to each other"),
        "fragmentation": ("Fragmentación (actores fuera del grupo mayor)", "Fragmentation (actors outside the "
                                                                           "largest group)"),
        "ei_index": ("Índice E-I (−1 cerrado, +1 abierto a otros sectores)", "E-I index (−1 closed, +1 open to "
                                                                             "other sectors)"),
        "reach_share": ("Alcance del grupo convocante", "Reach of the convening set"),
        "density": ("Densidad", "Density"),
        "sector_coverage": ("Sectores presentes", "Sectors present"),
        "cross_sector_share": ("Vínculos entre sectores distintos", "Ties across sectors"),
        "national_ties": ("Vínculos con actores nacionales", "Ties to national actors"),
        "gaps_high": ("Brechas altas", "High gaps"),
        "gaps_medium": ("Brechas medias", "Medium gaps"),
        "gaps_low": ("Brechas bajas", "Low gaps"),
    },
}


@dataclass(frozen=True)
class Texts:
    """The texts of one language: ``texts("key", name=...)`` and ``texts.label("sector", "public")``."""

    lang: str

    @property
    def other(self) -> str:
        return LANGUAGES[1 - LANGUAGES.index(self.lang)]

    def __call__(self, key: str, **values: object) -> str:
        text = TEXTS[key][LANGUAGES.index(self.lang)]
        return text.format(**values) if values else text

    def label(self, kind: str, code: str | None) -> str:
        """The label of a controlled value; an unknown code is shown as itself, never hidden."""
        if code is None:
            return ""
        pair = LABELS.get(kind, {}).get(code)
        return pair[LANGUAGES.index(self.lang)] if pair else code.replace("_", " ")

    @staticmethod
    def number(value: float, digits: int = 3) -> str:
        """``value`` with at most ``digits`` significant digits; a decimal point in both languages, as in Peru.

        >>> Texts.number(1234.0), Texts.number(0.2468), Texts.number(18.0)
        ('1234', '0.247', '18')
        """
        return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:.0f}"

    def labels(self, kind: str) -> dict[str, str]:
        return {code: pair[LANGUAGES.index(self.lang)] for code, pair in LABELS[kind].items()}


def choose(request: Request) -> str:
    """The language of ``request``: ``?lang=``, then the ``lang`` cookie, then Accept-Language, then Spanish."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return from_accept_language(request.headers.get("accept-language", ""))


def from_accept_language(header: str) -> str:
    """The supported language the header prefers most (``es-PE,es;q=0.9,en;q=0.8`` → ``es``).

    >>> from_accept_language("en-GB,en;q=0.9,es;q=0.5")
    'en'
    >>> from_accept_language("fr, de;q=0.5")
    'es'
    """
    best, best_q = DEFAULT, 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best
