"""What every question shares, whatever its type: the base the field types build on.

A question's own settings live with its type in `portal.procedure.fields.<type>`; the
procedure model (`portal.procedure.model`) joins them into one union discriminated on
`type`. This module knows no field type, so the types can build on it without a cycle.
"""

from __future__ import annotations

import re
import typing
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import Field as Spec
from pydantic_core import PydanticCustomError

from portal.procedure.text import Text


def _at_most_63(value: Any) -> Any:
    """Refuse an id longer than 63 characters as too long, before its pattern is matched."""
    if isinstance(value, str) and len(value) > 63:
        message = "String should have at most {max_length} characters"
        raise PydanticCustomError("string_too_long", message, {"max_length": 63})
    return value


def _whole_number_as_text(value: Any) -> Any:
    """Read a whole number as its text (an option `value: 1` means '1')."""
    return str(value) if type(value) is int else value


Slug = Annotated[str, Spec(pattern=r"^[a-z][a-z0-9-]{0,62}$"), BeforeValidator(_at_most_63)]
FieldId = Annotated[str, Spec(pattern=r"^[a-z][a-z0-9_]{0,62}$"), BeforeValidator(_at_most_63)]
RESERVED_PAGE_IDS = frozenset({"start", "check", "complete", "submit", "cancel", "sign-in"})


class Definition(BaseModel):
    """Base for every part of a definition: immutable, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Answer = str | int | bool


class Condition(Definition):
    """A rule on earlier answers; exactly one test, or `all`/`any` of further rules."""

    field: FieldId | None = None
    equals: Answer | None = None
    not_equals: Answer | None = None
    in_: list[Answer] | None = Spec(default=None, alias="in")
    answered: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None

    @field_validator("equals", "not_equals", mode="before")
    @classmethod
    def _one_answer(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, list):
            name = info.field_name
            several = "use `in: [...]`" if name == "equals" else "combine rules with `all`"
            raise ValueError(f"`{name}` takes one answer; for several {several}")
        return value

    @field_validator("all", "any")
    @classmethod
    def _some_rules(cls, value: list[Condition] | None, info: ValidationInfo) -> Any:
        if value == []:
            raise ValueError(f"`{info.field_name}` needs at least one rule")
        return value

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [
            k for k in ("equals", "not_equals", "in_", "answered") if getattr(self, k) is not None
        ]
        groups = [k for k in ("all", "any") if getattr(self, k) is not None]
        if groups:
            if len(groups) > 1 or tests or self.field is not None:
                raise ValueError("a rule with `all` or `any` takes nothing else beside it")
            return self
        if self.field is None:
            raise ValueError("a rule needs `field` (the id of an earlier question)")
        if len(tests) != 1:
            raise ValueError("a rule needs exactly one of `equals`, `not_equals`, `in`, `answered`")
        return self

    def referenced_fields(self) -> list[str]:
        """Return the ids of every field this rule looks at."""
        if self.all is not None or self.any is not None:
            rules = self.all or self.any or []
            return [ref for rule in rules for ref in rule.referenced_fields()]
        return [self.field] if self.field else []


class Option(Definition):
    value: Annotated[str, Spec(min_length=1, max_length=64), BeforeValidator(_whole_number_as_text)]
    label: Text


class Question(Definition):
    """What every question has; each field type adds its own settings to it."""

    id: FieldId
    type: str
    label: Text
    #: a short name for the question, used in its error messages
    #: ("Enter your email address"), when the label is a whole question
    short_label: Text | None = None
    hint: Text | None = None
    required: bool = False
    show_if: Condition | None = None

    #: the card facts (`prefill:`) this type can receive, if it takes `prefill` at all
    prefill_sources: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def type_name(cls) -> str:
        """Return the `type:` a clerk writes for this model."""
        return typing.get_args(cls.model_fields["type"].annotation)[0]

    @property
    def card_fact(self) -> str | None:
        """Return the My Number card fact that fills this question, if any."""
        return getattr(self, "prefill", None)


class Lengths(BaseModel):
    """`min_length` and `max_length`, in characters."""

    min_length: Annotated[int, Spec(ge=0)] | None = None
    max_length: Annotated[int, Spec(ge=1)] | None = None


class Pattern(BaseModel):
    """`pattern` (a regular expression the whole answer must match) and its message."""

    pattern: str | None = None
    pattern_message: Text | None = None

    @field_validator("pattern")
    @classmethod
    def _valid_pattern(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                message = f"the pattern is not a valid regular expression: {error}"
                raise ValueError(message) from None
        return value


class Autocomplete(BaseModel):
    """`autocomplete`: what the browser may fill in (checked in portal.procedure.autofill)."""

    autocomplete: str | None = None


CardFact = Literal["name", "address", "birthdate", "gender"]


class Prefill(BaseModel):
    """`prefill`: a fact from the My Number card that answers the question."""

    prefill: CardFact | None = None


class Options(BaseModel):
    """`options`: the answers to pick from."""

    options: list[Option] | None = None

    def option_label(self, value: str) -> dict[str, str] | None:
        """Return the label of the option with `value`, if there is one."""
        return next((o.label for o in self.options or [] if o.value == value), None)


Condition.model_rebuild()
