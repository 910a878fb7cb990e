"""The model accepts what people type in spreadsheets and rejects the rest with the fix, in Spanish or English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from ecograph.model import (
    PARTIAL_DATE,
    Actor,
    Collaboration,
    Dataset,
    Indicator,
    Invalid,
    Region,
    fold,
    partial_date,
    region_code,
    slugify,
)


def refusal(model: type[Any], fields: dict[str, object]) -> Invalid:
    """The model's first refusal of ``fields``, as the catalog message it raised."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(fields)
    cause = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(cause, Invalid)
    return cause


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


ACTOR = {"id": "unc", "name": "Universidad Nacional de Cajamarca", "sector": "academia", "type": "university",
         "region": "06", "scope": "regional"}


@pytest.mark.parametrize(("fields", "message"), [
    ({"sector": "privada"}, "unknown sector 'privada'; use one of academia, public, private, civil_society, "
                            "international"),
    ({"id": "Univ Cusco"}, "bad id 'Univ Cusco'; use lower-case letters, digits and dashes, e.g. univ-cusco"),
    ({"region": None}, "a regional actor needs a region; fill in the region code or set scope to national or "
                       "international"),
    ({"website": "www.unc.edu.pe"}, "bad website 'www.unc.edu.pe'; write the full address, starting with https://"),
    ({"website": "https://unc.edu.pe/\x07"}, "contains the control character U+0007, which spreadsheets cannot "
                                             "hold; remove it"),
    ({"capabilities": "magia"}, "unknown capability 'magia'; use one of connectivity, digital_skills, e_government, "
                                "digital_payments, e_commerce, entrepreneurship, research_innovation, data_statistics, "
                                "financing, policy, cybersecurity, e_learning, e_health, digital_agriculture"),
])
def test_bad_actor_fields_name_the_fix(fields: dict[str, object], message: str) -> None:
    assert refusal(Actor, ACTOR | fields).text("en") == message


def test_messages_are_spanish_by_default_and_name_their_field() -> None:
    missing = refusal(Actor, ACTOR | {"region": None})
    assert missing.text() == ("un actor de alcance regional necesita una región; escriba el código de la región o "
                              "cambie el alcance a national o international")
    assert str(missing) == f"region: {missing.text('es')}"  # the field, for whole-record checks
    sector = refusal(Actor, ACTOR | {"sector": "privada"})
    assert str(sector) == ("sector desconocido «privada»; use uno de estos: academia, public, private, civil_society, "
                           "international")
    with pytest.raises(ValidationError, match="sector desconocido «privada»"):
        actor(sector="privada")


def test_national_actor_needs_no_region() -> None:
    assert actor(region=None, scope="national").region is None


def test_collaboration_defaults_and_derived_id() -> None:
    tie = Collaboration(source="pnud", target="produce", type="Convenio")
    assert (tie.id, tie.type, tie.weight, tie.status, tie.directed) == (
        "pnud--produce--agreement", "agreement", 3, "active", False)
    assert Collaboration(source="a", target="b", type="funding").directed


@pytest.mark.parametrize(("fields", "message"), [
    ({"target": "pnud"}, "self-tie: pnud collaborates with itself; correct source or target"),
    ({"weight": 0}, "weight '0' is out of range; use a whole number from 1 to 5"),
    ({"weight": "2.5"}, "weight '2.5' is out of range; use a whole number from 1 to 5"),
    ({"weight": "inf"}, "weight 'inf' is out of range; use a whole number from 1 to 5"),
    ({"weight": "nan"}, "weight 'nan' is out of range; use a whole number from 1 to 5"),
    ({"start": "2023-02-30"}, "bad date '2023-02-30': no such date; write a real date as YYYY-MM-DD, YYYY-MM or YYYY"),
    ({"start": "0999"}, "bad date '0999'; write it as YYYY-MM-DD, YYYY-MM or YYYY, with a year from 1800 to 2999"),
    ({"start": "2024", "end": "2023-06"}, "end 2023-06 is before start 2024; swap or correct the dates"),
    ({"status": "maybe"}, "unknown status 'maybe'; use one of active, planned, ended"),
    ({"type": "amistad\nx"}, "unknown collaboration type 'amistad\\nx'; use one of agreement, joint_project, funding, "
                             "training, data_sharing, network_membership, service"),
])
def test_bad_collaborations_name_the_fix(fields: dict[str, object], message: str) -> None:
    tie = {"source": "pnud", "target": "produce", "type": "agreement"} | fields
    assert refusal(Collaboration, tie).text("en") == message


@pytest.mark.parametrize("text", ["2023", "2023-05", "2023-05-17", "1800", "2999-12-31"])
def test_partial_dates_of_the_one_shared_pattern(text: str) -> None:
    assert re.match(PARTIAL_DATE, text) and partial_date(text) == text


@pytest.mark.parametrize("text", ["1799", "3000", "2023-13", "2023-00", "2023-05-32", "2023-5", "23", "2023-05-17x"])
def test_partial_dates_out_of_the_pattern_are_refused(text: str) -> None:
    assert not re.match(PARTIAL_DATE, text)
    with pytest.raises(Invalid) as caught:
        partial_date(text)
    assert caught.value.key == "problem.bad_date"


def test_figures_must_be_finite_numbers() -> None:
    with pytest.raises(ValidationError, match="finite_number"):
        Indicator(region="06", indicator="x", period="2023", value="nan", source="INEI")
    assert region_code(6) == region_code("06") == "06"


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
    assert refusal(Actor, ACTOR | {"name": "Universidad\x07"}).text("es") == (
        "contiene el carácter de control U+0007, que las hojas de cálculo no admiten; elimínelo")
    assert actor(description="línea 1\nlínea 2\tfin").description == "línea 1\nlínea 2\tfin"
