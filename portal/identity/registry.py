"""Identity adapters by id, and which of them a procedure may use."""

from __future__ import annotations

from portal.identity.adapter import Adapter, satisfies


class AdapterRegistry:
    """id → adapter, for the adapters this portal is configured with."""

    def __init__(self) -> None:
        self._adapters: dict[str, Adapter] = {}

    def register(self, adapter: Adapter) -> Adapter:
        """Register `adapter` under its id."""
        if adapter.id in self._adapters:
            raise ValueError(f"identity adapter {adapter.id!r} is registered twice")
        self._adapters[adapter.id] = adapter
        return adapter

    def get(self, adapter_id: str) -> Adapter | None:
        """Return the adapter registered as `adapter_id`, if any."""
        return self._adapters.get(adapter_id)

    def satisfying(self, identity: str) -> list[Adapter]:
        """Return the adapters that meet a procedure's `identity:` level, in id order."""
        return [
            self._adapters[key]
            for key in sorted(self._adapters)
            if satisfies(self._adapters[key], identity)
        ]
