"""Field types, registered by the name staff write as `type:` in YAML.

A field type is one module here plus one macro in templates/components/fields/<type>.html.
The module holds everything about the type: the settings a clerk may write (its
`Question` model, so the schema and `portal check` offer each type only its own), how
an answer is read, validated, stored, shown back and exported, which answers rules may
compare with, its own checks, and sample input for tests and audits. Nothing outside
this package tests a type's name; adding a type changes no dispatch code.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import typing
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from wtforms.fields.core import UnboundField

from portal.procedure.findings import Finding, Location
from portal.procedure.question import Answer, Question

if TYPE_CHECKING:
    from portal.procedure.checks import Scope

StoredAnswer = str | int | bool | list[str]
FormInput = dict[str, str | list[str]]


@dataclass(frozen=True)
class ActionResult:
    """What pressing a question's own button did: answers to store and what to tell."""

    answers: dict[str, StoredAnswer]
    message: str
    category: str  # the flash category the page shows the message under
    focus: str  # the id of the input to bring the resident back to


_REGISTRY: dict[str, FieldType] = {}
_discovered = False


class FieldType:
    """What every field type provides; subclasses override what differs."""

    name: ClassVar[str]
    #: the settings a clerk writes for a question of this type
    model: ClassVar[type[Question]]
    takes_options: ClassVar[bool] = False
    #: the control it renders, for checking `autocomplete:` (see portal.procedure.autofill)
    autofill_control: ClassVar[str | None] = None
    #: an answer of this type is an email address (a confirmation can be sent to it)
    is_email_address: ClassVar[bool] = False
    #: an answer of this type is a whole number (it can count the people of an application)
    is_whole_number: ClassVar[bool] = False
    #: free text that an address found by a postal-code look-up can be written into
    receives_address: ClassVar[bool] = False
    #: the name of the question's own button, posted as `action=<name>:<question id>`
    action: ClassVar[str | None] = None

    def form_field(self, field: Any, label: str, locale: str) -> UnboundField:
        """Return the WTForms field that reads and validates this question."""
        raise NotImplementedError

    def to_answer(self, data: Any) -> StoredAnswer | None:
        """Turn validated form data into the stored answer (None: not answered)."""
        if data is None or data == "" or data == []:
            return None
        return data

    def to_form_data(self, answer: StoredAnswer | None) -> Any:
        """Turn a stored answer back into form data, to fill the form again."""
        return answer

    def display(self, field: Any, answer: StoredAnswer, locale: str) -> str:
        """Return the answer as the resident should read it back."""
        return str(answer)

    def export_value(self, field: Any, answer: StoredAnswer) -> str | int:
        """Return the answer as a spreadsheet cell holds it (Japanese offices read it)."""
        return self.display(field, answer, "ja")

    def possible_answers(self, field: Any) -> list[Answer] | None:
        """Return every answer a rule can compare with (None: too many to list)."""
        return None

    def answer_advice(self, field: Any) -> str:
        """Tell the clerk what a rule on this question may compare with."""
        possible = self.possible_answers(field)
        if possible is None:
            return "true and false are answers of a consent question only"
        return f"use one of: {', '.join(sorted(map(str, possible)))}"

    def problems(self, field: Any, at: Location, scope: Scope) -> list[Finding]:
        """Return the mistakes in this question's settings that its model cannot see alone."""
        from portal.procedure.fields._settings import shared_problems

        return shared_problems(field, at, self.autofill_control)

    def offers_action(self, field: Any) -> bool:
        """Tell whether this question shows its own button (see `action`)."""
        return self.action is not None

    def act(self, field: Any, answer: StoredAnswer | None) -> ActionResult:
        """Do what the question's button does with its valid (or empty) answer."""
        raise NotImplementedError

    def advice(self, field: Any, at: Location) -> list[Finding]:
        """Return what the staff guide advises against in this question (warnings)."""
        return []

    def sample_input(self, field: Any) -> FormInput:
        """Return form input that this field accepts (for tests and audits)."""
        raise NotImplementedError

    def invalid_input(self, field: Any) -> FormInput | None:
        """Return non-empty form input this field refuses, or None if none exists."""
        return None


def register(cls: type[FieldType]) -> type[FieldType]:
    """Register a field type class under its `name`; its model's `type` must be that name."""
    declared = typing.get_args(cls.model.model_fields["type"].annotation)
    if declared != (cls.name,):
        raise TypeError(f"{cls.__name__}.model must declare type: Literal[{cls.name!r}]")
    _REGISTRY[cls.name] = cls()
    return cls


def _load_all() -> None:
    # A flag, not "is the registry empty": importing one type module directly registers
    # that type alone, and the others must still be discovered.
    global _discovered
    if _discovered:
        return
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    _discovered = True


def field_type(name: str) -> FieldType:
    """Return the registered field type called `name`."""
    _load_all()
    return _REGISTRY[name]


def kind_of(field: Question) -> FieldType:
    """Return the field type of a question."""
    return field_type(field.type)


def type_names() -> list[str]:
    """Return the names of every registered field type."""
    _load_all()
    return sorted(_REGISTRY)


def question_models() -> list[type[Question]]:
    """Return the settings model of every registered type, in name order."""
    return [field_type(name).model for name in type_names()]


def settings_of(name: str) -> list[str]:
    """Return the keys a question of type `name` takes besides the ones every question has."""
    common = set(Question.model_fields)
    return sorted(set(field_type(name).model.model_fields) - common)


def types_with_setting(key: str) -> list[str]:
    """Return the names of the types that take the setting `key`."""
    return [name for name in type_names() if key in settings_of(name)]


def suggest_type(name: str) -> str:
    """Return a '; did you mean …' hint for a mistyped type name, or ''."""
    close = difflib.get_close_matches(name, type_names(), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} Known types: {', '.join(type_names())}"


def parse_iso_date(value: str) -> date:
    """Read a stored date answer."""
    return date.fromisoformat(value)
