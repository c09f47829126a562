"""`date`: a date entered as year, month and day boxes; shown with 和暦 in Japanese."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask_babel import lazy_gettext as _l
from wtforms import Field as FormField
from wtforms.utils import unset_value

from portal.locales import babel_locale
from portal.procedure.fields import FieldType, FormInput, register
from portal.procedure.fields._validation import nfkc, optional, required
from portal.procedure.question import Autocomplete, Prefill, Question
from portal.wareki import to_wareki

PARTS = ("year", "month", "day")


class DatePartsField(FormField):
    """Read a date from three inputs named <id>-year, <id>-month and <id>-day."""

    def __init__(self, label, messages: dict[str, str], **kwargs):
        super().__init__(label, **kwargs)
        self.messages = messages
        self.parts = dict.fromkeys(PARTS, "")
        self.bad_parts: tuple[str, ...] = ()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = None if data is unset_value else data
        if isinstance(self.data, dt.date):
            self.parts = {p: str(getattr(self.data, p)) for p in PARTS}
        if formdata is None or not any(f"{self.name}-{p}" in formdata for p in PARTS):
            return
        self.parts = {p: nfkc(formdata.get(f"{self.name}-{p}", "")) for p in PARTS}
        self.data = None
        missing = tuple(p for p in PARTS if not self.parts[p])
        if len(missing) == len(PARTS):
            return
        if missing:
            self.bad_parts = missing
            self.process_errors.append(self.messages[f"missing_{missing[0]}"])
            return
        try:
            year, month, day = (int(self.parts[p]) for p in PARTS)
            self.data = dt.date(year, month, day)
        except (ValueError, OverflowError):  # OverflowError: a year beyond a C long
            self.bad_parts = PARTS
            self.process_errors.append(self.messages["not_a_date"])
            return
        if not 1900 <= year <= 2200:
            self.data = None
            self.bad_parts = ("year",)
            self.process_errors.append(self.messages["year"])


class DateQuestion(Question, Autocomplete, Prefill):
    type: Literal["date"]
    prefill_sources = frozenset({"birthdate"})


@register
class Date(FieldType):
    name = "date"
    model = DateQuestion
    autofill_control = "date-parts"

    def form_field(self, field, label, locale):
        messages = {
            "missing_year": _l("Include the year in %(label)s", label=label),
            "missing_month": _l("Include the month in %(label)s", label=label),
            "missing_day": _l("Include the day in %(label)s", label=label),
            "not_a_date": _l("Enter a real date for %(label)s", label=label),
            "year": _l("Enter the year of %(label)s as 4 digits, like 1985", label=label),
        }
        check = required(_l("Enter %(label)s", label=label)) if field.required else optional()
        return DatePartsField(label, messages=messages, validators=[check])

    def to_answer(self, data):
        return data.isoformat() if data else None

    def to_form_data(self, answer):
        return dt.date.fromisoformat(answer) if answer else None

    def display(self, field, answer, locale):
        day = dt.date.fromisoformat(answer)
        western = _format_long(day, locale)
        if locale in ("ja", "ja_easy"):
            return f"{western}（{to_wareki(day)}）"
        return western

    def export_value(self, field, answer):
        return dt.date.fromisoformat(answer).strftime("%Y/%m/%d")

    def sample_input(self, field) -> FormInput:
        return {f"{field.id}-year": "1985", f"{field.id}-month": "4", f"{field.id}-day": "1"}

    def invalid_input(self, field) -> FormInput | None:
        return {f"{field.id}-year": "2025", f"{field.id}-month": "2", f"{field.id}-day": "30"}


def _format_long(day: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=babel_locale(locale))
