"""The card's basic facts as the provider sends them, read into one form each.

Gender arrives as an ISO 5218 code (`0` not known, `1` male, `2` female, `9` not applicable), as
an English word (`male`, `female`, as OpenID Connect's `gender` claim) or in Japanese (男, 女,
男性, 女性); birth dates as `YYYY-MM-DD` (OpenID Connect), `YYYYMMDD`, `YYYY/MM/DD`,
`YYYY年M月D日` or in the Japanese era (令和元年5月1日); the address as text or as an OpenID
Connect address object. A value the portal does not know is kept as `unknown` (shown as 「不明」)
and logged with its characters escaped and cut short, never shown as it came.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)


class Gender(StrEnum):
    """The genders the portal shows; everything else is `unknown`."""

    female = "female"
    male = "male"
    unknown = "unknown"


#: how each gender is shown to the resident, in their language
GENDER_LABELS = {
    Gender.female: _l("Female"),
    Gender.male: _l("Male"),
    Gender.unknown: _l("Unknown"),
}
_GENDERS = {
    "1": Gender.male,
    "2": Gender.female,
    "0": Gender.unknown,  # ISO 5218: not known
    "9": Gender.unknown,  # ISO 5218: not applicable
    "male": Gender.male,
    "m": Gender.male,
    "female": Gender.female,
    "f": Gender.female,
    "男": Gender.male,
    "男性": Gender.male,
    "女": Gender.female,
    "女性": Gender.female,
    "不明": Gender.unknown,
    # the portal's own form, as kept with a sign-in, reads back as itself
    **{member.value: member for member in Gender},
}
#: the first year of each era the card may name, and its first day
_ERAS = {
    "明治": dt.date(1868, 1, 25),
    "大正": dt.date(1912, 7, 30),
    "昭和": dt.date(1926, 12, 25),
    "平成": dt.date(1989, 1, 8),
    "令和": dt.date(2019, 5, 1),
}
_WESTERN = (
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_ERA = re.compile(r"(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日")
#: the parts of an OpenID Connect address object, in the order a Japanese address is written
_ADDRESS_PARTS = ("region", "locality", "street_address")


def loggable(value: Any) -> str:
    """Return `value` as a short ASCII text safe to write in a log line."""
    text = str(value)[:40].encode("unicode_escape").decode("ascii")
    return text.replace('"', '\\"')


def _unknown(claim: str, value: Any) -> None:
    log.warning('card claim not understood: claim=%s value="%s"', claim, loggable(value))


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _plain(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFKC", value).strip() or None


def gender(value: Any) -> Gender:
    """Return the gender a provider's `gender` claim names; `unknown` (and a log line) if none."""
    text = _plain(value)
    found = _GENDERS.get(text.lower()) if text else None
    if found is None:
        _unknown("gender", value)
        return Gender.unknown
    return found


def gender_label(value: Any) -> str:
    """Return the gender as the resident reads it, in their language (「不明」 when unknown)."""
    return str(GENDER_LABELS[gender(value)])


def birthdate(value: Any) -> str | None:
    """Return the birth date as `YYYY-MM-DD`, or None (and a log line) when it is no date."""
    text = _plain(value)
    day = _western(text) or _era(text) if text else None
    if day is None:
        _unknown("birthdate", value)
        return None
    return day.isoformat()


def _western(text: str) -> dt.date | None:
    match = next((m for form in _WESTERN if (m := form.fullmatch(text))), None)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _era(text: str) -> dt.date | None:
    match = _ERA.fullmatch(text)
    if match is None:
        return None
    era, year, month, day = match.groups()
    first = _ERAS[era]
    try:
        found = dt.date(first.year + (1 if year == "元" else int(year)) - 1, int(month), int(day))
    except ValueError:
        return None
    following = [start for start in _ERAS.values() if start > first]
    if found < first or (following and found >= min(following)):
        return None
    return found


def address(value: Any) -> str | None:
    """Return the address as one line of text, or None (and a log line) when there is none."""
    if isinstance(value, dict):
        formatted = _text(value.get("formatted"))
        if formatted:
            return formatted
        joined = "".join(_text(value.get(name)) or "" for name in _ADDRESS_PARTS)
        if joined:
            return joined
    elif isinstance(value, str) and value.strip():
        return value.strip()
    _unknown("address", value if not isinstance(value, dict) else sorted(value))
    return None


def card_facts(userinfo: dict[str, Any]) -> dict[str, str]:
    """Return the four basic facts of the card (基本4情報) the provider gave, each in one form."""
    facts: dict[str, str] = {}
    if _text(userinfo.get("name")):
        facts["name"] = userinfo["name"].strip()
    found = {
        "address": address(userinfo["address"]) if "address" in userinfo else None,
        "birthdate": birthdate(userinfo["birthdate"]) if "birthdate" in userinfo else None,
        "gender": gender(userinfo["gender"]).value if "gender" in userinfo else None,
    }
    facts.update({name: value for name, value in found.items() if value})
    return facts
