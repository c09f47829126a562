"""Who may do what: administrators everything; clerks and viewers only their procedures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["clerk", "viewer"]
Capability = Literal["view", "export", "change_status"]
ROLES: tuple[Role, ...] = ("clerk", "viewer")

CAPABILITIES: dict[Role, frozenset[Capability]] = {
    "clerk": frozenset({"view", "export", "change_status"}),
    "viewer": frozenset({"view"}),
}


@dataclass(frozen=True)
class Permissions:
    """What one signed-in member may do, worked out once per request."""

    is_admin: bool = False
    roles: dict[str, Role] = field(default_factory=dict)

    def may(self, capability: Capability, procedure_id: str) -> bool:
        """Tell whether the member may `capability` the submissions of `procedure_id`."""
        if self.is_admin:
            return True
        role = self.roles.get(procedure_id)
        return role is not None and capability in CAPABILITIES[role]

    def visible(self, procedure_ids: list[str]) -> list[str]:
        """Return the procedure ids, of those given, whose submissions the member may see."""
        return [pid for pid in procedure_ids if self.may("view", pid)]

    def role_in(self, procedure_id: str) -> str | None:
        """Return 'administrator', 'clerk', 'viewer' or None for `procedure_id`."""
        return "administrator" if self.is_admin else self.roles.get(procedure_id)
