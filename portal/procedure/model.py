"""The procedure definition: what staff write in YAML, typed and immutable.

A question (`Field`) is one of the field types' own models, told apart by `type`; each
type declares its settings in its module under `portal.procedure.fields`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic import Field as Spec

from portal.procedure.fields import question_models
from portal.procedure.question import (
    RESERVED_PAGE_IDS,
    Answer,
    Condition,
    Definition,
    FieldId,
    Option,
    Question,
    Slug,
)
from portal.procedure.text import Text

__all__ = [
    "RESERVED_PAGE_IDS",
    "TOKYO",
    "Answer",
    "Capacity",
    "Condition",
    "Contact",
    "Field",
    "Notify",
    "Option",
    "Page",
    "Procedure",
    "Question",
    "Window",
    "parse_field",
]

TOKYO = ZoneInfo("Asia/Tokyo")


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
#: a question: the model of its type, chosen by its `type:` key
Field = Annotated[Union[tuple(question_models())], Spec(discriminator="type")]  # noqa: UP007
_FIELD = TypeAdapter(Field)


def parse_field(data: Any) -> Question:
    """Validate one question as staff write it (for tests and previews)."""
    return _FIELD.validate_python(data)


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

    @field_validator("closes", mode="before")
    @classmethod
    def _closes_at_a_time(cls, value: Any) -> Any:
        day = value if isinstance(value, date) and not isinstance(value, datetime) else None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            day = date.fromisoformat(value.strip())
        if day is not None:
            raise ValueError(
                f"`closes` needs a time as well as a date (a date alone would close at 0:00 "
                f"that morning); write it like {day.isoformat()} 17:00"
            )
        return value

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
    #: days an emailed 「保存して後で続ける」 link works (and its draft is kept)
    resume_days: Annotated[int, Spec(ge=1, le=90)] = 7
    capacity: Capacity | None = None
    pages: Annotated[list[Page], Spec(min_length=1)]

    def fields(self) -> list[Question]:
        """Return every field, in page order."""
        return [field for page in self.pages for field in page.fields]

    def field(self, field_id: str) -> Question | None:
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
