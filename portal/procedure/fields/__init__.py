"""Field types, registered by the name staff write as `type:` in YAML.

A field type is one module here (parse, validate, normalise, display, sample
input) plus one macro in templates/components/fields/. Adding a type means
adding those two files; no dispatch code changes.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from wtforms.fields.core import UnboundField

if TYPE_CHECKING:
    from portal.procedure.model import Field

StoredAnswer = str | int | bool | list[str]
FormInput = dict[str, str | list[str]]

_REGISTRY: dict[str, FieldType] = {}
_discovered = False


class FieldType:
    """What every field type provides; subclasses override what differs."""

    name: ClassVar[str]
    #: optional YAML settings that mean something for this type
    settings: ClassVar[frozenset[str]] = frozenset()
    takes_options: ClassVar[bool] = False
    #: grouped controls are wrapped in fieldset/legend
    grouped: ClassVar[bool] = False
    #: the control it renders, for checking `autocomplete:` (see portal.procedure.autofill)
    autofill_control: ClassVar[str | None] = None

    def form_field(self, field: Field, label: str, locale: str) -> UnboundField:
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

    def display(self, field: Field, answer: StoredAnswer, locale: str) -> str:
        """Return the answer as the resident should read it back."""
        return str(answer)

    def sample_input(self, field: Field) -> FormInput:
        """Return form input that this field accepts (for tests and audits)."""
        raise NotImplementedError

    def invalid_input(self, field: Field) -> FormInput | None:
        """Return non-empty form input this field refuses, or None if none exists."""
        return None


def register(cls: type[FieldType]) -> type[FieldType]:
    """Register a field type class under its `name`."""
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


def type_names() -> list[str]:
    """Return the names of every registered field type."""
    _load_all()
    return sorted(_REGISTRY)


def suggest_type(name: str) -> str:
    """Return a '; did you mean …' hint for a mistyped type name, or ''."""
    close = difflib.get_close_matches(name, type_names(), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} Known types: {', '.join(type_names())}"


def parse_iso_date(value: str) -> date:
    """Read a stored date answer."""
    return date.fromisoformat(value)
