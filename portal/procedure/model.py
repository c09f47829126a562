"""The procedure definition: what staff write in YAML, typed and immutable."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic import Field as Spec
from pydantic_core import PydanticCustomError

from portal.procedure.text import Text

TOKYO = ZoneInfo("Asia/Tokyo")


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
#: a date and time as clerks write it; without a zone it is Asia/Tokyo
TokyoTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$",
            "description": "Asia/Tokyo time, like 2026-12-01 09:00",
        }
    ),
]
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


class Field(Definition):
    """One question."""

    id: FieldId
    type: str
    label: Text
    #: a short name for the question, used in its error messages
    #: ("Enter your email address"), when the label is a whole question
    short_label: Text | None = None
    hint: Text | None = None
    required: bool = False
    min_length: Annotated[int, Spec(ge=0)] | None = None
    max_length: Annotated[int, Spec(ge=1)] | None = None
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    pattern_message: Text | None = None
    options: list[Option] | None = None
    autocomplete: str | None = None
    address_field: FieldId | None = None
    prefill: Literal["name", "address", "birthdate", "gender"] | None = None
    show_if: Condition | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        from portal.procedure.fields import suggest_type, type_names

        if value not in type_names():
            raise ValueError(f"unknown field type {value!r}{suggest_type(value)}")
        return value

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

    def option_label(self, value: str) -> dict[str, str] | None:
        """Return the label of the option with `value`, if there is one."""
        return next((o.label for o in self.options or [] if o.value == value), None)


class Page(Definition):
    """One step of the journey: a title and its questions."""

    id: Slug
    title: Text
    description: Text | None = None
    show_if: Condition | None = None
    fields: Annotated[list[Field], Spec(min_length=1)]


class Contact(Definition):
    department: Text
    phone: str | None = None
    email: str | None = None


class Window(Definition):
    """When applications are taken; times without a zone are Asia/Tokyo."""

    opens: TokyoTime | None = None
    closes: TokyoTime | None = None

    @field_validator("opens", "closes")
    @classmethod
    def _in_tokyo(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=TOKYO)
        return value

    @field_validator("closes")
    @classmethod
    def _closes_after_opening(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        opens = info.data.get("opens")
        if opens and value and value <= opens:
            raise ValueError("the window closes before it opens; `closes` must come after `opens`")
        return value

    def state(self, now: datetime) -> Literal["before", "open", "closed"]:
        """Tell whether applications are taken at `now`."""
        if self.opens and now < self.opens:
            return "before"
        if self.closes and now >= self.closes:
            return "closed"
        return "open"


class Capacity(Definition):
    """Seats for an event, how they are given out, and the waitlist behind them."""

    limit: Annotated[int, Spec(ge=1)]
    waitlist: Annotated[int, Spec(ge=0)] = 0
    party_size: FieldId | None = None
    allocation: Literal["first_come", "lottery"] = "first_come"
    draw_at: TokyoTime | None = None
    one_per: Literal["email", "identity"] = "email"

    @field_validator("draw_at")
    @classmethod
    def _draw_only_for_lottery(cls, value: datetime | None, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("allocation") == "first_come":
            raise ValueError("`draw_at` only applies to `allocation: lottery`; remove it")
        return value

    @field_validator("draw_at")
    @classmethod
    def _draw_in_tokyo(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=TOKYO)
        return value

    @model_validator(mode="after")
    def _lottery_has_draw_time(self) -> Capacity:
        if self.allocation == "lottery" and self.draw_at is None:
            raise ValueError("a lottery needs `draw_at`, the time of the draw")
        return self


class Notify(Definition):
    email_field: FieldId


class Procedure(Definition):
    """A whole procedure, as one YAML file describes it."""

    id: Slug
    version: Annotated[int, Spec(ge=1)] = 1
    category: Text
    title: Text
    summary: Text
    description: Text | None = None
    you_will_need: list[Text] = []
    minutes_needed: Annotated[int, Spec(ge=1, le=240)] | None = None
    contact: Contact
    window: Window = Window()
    identity: Literal["none", "mynumber"] = "none"
    signature: Literal["none", "required"] = "none"
    notify: Notify | None = None
    completion: Text | None = None
    retention_days: Annotated[int, Spec(ge=1, le=3650)] = 365
    capacity: Capacity | None = None
    pages: Annotated[list[Page], Spec(min_length=1)]

    def fields(self) -> list[Field]:
        """Return every field, in page order."""
        return [field for page in self.pages for field in page.fields]

    def field(self, field_id: str) -> Field | None:
        """Return the field with `field_id`, if any."""
        return next((f for f in self.fields() if f.id == field_id), None)

    def page(self, page_id: str) -> Page | None:
        """Return the page with `page_id`, if any."""
        return next((p for p in self.pages if p.id == page_id), None)

    def texts(self) -> list[dict[str, str]]:
        """Return every human text of the procedure (for translation coverage)."""
        found: list[dict[str, str]] = []

        def walk(node: Any) -> None:
            if isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    walk(getattr(node, name))
            elif isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict) and node and all(isinstance(v, str) for v in node.values()):
                found.append(node)

        walk(self)
        return found


Condition.model_rebuild()
