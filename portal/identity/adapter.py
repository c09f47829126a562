"""What every identity adapter provides: start a sign-in, handle the return, sign out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

#: Levels of assurance, weakest first; a procedure's `identity:` names the level it needs.
ASSURANCE_LEVELS = ("none", "low", "substantial", "high")
#: What each `identity:` value of a procedure asks of an adapter.
REQUIREMENTS: dict[str, tuple[str, frozenset[str]]] = {
    "none": ("none", frozenset()),
    "mynumber": ("high", frozenset({"name", "address", "birthdate", "gender"})),
}


class IdentityFailure(Exception):
    """A sign-in that must be refused; `reason` is a short code for logs, never a secret."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IdentityResult:
    """Who signed in, how strongly, when, and the facts from their card."""

    adapter: str
    issuer: str
    subject: str
    assurance: str
    acr: str | None
    authenticated_at: datetime
    claims: dict[str, str] = field(default_factory=dict)
    id_token: str | None = None


@dataclass(frozen=True)
class LoginStart:
    """Where to send the resident, and what to keep until they come back."""

    url: str
    pending: dict[str, Any]


class Adapter(Protocol):
    """An identity adapter, registered by `id`."""

    id: ClassVar[str]
    #: the facts the adapter can give (a subset of name, address, birthdate, gender)
    provides: ClassVar[frozenset[str]]
    #: one of ASSURANCE_LEVELS
    assurance: ClassVar[str]

    def start_login(self) -> LoginStart:
        """Return the provider URL to send the resident to, with the state to keep."""

    def handle_return(self, params: dict[str, str], pending: dict[str, Any]) -> IdentityResult:
        """Return the verified sign-in, or raise IdentityFailure."""

    def form_origins(self) -> list[str]:
        """Return the origins the sign-in form's redirect leads to (the page's CSP allows them)."""

    def logout_url(
        self, *, id_token: str | None, post_logout_redirect_uri: str, state: str
    ) -> str | None:
        """Return the provider's logout URL (RP-initiated logout), or None if it has none."""


def satisfies(adapter: Adapter, identity: str) -> bool:
    """Tell whether `adapter` meets what a procedure's `identity:` asks for."""
    level, facts = REQUIREMENTS[identity]
    strong_enough = ASSURANCE_LEVELS.index(adapter.assurance) >= ASSURANCE_LEVELS.index(level)
    return strong_enough and facts <= adapter.provides
