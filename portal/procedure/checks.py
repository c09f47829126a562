"""Checks across a whole procedure that no single part can make on its own."""

from __future__ import annotations

import difflib

from portal.procedure.fields import field_type
from portal.procedure.model import RESERVED_PAGE_IDS, Condition, Procedure

Location = tuple[str | int, ...]
Finding = tuple[Location, str]

_SETTING_NAMES = (
    "min_length", "max_length", "min", "max", "pattern", "pattern_message",
    "options", "autocomplete", "address_field",
)


def check_procedure(procedure: Procedure) -> list[Finding]:
    """Return every cross-reference mistake in `procedure`, each with where it is."""
    findings: list[Finding] = []
    seen_pages: dict[str, int] = {}
    page_of_field: dict[str, int] = {}
    for p, page in enumerate(procedure.pages):
        here: Location = ("pages", p)
        if page.id in seen_pages:
            findings.append(((*here, "id"), f"page id {page.id!r} is used twice; give each page its own id"))
        if page.id in RESERVED_PAGE_IDS:
            reserved = ", ".join(sorted(RESERVED_PAGE_IDS))
            findings.append(((*here, "id"), f"page id {page.id!r} is reserved ({reserved}); choose another"))
        seen_pages.setdefault(page.id, p)
        if page.show_if:
            findings += _check_condition(procedure, page.show_if, (*here, "show_if"), page_of_field, p)
        for f, field in enumerate(page.fields):
            at: Location = (*here, "fields", f)
            if field.id in page_of_field:
                findings.append(((*at, "id"), f"question id {field.id!r} is used twice; give each question its own id"))
            if field.show_if:
                findings += _check_condition(procedure, field.show_if, (*at, "show_if"), page_of_field, p)
            findings += _check_settings(procedure, field, at)
            page_of_field.setdefault(field.id, p)
    if procedure.notify:
        target = procedure.field(procedure.notify.email_field)
        if target is None or target.type != "email":
            findings.append((("notify", "email_field"),
                             f"{procedure.notify.email_field!r} is not an email question of this procedure; "
                             "name the id of a `type: email` question"))
    return findings


def _check_settings(procedure: Procedure, field, at: Location) -> list[Finding]:
    kind = field_type(field.type)
    found: list[Finding] = []
    for name in _SETTING_NAMES:
        if getattr(field, name) is not None and name not in kind.settings:
            found.append(((*at, name), f"`{name}` does not apply to a {field.type} question; remove it"))
    if kind.takes_options and "options" in kind.settings and not field.options:
        found.append(((*at, "type"), f"a {field.type} question needs `options` (a list of value and label)"))
    values = [option.value for option in field.options or []]
    for o, value in enumerate(values):
        if value in values[:o]:
            found.append(((*at, "options", o, "value"), f"option value {value!r} is used twice in this question"))
    if field.min_length is not None and field.max_length is not None and field.min_length > field.max_length:
        found.append(((*at, "min_length"), "`min_length` is larger than `max_length`"))
    if field.min is not None and field.max is not None and field.min > field.max:
        found.append(((*at, "min"), "`min` is larger than `max`"))
    if field.address_field is not None:
        target = procedure.field(field.address_field)
        if target is None or target.type not in ("text", "textarea"):
            found.append(((*at, "address_field"),
                          f"{field.address_field!r} is not a text question; name the question that receives the address"))
    return found


def _check_condition(procedure: Procedure, rule: Condition, at: Location,
                     page_of_field: dict[str, int], page_index: int) -> list[Finding]:
    if rule.all is not None or rule.any is not None:
        key = "all" if rule.all is not None else "any"
        return [finding for i, sub in enumerate(getattr(rule, key))
                for finding in _check_condition(procedure, sub, (*at, key, i), page_of_field, page_index)]
    target = procedure.field(rule.field)
    if target is None:
        close = difflib.get_close_matches(rule.field, [f.id for f in procedure.fields()], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return [((*at, "field"), f"the rule refers to {rule.field!r}, which is no question of this procedure{hint}")]
    if page_of_field.get(rule.field, page_index) >= page_index:
        return [((*at, "field"),
                 f"the rule refers to {rule.field!r}, which is not asked on an earlier page; "
                 "a rule can only look at answers given on earlier pages")]
    allowed = _answer_values(target)
    if allowed is None:
        return []
    for key, values in (("equals", [rule.equals]), ("not_equals", [rule.not_equals]), ("in", rule.in_ or [])):
        for value in values:
            if value is not None and _as_text(value) not in allowed:
                shown = ", ".join(sorted(allowed))
                return [((*at, key), f"{value!r} is not an answer {rule.field!r} can have; use one of: {shown}")]
    return []


def _answer_values(field) -> set[str] | None:
    if field.type == "yes_no":
        return {"yes", "no"}
    if field.type == "consent":
        return {"true", "false"}
    if field.options:
        return {option.value for option in field.options}
    return None


def _as_text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
