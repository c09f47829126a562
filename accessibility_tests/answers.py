"""Form input for the journeys: valid, per question and per journey, and varied until every
conditional page and question has been shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from portal.procedure.fields import FormInput, kind_of
from portal.procedure.flow import Flow
from portal.procedure.model import Condition, Procedure
from portal.procedure.question import Question as Field

#: replaced, in each run of a journey, by a token of its own: one application per person
UNIQUE = "{unique}"


def card_texts() -> tuple[str, ...]:
    """Return what the stub's test cards say about their holders (names, addresses)."""
    from portal.identity.stub_idp.personas import load_personas

    return tuple(
        text
        for persona in load_personas().values()
        for text in (persona.name, persona.name_kana, persona.address)
    )


def sample_input(question: Field) -> FormInput:
    """Return valid form input for `question`; an email address is made unique per journey."""
    given = kind_of(question).sample_input(question)
    if question.type == "email":
        return {
            name: value.replace("@", f"+{UNIQUE}@") if isinstance(value, str) else value
            for name, value in given.items()
        }
    return given


def personalised(value: str | list[str], token: str) -> str | list[str]:
    """Return `value` with this journey's token in place of UNIQUE."""
    if isinstance(value, list):
        return [item.replace(UNIQUE, token) for item in value]
    return value.replace(UNIQUE, token)


def sample_answers(procedure: Procedure) -> dict[str, str | list[str]]:
    """Return valid form input for every field of `procedure`, keyed by control name."""
    answers: dict[str, str | list[str]] = {}
    for question in procedure.fields():
        answers.update(sample_input(question))
    return answers


def typed_answers(procedure: Procedure, choices: dict[str, FormInput]) -> Iterator[str]:
    """Yield the free-text answers among `choices` (what the resident typed)."""
    for question in procedure.fields():
        if not (getattr(question, "options", None) or kind_of(question).takes_options):
            for value in choices[question.id].values():
                if isinstance(value, str):
                    yield value


def stored_answers(procedure: Procedure, choices: dict[str, FormInput]) -> dict[str, Any]:
    """Return the answers the app would store for `choices`, as far as its rules can tell."""
    answers: dict[str, Any] = {}
    for question in procedure.fields():
        given = choices[question.id]
        if question.id in given:
            answers[question.id] = given[question.id]
        elif given:
            answers[question.id] = "answered"
    return answers


def answer_variants(procedure: Procedure) -> list[tuple[dict[str, FormInput], set[str]]]:
    """Return sets of form input that together show every page and question, each with
    the pages it shows for the first time."""
    base = {q.id: sample_input(q) for q in procedure.fields()}
    variants = [(base, {p.id for p in Flow(procedure, stored_answers(procedure, base)).pages()})]
    seen = _shown(procedure, base)
    wanted = {(p.id, q.id) for p in procedure.pages for q in p.fields}
    for question_id, value in _alternatives(procedure):
        if seen >= wanted:
            break
        choices = {**base, question_id: _input_for(procedure, question_id, value, base)}
        gained = _shown(procedure, choices) - seen
        if gained:
            seen |= gained
            variants.append((choices, {page_id for page_id, _ in gained}))
    return variants


def _shown(procedure: Procedure, choices: dict[str, FormInput]) -> set[tuple[str, str]]:
    flow = Flow(procedure, stored_answers(procedure, choices))
    return {(p.id, q.id) for p in flow.pages() for q in flow.visible_fields(p)}


def _alternatives(procedure: Procedure) -> Iterator[tuple[str, Any]]:
    """Yield (question, value) pairs worth trying: every option and every value a rule names."""
    for question in procedure.fields():
        for option in getattr(question, "options", None) or []:
            yield question.id, option.value
    rules = [rule for p in procedure.pages for rule in (p.show_if,) if rule] + [
        q.show_if for q in procedure.fields() if q.show_if
    ]
    for rule in rules:
        for leaf in _leaves(rule):
            for value in [leaf.equals, *(leaf.in_ or []), leaf.not_equals, None]:
                yield str(leaf.field), value


def _leaves(rule: Condition) -> Iterator[Condition]:
    for sub in rule.all or rule.any or []:
        yield from _leaves(sub)
    if rule.field:
        yield rule


def _input_for(
    procedure: Procedure, question_id: str, value: Any, base: dict[str, FormInput]
) -> FormInput:
    """Return form input answering `question_id` with `value` (None: leave it empty)."""
    question = procedure.field(question_id)
    assert question is not None
    sample = base[question_id]
    if value is None or value is False:
        return {} if not question.required else sample
    if value is True or question.id not in sample:
        return sample
    return {question.id: [str(value)] if isinstance(sample[question.id], list) else str(value)}
