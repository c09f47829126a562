"""`tel`: a Japanese telephone number, stored in national format (045-671-2121)."""

from __future__ import annotations

from typing import Literal

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import TelField
from wtforms.validators import ValidationError

from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import nfkc, optional, required
from portal.procedure.question import Autocomplete, Question


def national_format(value: str) -> str | None:
    """Return `value` as a formatted Japanese number, or None if it is not one."""
    try:
        number = phonenumbers.parse(value, "JP")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 81 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class TelQuestion(Question, Autocomplete):
    type: Literal["tel"]


@register
class Tel(FieldType):
    name = "tel"
    model = TelQuestion
    autofill_control = "input-tel"

    def form_field(self, field, label, locale):
        message = _l(
            "Enter %(label)s as a Japanese telephone number, like 045-671-2121", label=label
        )

        def check(form, form_field) -> None:
            formatted = national_format(form_field.data)
            if formatted is None:
                raise ValidationError(message)
            form_field.data = formatted

        checks = [
            required(_l("Enter %(label)s", label=label)) if field.required else optional(),
            check,
        ]
        return TelField(label, validators=checks, filters=[nfkc])

    def sample_input(self, field) -> FormInput:
        return {field.id: "045-671-2121"}

    def invalid_input(self, field) -> FormInput | None:
        return {field.id: "12345"}
