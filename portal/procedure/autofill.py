"""HTML autofill tokens (`autocomplete:` in YAML): which exist, and which control takes which.

A browser fills a form from what it knows of the resident only when each control says what
it holds, in the words of the HTML standard's autofill field names. A token the standard
does not know, or one a control cannot hold (a multi-line `street-address` in a one-line
input), is invalid HTML (JIS X 8341-3 4.1.1) and helps nobody; `portal check` refuses both.
"""

from __future__ import annotations

#: autofill field names by the kind of value they hold (HTML "control group")
FIELD_NAMES: dict[str, frozenset[str]] = {
    "text": frozenset(
        {
            "name",
            "honorific-prefix",
            "given-name",
            "additional-name",
            "family-name",
            "honorific-suffix",
            "nickname",
            "organization-title",
            "organization",
            "address-line1",
            "address-line2",
            "address-line3",
            "address-level4",
            "address-level3",
            "address-level2",
            "address-level1",
            "country",
            "country-name",
            "postal-code",
            "cc-name",
            "cc-given-name",
            "cc-additional-name",
            "cc-family-name",
            "cc-type",
            "language",
            "sex",
            "transaction-currency",
            "tel-country-code",
            "tel-national",
            "tel-area-code",
            "tel-local",
            "tel-local-prefix",
            "tel-local-suffix",
            "tel-extension",
        }
    ),
    "multiline": frozenset({"street-address"}),
    "username": frozenset({"username"}),
    "password": frozenset({"new-password", "current-password", "one-time-code"}),
    "url": frozenset({"url", "photo", "impp"}),
    "email": frozenset({"email"}),
    "tel": frozenset({"tel"}),
    "numeric": frozenset(
        {
            "cc-number",
            "cc-exp-month",
            "cc-exp-year",
            "cc-csc",
            "transaction-amount",
            "bday-day",
            "bday-month",
            "bday-year",
        }
    ),
    "month": frozenset({"cc-exp"}),
    "date": frozenset({"bday"}),
}
#: the groups each control of ours may hold, by the HTML it renders
CONTROLS: dict[str, frozenset[str]] = {
    "input-text": frozenset(FIELD_NAMES) - {"multiline"},
    "input-email": frozenset({"username", "email"}),
    "input-tel": frozenset({"tel"}),
    "textarea": frozenset(FIELD_NAMES),
    "select": frozenset(FIELD_NAMES),
    # three inputs, each given the token with -year, -month, -day appended
    "date-parts": frozenset({"date"}),
}
CONTACT = frozenset({"home", "work", "mobile", "fax", "pager"})
CONTACT_GROUPS = frozenset({"email", "tel", "url"})
DELIVERY = frozenset({"shipping", "billing"})


def group_of(name: str) -> str | None:
    """Return the control group of an autofill field name, or None if HTML knows no such name."""
    return next((group for group, names in FIELD_NAMES.items() if name in names), None)


def problem(value: str, control: str) -> str | None:
    """Return what is wrong with `value` as the autocomplete of `control`, or None if nothing."""
    tokens = value.lower().split()
    if tokens in (["on"], ["off"]):
        return None
    if not tokens:
        return "`autocomplete` is empty; write a field name such as `email`, or remove it"
    *modifiers, name = tokens
    group = group_of(name)
    if group is None:
        return (
            f"{name!r} is no HTML autofill field name; use one such as "
            "`name`, `family-name`, `address-line1`, `postal-code`, `email`, `tel` or `bday`"
        )
    if group not in CONTROLS[control]:
        allowed = sorted(n for g in CONTROLS[control] for n in FIELD_NAMES[g])
        hint = (
            "; for a one-line address use `address-line1`"
            if name == "street-address"
            else f"; use one of {', '.join(allowed)}"
            if len(allowed) <= 8
            else ""
        )
        return f"{name!r} cannot be the autofill of this kind of question{hint}"
    return _modifier_problem(modifiers, group)


def _modifier_problem(modifiers: list[str], group: str) -> str | None:
    rest = list(modifiers)
    if rest and rest[0].startswith("section-"):
        rest.pop(0)
    if rest and rest[0] in DELIVERY:
        rest.pop(0)
    if rest and rest[0] in CONTACT and group in CONTACT_GROUPS:
        rest.pop(0)
    if rest:
        return (
            f"{' '.join(modifiers)!r} cannot come before the field name; write only the "
            "field name, optionally after `section-…`, `shipping`/`billing` or `home`/`work`/`mobile`"
        )
    return None
