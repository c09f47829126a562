"""A provider's signing keys (its JWKS), cached for a while and fetched again when it rotates.

The key set is fetched when first needed and again once it is older than the provider's
Cache-Control max-age (at most MAX_TTL; DEFAULT_TTL without one). After a token whose `kid` is
unknown or whose signature fails under the cached keys, it is fetched again at once, but no
more than once per REFETCH_INTERVAL, so a flood of bad tokens cannot flood the provider. Every
fetch replaces the whole set: a key the provider withdrew is no longer trusted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

from portal.identity.adapter import IdentityFailure

DEFAULT_TTL = 300.0
MAX_TTL = 3600.0
REFETCH_INTERVAL = 30.0

#: the key type each family of algorithms signs with
_KEY_TYPES = {"ES": "EC", "RS": "RSA", "PS": "RSA", "Ed": "OKP"}
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)


@dataclass(frozen=True)
class FetchedKeys:
    """A JWKS document as the provider served it, with its Cache-Control header."""

    jwks: dict
    cache_control: str | None = None


def time_to_live(cache_control: str | None) -> float:
    """Return how long a key set may be kept, from the provider's Cache-Control header."""
    if not cache_control:
        return DEFAULT_TTL
    if re.search(r"\b(no-store|no-cache)\b", cache_control, re.IGNORECASE):
        return 0.0
    found = _MAX_AGE.search(cache_control)
    return min(float(found[1]), MAX_TTL) if found else DEFAULT_TTL


class ProviderKeys:
    """The signing keys of one provider, as `fetch` returns them, on the clock `now`."""

    def __init__(self, fetch: Callable[[], FetchedKeys], now: Callable[[], float]):
        self._fetch = fetch
        self._now = now
        self._keys: list[tuple[Key, bool]] = []  # each key, and whether it came with a kid
        self._expires_at: float | None = None
        self._refetched_at: float | None = None

    def candidates(self, kid: str | None, alg: str) -> list[Key]:
        """Return the cached keys that may have signed a token with `kid` and `alg`."""
        if self._expires_at is None or self._now() >= self._expires_at:
            self._load()
        return self._matching(kid, alg)

    def refreshed_candidates(self, kid: str | None, alg: str) -> list[Key] | None:
        """Fetch the keys again and return the candidates; None if fetched again too recently."""
        now = self._now()
        if self._refetched_at is not None and now - self._refetched_at < REFETCH_INTERVAL:
            return None
        self._refetched_at = now
        self._load()
        return self._matching(kid, alg)

    def _load(self) -> None:
        fetched = self._fetch()
        try:
            keys = KeySet.import_key_set(fetched.jwks).keys
            # joserfc names a key without `kid` by its thumbprint: remember which were named.
            named = ["kid" in entry for entry in fetched.jwks["keys"]]
            published = list(zip(keys, named, strict=True))
        except (JoseError, ValueError, TypeError, KeyError):
            raise IdentityFailure("jwks_invalid") from None
        self._keys = [(key, kid) for key, kid in published if key.get("use", "sig") == "sig"]
        self._expires_at = self._now() + time_to_live(fetched.cache_control)

    def _matching(self, kid: str | None, alg: str) -> list[Key]:
        key_type = _KEY_TYPES.get(alg[:2])
        usable = [
            (key, named)
            for key, named in self._keys
            if key.key_type == key_type and key.get("alg", alg) == alg
        ]
        if kid is None:
            return [key for key, _ in usable]
        # A key published without a kid may be the one a token names.
        return [key for key, named in usable if not named or key.kid == kid]
