"""What the option-based types (select, radio, checkboxes, yes_no) share."""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal.locales import babel_locale
from portal.procedure.fields import FieldType, FormInput
from portal.procedure.fields._validation import optional, required
from portal.procedure.text import plain


class ChoiceType(FieldType):
    """A question answered by picking from the options staff wrote."""

    takes_options = True

    def choices(self, field, locale) -> list[SelectChoice]:
        return [SelectChoice(o.value, plain(o.label, locale)) for o in field.options or []]

    def presence(self, field, label):
        if field.required:
            return required(_l("Select %(label)s", label=label))
        return optional()

    def display(self, field, answer, locale):
        labels = {choice.value: choice.label for choice in self.choices(field, locale)}
        if isinstance(answer, list):
            shown = [labels.get(value, value) for value in answer]
            return format_list(shown, style="standard", locale=babel_locale(locale))
        return labels.get(answer, str(answer))

    def possible_answers(self, field):
        return [option.value for option in field.options or []]

    def sample_input(self, field) -> FormInput:
        return {field.id: field.options[0].value}
