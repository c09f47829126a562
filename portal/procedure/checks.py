"""Checks across a whole procedure that no single part can make on its own."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass

from portal.procedure.conditions import matches
from portal.procedure.fields import kind_of, question_models
from portal.procedure.findings import Finding, Location, shown
from portal.procedure.model import RESERVED_PAGE_IDS, Answer, Condition, Procedure
from portal.procedure.question import Question

__all__ = ["Finding", "Location", "Scope", "check_procedure", "shown"]


@dataclass(frozen=True)
class Scope:
    """The procedure being checked, and its parts whose own mistakes were already reported."""

    procedure: Procedure
    broken: frozenset[Location]

    def sound(self, loc: Location) -> bool:
        """Tell whether the part at `loc` is free of reported mistakes, and so is what holds it."""
        return not any(loc[:i] in self.broken for i in range(1, len(loc) + 1))

    def questions(self) -> list[tuple[Location, Question]]:
        """Return every sound question, with where it is."""
        return [(at, field) for at, field in _located_fields(self.procedure) if self.sound(at)]

    @functools.cached_property
    def unsure(self) -> frozenset[str]:
        """Return the ids of questions with mistakes of their own: nothing is said of them."""
        located = _located_fields(self.procedure)
        return frozenset(field.id for at, field in located if not self.sound(at))

    def did_you_mean(self, field_id: str) -> str:
        """Return a '; did you mean …' hint naming the question id closest to `field_id`."""
        ids = [f.id for _, f in _located_fields(self.procedure) if f.id]  # stand-ins: None
        close = difflib.get_close_matches(field_id, ids, n=1)
        return f"; did you mean {close[0]!r}?" if close else ""


def check_procedure(procedure: Procedure, broken: Collection[Location] = ()) -> list[Finding]:
    """Return every cross-reference mistake in `procedure`, each with where it is.

    `broken` lists the parts whose mistakes are already reported (a question; a page, or one
    key of it; a top-level key): they are not checked, and neither is what refers to them.
    """
    scope = Scope(procedure, frozenset(broken))
    findings = _check_pages(scope)
    for check, reads in _PROCEDURE_WIDE:
        if all(scope.sound((key,)) for key in reads):
            findings += check(scope)
    return findings


def _located_fields(procedure: Procedure) -> list[tuple[Location, Question]]:
    return [
        (("pages", p, "fields", f), field)
        for p, page in enumerate(procedure.pages)
        for f, field in enumerate(page.fields)
    ]


def _check_pages(scope: Scope) -> list[Finding]:
    """Check page and question ids, rules, and each question's settings."""
    findings: list[Finding] = []
    seen_pages: set[str] = set()
    page_of_field: dict[str, int] = {}
    for p, page in enumerate(scope.procedure.pages):
        here: Location = ("pages", p)
        if scope.sound((*here, "id")):
            findings += _check_page_id(page.id, here, seen_pages)
            seen_pages.add(page.id)
        if page.show_if:
            at_rule = (*here, "show_if")
            findings += _check_condition(scope, page.show_if, at_rule, page_of_field, p)
        for f, field in enumerate(page.fields):
            at: Location = (*here, "fields", f)
            if scope.sound(at):
                if field.id in page_of_field:
                    findings.append(
                        Finding(
                            (*at, "id"),
                            f"question id {field.id!r} is used twice; "
                            "give each question its own id",
                        )
                    )
                if field.show_if:
                    at_rule = (*at, "show_if")
                    findings += _check_condition(scope, field.show_if, at_rule, page_of_field, p)
                findings += kind_of(field).problems(field, at, scope)
            page_of_field.setdefault(field.id, p)
    return findings


def _check_page_id(page_id: str, here: Location, seen: set[str]) -> list[Finding]:
    at: Location = (*here, "id")
    findings: list[Finding] = []
    if page_id in seen:
        findings.append(
            Finding(at, f"page id {page_id!r} is used twice; give each page its own id")
        )
    if page_id in RESERVED_PAGE_IDS:
        reserved = ", ".join(sorted(RESERVED_PAGE_IDS))
        findings.append(
            Finding(at, f"page id {page_id!r} is reserved ({reserved}); choose another")
        )
    return findings


def _check_notify(scope: Scope) -> list[Finding]:
    """Refuse a confirmation email to anything but an email question."""
    notify = scope.procedure.notify
    if notify is None or notify.email_field in scope.unsure:
        return []
    target = scope.procedure.field(notify.email_field)
    if target is not None and kind_of(target).is_email_address:
        return []
    return [
        Finding(
            ("notify", "email_field"),
            f"{notify.email_field!r} is not an email question of this procedure; "
            "name the id of a `type: email` question",
        )
    ]


def _check_identity(scope: Scope) -> list[Finding]:
    """Refuse card prefill and signatures unless the procedure asks for My Number sign-in."""
    procedure = scope.procedure
    found: list[Finding] = []
    if procedure.signature == "required" and procedure.identity != "mynumber":
        # The signature certificate is on the My Number card: signing needs that sign-in.
        found.append(
            Finding(
                ("signature",),
                "`signature: required` needs `identity: mynumber` "
                "(residents sign with the My Number card); "
                "add it or remove `signature`",
            )
        )
    for here, field in scope.questions():
        if field.card_fact is None:
            continue
        at: Location = (*here, "prefill")
        if procedure.identity != "mynumber":
            found.append(
                Finding(
                    at,
                    "`prefill` needs `identity: mynumber` (the facts come from "
                    "the My Number card); add it or remove `prefill`",
                )
            )
        elif field.card_fact not in field.prefill_sources:
            kinds = ", ".join(_types_filled_by(field.card_fact))
            found.append(
                Finding(
                    at,
                    f"`prefill: {field.card_fact}` cannot fill a {field.type} "
                    f"question; use it on a question of type {kinds}",
                )
            )
    return found


def _types_filled_by(fact: str) -> list[str]:
    return [m.type_name() for m in question_models() if fact in m.prefill_sources]


def _check_condition(
    scope: Scope, rule: Condition, at: Location, page_of_field: dict[str, int], page_index: int
) -> list[Finding]:
    if rule.all is not None or rule.any is not None:
        key = "all" if rule.all is not None else "any"
        return [
            finding
            for i, sub in enumerate(getattr(rule, key))
            for finding in _check_condition(scope, sub, (*at, key, i), page_of_field, page_index)
        ]
    target = scope.procedure.field(rule.field)
    if target is None:
        return [
            Finding(
                (*at, "field"),
                f"the rule refers to {rule.field!r}, which is no question "
                f"of this procedure{scope.did_you_mean(rule.field)}",
            )
        ]
    if page_of_field.get(rule.field, page_index) >= page_index:
        return [
            Finding(
                (*at, "field"),
                f"the rule refers to {rule.field!r}, which is not asked on "
                "an earlier page; a rule can only look at answers given "
                "on earlier pages",
            )
        ]
    if rule.field in scope.unsure:
        return []
    return _check_rule_values(target, rule, at)


def _check_rule_values(target: Question, rule: Condition, at: Location) -> list[Finding]:
    """Refuse a value the rule compares with that no answer to `target` can ever match."""
    tested: list[tuple[Location, Answer | None]] = [
        ((*at, "equals"), rule.equals),
        ((*at, "not_equals"), rule.not_equals),
    ]
    tested += [((*at, "in", i), value) for i, value in enumerate(rule.in_ or [])]
    advice = kind_of(target).answer_advice(target)
    return [
        Finding(where, f"{shown(value)} is not an answer {target.id!r} can have; {advice}")
        for where, value in tested
        if value is not None and not _can_answer(target, value)
    ]


def _can_answer(field: Question, value: Answer) -> bool:
    possible = kind_of(field).possible_answers(field)
    if possible is None:
        return not isinstance(value, bool)
    return any(matches(answer, value) for answer in possible)


def _check_capacity(scope: Scope) -> list[Finding]:
    procedure = scope.procedure
    capacity = procedure.capacity
    if capacity is None:
        return []
    found: list[Finding] = []
    if capacity.party_size is not None and capacity.party_size not in scope.unsure:
        found += _check_party_size(procedure, capacity.party_size)
    if capacity.one_per == "email" and procedure.notify is None:
        found.append(
            Finding(
                ("capacity", "one_per"),
                "`one_per: email` needs `notify: {email_field: …}` to know whose email it is",
            )
        )
    if capacity.one_per == "identity" and procedure.identity == "none":
        message = "`one_per: identity` needs `identity: mynumber`"
        found.append(Finding(("capacity", "one_per"), message))
    if capacity.allocation == "lottery":
        closes = procedure.window.closes
        if closes is None:
            message = "a lottery needs `window: {closes: …}`"
            found.append(Finding(("capacity", "allocation"), message))
        elif capacity.draw_at is not None and capacity.draw_at < closes:
            message = "the draw must come after the window closes"
            found.append(Finding(("capacity", "draw_at"), message))
    return found


def _check_party_size(procedure: Procedure, field_id: str) -> list[Finding]:
    target = procedure.field(field_id)
    if (
        target is None
        or not kind_of(target).is_whole_number
        or not target.required
        or (getattr(target, "min", None) or 0) < 1
    ):
        return [
            Finding(
                ("capacity", "party_size"),
                f"{field_id!r} must be a required number question with `min: 1` "
                "(the number of people in one application)",
            )
        ]
    if target.show_if is not None or any(p.show_if for p in procedure.pages if target in p.fields):
        return [Finding(("capacity", "party_size"), "the party size question must always be asked")]
    return []


#: the checks of the whole procedure, each with the top-level keys it reads
_PROCEDURE_WIDE: tuple[tuple[Callable[[Scope], list[Finding]], tuple[str, ...]], ...] = (
    (_check_capacity, ("capacity", "notify", "identity", "window")),
    (_check_identity, ("identity", "signature")),
    (_check_notify, ("notify",)),
)
