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
    findings += _check_capacity(procedure)
    findings += _check_identity(procedure)
    if procedure.notify:
        target = procedure.field(procedure.notify.email_field)
        if target is None or target.type != "email":
            findings.append((("notify", "email_field"),
                             f"{procedure.notify.email_field!r} is not an email question of this procedure; "
                             "name the id of a `type: email` question"))
    return findings


_PREFILL_TYPES = {
    "name": ("text", "textarea"),
    "address": ("text", "textarea"),
    "birthdate": ("date",),
    "gender": ("text", "radio", "select"),
}


def _check_identity(procedure: Procedure) -> list[Finding]:
    """Refuse card prefill and signatures unless the procedure asks for My Number sign-in."""
    found: list[Finding] = []
    if procedure.signature == "required" and procedure.identity != "mynumber":
        found.append((("signature",), "`signature: required` needs `identity: mynumber` "
                      "(residents sign with their My Number card)"))
    for p, page in enumerate(procedure.pages):
        for f, field in enumerate(page.fields):
            if field.prefill is None:
                continue
            at: Location = ("pages", p, "fields", f, "prefill")
            if procedure.identity != "mynumber":
                found.append((at, "`prefill` needs `identity: mynumber` (the facts come from "
                                  "the My Number card); add it or remove `prefill`"))
            elif field.type not in _PREFILL_TYPES[field.prefill]:
                kinds = ", ".join(_PREFILL_TYPES[field.prefill])
                found.append((at, f"`prefill: {field.prefill}` cannot fill a {field.type} "
                                  f"question; use it on a question of type {kinds}"))
    return found


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


def _check_capacity(procedure: Procedure) -> list[Finding]:
    capacity = procedure.capacity
    if capacity is None:
        return []
    found: list[Finding] = []
    if capacity.party_size is not None:
        target = procedure.field(capacity.party_size)
        if target is None or target.type != "number" or not target.required or (target.min or 0) < 1:
            found.append((("capacity", "party_size"),
                          f"{capacity.party_size!r} must be a required number question with `min: 1` "
                          "(the number of people in one application)"))
        elif target.show_if is not None or any(p.show_if for p in procedure.pages if target in p.fields):
            found.append((("capacity", "party_size"), "the party size question must always be asked"))
    if capacity.one_per == "email" and procedure.notify is None:
        found.append((("capacity", "one_per"),
                      "`one_per: email` needs `notify: {email_field: …}` to know whose email it is"))
    if capacity.one_per == "identity" and procedure.identity == "none":
        found.append((("capacity", "one_per"), "`one_per: identity` needs `identity: mynumber`"))
    if capacity.allocation == "lottery":
        closes = procedure.window.closes
        if closes is None:
            found.append((("capacity", "allocation"), "a lottery needs `window: {closes: …}`"))
        elif capacity.draw_at is not None and capacity.draw_at < closes:
            found.append((("capacity", "draw_at"), "the draw must come after the window closes"))
    return found
