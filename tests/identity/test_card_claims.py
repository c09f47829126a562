"""The card's facts in every form a provider sends them: gender, birth date, address."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlparse

import pytest

from portal.identity.card_claims import Gender, address, birthdate, card_facts, gender
from portal.locales import BY_CODE, LANGUAGES
from tests.support.identity import to_provider_and_back

FEMALE_WORD = {
    "ja": "女性",
    "ja_easy": "女性（じょせい）",
    "en": "Female",
    "zh_Hans": "女",
    "zh_Hant": "女",
    "ko": "여성",
    "vi": "Nữ",
    "tl": "Babae",
    "ne": "महिला",
    "pt_BR": "Feminino",
    "es": "Femenino",
}


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("1", Gender.male),
        ("2", Gender.female),
        (1, Gender.male),
        (2, Gender.female),
        ("０", Gender.unknown),  # full-width digits are digits
        ("２", Gender.female),
        ("0", Gender.unknown),  # ISO 5218: not known
        ("9", Gender.unknown),  # ISO 5218: not applicable
        ("male", Gender.male),
        ("female", Gender.female),
        ("Female", Gender.female),
        (" MALE ", Gender.male),
        ("男", Gender.male),
        ("女", Gender.female),
        ("男性", Gender.male),
        ("女性", Gender.female),
    ],
)
def test_every_documented_form_of_gender_is_read(sent, meant):
    assert gender(sent) is meant


@pytest.mark.parametrize("kept", list(Gender))
def test_a_gender_as_kept_reads_back_as_itself_without_a_log_line(kept, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.identity.card_claims"):
        assert gender(kept.value) is kept
    assert caplog.records == []


@pytest.mark.parametrize("sent", ["3", "other", "<script>", "", None, True, ["female"], "x" * 500])
def test_an_unknown_gender_is_unknown_and_logged_escaped_and_short(sent, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.identity.card_claims"):
        assert gender(sent) is Gender.unknown
    [record] = caplog.records
    line = record.getMessage()
    assert line.startswith("card claim not understood: claim=gender")
    assert line.isascii() and "\n" not in line and len(line) < 120


def test_a_logged_value_cannot_forge_a_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.identity.card_claims"):
        gender('x"\nidentity sign-in accepted: 性別')
    line = caplog.records[0].getMessage()
    assert "\n" not in line and "\\n" in line and '\\"' in line and "\\u6027" in line


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("1985-04-01", "1985-04-01"),
        ("1985-4-1", "1985-04-01"),
        ("19850401", "1985-04-01"),
        ("1985/04/01", "1985-04-01"),
        ("1985年4月1日", "1985-04-01"),
        ("１９８５年４月１日", "1985-04-01"),
        ("昭和60年4月1日", "1985-04-01"),
        ("平成元年1月8日", "1989-01-08"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成13年2月28日", "2001-02-28"),
    ],
)
def test_every_form_of_birth_date_is_read_as_iso(sent, meant):
    assert birthdate(sent) == meant


@pytest.mark.parametrize(
    "sent", ["1985-02-30", "19851301", "1985411", "昭和65年1月1日", "令和元年4月30日", ""]
)
def test_a_birth_date_that_is_no_date_is_left_out_and_logged(sent, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.identity.card_claims"):
        assert birthdate(sent) is None
    assert "claim=birthdate" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("神奈川県横浜市中区港町1-1", "神奈川県横浜市中区港町1-1"),
        ({"formatted": " 神奈川県横浜市中区港町1-1 "}, "神奈川県横浜市中区港町1-1"),
        (
            {"region": "神奈川県", "locality": "横浜市中区", "street_address": "港町1-1"},
            "神奈川県横浜市中区港町1-1",
        ),
        ({"postal_code": "231-0017", "region": "神奈川県", "locality": "横浜市"}, "神奈川県横浜市"),
    ],
)
def test_every_form_of_address_is_read_as_one_line(sent, meant):
    assert address(sent) == meant


@pytest.mark.parametrize("sent", [{}, {"country": "JP"}, "  ", 42])
def test_an_address_that_says_nothing_is_left_out(sent):
    assert address(sent) is None


def test_card_facts_hold_only_the_readable_forms():
    facts = card_facts(
        {"sub": "s", "name": " 港 花子 ", "address": {"formatted": "横浜市"}, "gender": "2"}
        | {"birthdate": "19850401"}
    )
    assert facts == {
        "name": "港 花子",
        "address": "横浜市",
        "birthdate": "1985-04-01",
        "gender": "female",
    }


def gender_shown(html: str) -> str:
    """Return the text of the consent page's gender row, tags and ruby readings removed."""
    row = re.findall(r'<dd class="summary-list__value">(.*?)</dd>', html, re.S)[-1]
    return re.sub(r"<[^>]+>", "", re.sub(r"<rt>.*?</rt>", "", row)).strip()


def consent_page(client, language: str) -> str:
    token = client.csrf_token("/procedures/card-prefill")
    client.post("/procedures/card-prefill/start", data={"csrf_token": token})
    sign_in = urlparse(client.get("/procedures/card-prefill/applicant").location).path
    consent = client.get(to_provider_and_back(client, sign_in, ("minato-hanako", "1234")))
    return client.get(f"{consent.location}?lang={language}").get_data(as_text=True)


@pytest.mark.parametrize("language", [lang.code for lang in LANGUAGES])
def test_gender_2_from_the_provider_shows_as_female_in_every_language(make_identity_app, language):
    app = make_identity_app(PORTAL_LOCALES=[lang.code for lang in LANGUAGES])
    html = consent_page(app.test_client(), language)
    assert f'<html lang="{BY_CODE[language].html_lang}"' in html
    shown = gender_shown(html)
    assert shown == FEMALE_WORD[language]


def test_an_unknown_gender_shows_as_unknown_never_raw(make_identity_app, monkeypatch):
    from portal.identity.stub_idp import personas

    real = personas.Persona.claims
    monkeypatch.setattr(
        personas.Persona, "claims", lambda self: {**real(self), "gender": "<b>X</b>"}
    )
    html = consent_page(make_identity_app().test_client(), "ja")
    assert gender_shown(html) == "不明"
    assert "&lt;b&gt;X" not in html and "<b>X" not in html
