"""Validators shared by field types, each with a message that names the field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field as FormField
from wtforms import Form
from wtforms.validators import StopValidation, ValidationError

Validator = Callable[[Form, FormField], None]


def nfkc(value: Any) -> Any:
    """Fold full-width letters and digits and half-width kana (全角・半角) into one form."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def required(message: str) -> Validator:
    """Stop validation with `message` when nothing was entered."""

    def check(form: Form, field: FormField) -> None:
        if field.process_errors:
            raise StopValidation()  # what was typed could not be read; that message stands
        if field.data in (None, "", [], False):
            field.errors[:] = []
            raise StopValidation(message)

    check.field_flags = {"required": True}  # type: ignore[attr-defined]
    return check


def optional() -> Validator:
    """Skip further checks when nothing was entered."""

    def check(form: Form, field: FormField) -> None:
        if field.process_errors:
            raise StopValidation()
        if field.data in (None, "", []):
            field.errors[:] = []
            raise StopValidation()

    return check


def length(label: str, minimum: int | None, maximum: int | None) -> Validator:
    """Refuse text shorter than `minimum` or longer than `maximum` characters."""

    def check(form: Form, field: FormField) -> None:
        size = len(field.data or "")
        if maximum is not None and size > maximum:
            raise ValidationError(
                _l("Enter %(label)s in %(max)d characters or fewer", label=label, max=maximum)
            )
        if minimum is not None and size < minimum:
            raise ValidationError(
                _l("Enter at least %(min)d characters for %(label)s", label=label, min=minimum)
            )

    return check


def pattern(regex: str, message: str) -> Validator:
    """Refuse text that does not match `regex` as a whole."""
    compiled = re.compile(regex)

    def check(form: Form, field: FormField) -> None:
        if field.data and not compiled.fullmatch(field.data):
            raise ValidationError(message)

    return check


def in_range(label: str, minimum: int | None, maximum: int | None) -> Validator:
    """Refuse a number outside `minimum`..`maximum`."""

    def check(form: Form, field: FormField) -> None:
        value = field.data
        if value is None:
            return
        low = minimum if minimum is not None else value
        high = maximum if maximum is not None else value
        if not low <= value <= high:
            if minimum is not None and maximum is not None:
                message = _l(
                    "Enter a number from %(min)d to %(max)d for %(label)s",
                    label=label,
                    min=minimum,
                    max=maximum,
                )
            elif minimum is not None:
                message = _l(
                    "Enter a number of %(min)d or more for %(label)s", label=label, min=minimum
                )
            else:
                message = _l(
                    "Enter a number of %(max)d or less for %(label)s", label=label, max=maximum
                )
            raise ValidationError(message)

    return check


def text_validators(field: Any, label: str, empty_message: str) -> list[Validator]:
    """Return the required/optional, length and pattern checks a text-like field declares."""
    checks = [required(empty_message) if field.required else optional()]
    if field.min_length is not None or field.max_length is not None:
        checks.append(length(label, field.min_length, field.max_length))
    return checks
