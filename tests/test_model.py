"""The model accepts what people type in spreadsheets and rejects the rest with the fix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ecograph.model import Actor, Collaboration, Dataset, Indicator, Region, fold, slugify


def actor(**overrides: object) -> Actor:
    fields = {"id": "unc", "name": "Universidad Nacional de Cajamarca", "sector": "academia",
              "type": "university", "region": "06", "scope": "regional"} | overrides
    return Actor.model_validate(fields)


def test_spanish_values_and_lists_are_normalised() -> None:
    made = actor(sector="Público", type="Gobierno Regional", scope="Regional",
                 capabilities="conectividad; Habilidades digitales;conectividad", target_groups="Mujeres;mype",
                 illustrative="Sí")
    assert made.sector == "public"
    assert made.type == "regional_government"
    assert made.capabilities == ["connectivity", "digital_skills"]
    assert made.target_groups == ["msme", "women"]
    assert made.illustrative is True


def test_region_codes_keep_their_leading_zero() -> None:
    assert Region(code="6", name="Cajamarca").code == "06"
    assert actor(region=6).region == "06"
    assert Region(code="15a", name="Lima Metropolitana").code == "15a"


@pytest.mark.parametrize(("fields", "message"), [
    ({"sector": "privada"}, "unknown sector 'privada'; use one of academia, public, private"),
    ({"id": "Univ Cusco"}, "bad id 'Univ Cusco'; use lower-case letters, digits and dashes, e.g. univ-cusco"),
    ({"region": None}, "region: a regional actor needs a region"),
    ({"website": "www.unc.edu.pe"}, "bad website 'www.unc.edu.pe'; write the full address, starting with https://"),
    ({"capabilities": "magia"}, "unknown capability 'magia'"),
])
def test_bad_actor_fields_name_the_fix(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        actor(**fields)


def test_national_actor_needs_no_region() -> None:
    assert actor(region=None, scope="national").region is None


def test_collaboration_defaults_and_derived_id() -> None:
    tie = Collaboration(source="pnud", target="produce", type="Convenio")
    assert (tie.id, tie.type, tie.weight, tie.status, tie.directed) == (
        "pnud--produce--agreement", "agreement", 3, "active", False)
    assert Collaboration(source="a", target="b", type="funding").directed


@pytest.mark.parametrize(("fields", "message"), [
    ({"target": "pnud"}, "self-tie: pnud collaborates with itself"),
    ({"weight": 0}, "weight 0 is out of range; use a whole number from 1 to 5"),
    ({"weight": "2.5"}, "weight '2.5' is out of range"),
    ({"start": "2023-02-30"}, "bad date '2023-02-30': no such date"),
    ({"start": "2024", "end": "2023-06"}, "end 2023-06 is before start 2024"),
    ({"status": "maybe"}, "unknown status 'maybe'; use one of active, planned, ended"),
])
def test_bad_collaborations_name_the_fix(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Collaboration.model_validate({"source": "pnud", "target": "produce", "type": "agreement"} | fields)


def test_partial_dates_compare_by_their_shared_precision() -> None:
    assert Collaboration(source="a", target="b", type="training", start="2024-05", end="2024").end == "2024"


def test_missing_indicator_value_stays_missing() -> None:
    figure = Indicator(region="06", indicator="Households with internet", period="2023", value="", source="INEI")
    assert figure.value is None
    assert figure.indicator == "households_with_internet"
    assert figure.id == "06|households_with_internet|2023|total"


def test_dataset_is_sorted_so_equal_data_compares_equal() -> None:
    first, second = actor(id="b"), actor(id="a")
    assert Dataset(actors=[first, second]) == Dataset(actors=[second, first])
    assert [a.id for a in Dataset(actors=[first, second]).actors] == ["a", "b"]


def test_fold_and_slugify_handle_accents_and_enye() -> None:
    assert fold("  Región Áncash ") == "region_ancash"
    assert slugify("Asociación Ñawi — Cusco") == "asociacion-nawi-cusco"


def test_control_characters_are_refused_but_line_breaks_kept() -> None:
    with pytest.raises(ValidationError, match="contains the control character U\\+0007; remove it"):
        actor(name="Universidad\x07")
    assert actor(description="línea 1\nlínea 2\tfin").description == "línea 1\nlínea 2\tfin"
