"""The provider key cache: time to live from Cache-Control, withdrawn keys dropped, refetches
rate-limited, keys without kids still found."""

from __future__ import annotations

import pytest
from joserfc.jwk import ECKey

from portal.identity.jwks import (
    DEFAULT_TTL,
    MAX_TTL,
    REFETCH_INTERVAL,
    FetchedKeys,
    ProviderKeys,
    time_to_live,
)


class Provider:
    """A provider whose JWKS tests change, counting each fetch."""

    def __init__(self, *keys: ECKey, cache_control: str | None = None):
        self.keys = list(keys)
        self.cache_control = cache_control
        self.fetches = 0
        self.time = 1_000_000.0

    def fetch(self) -> FetchedKeys:
        self.fetches += 1
        return FetchedKeys(
            {"keys": [k.as_dict(private=False) for k in self.keys]}, self.cache_control
        )

    def cache(self) -> ProviderKeys:
        return ProviderKeys(self.fetch, lambda: self.time)


def key(kid: str | None) -> ECKey:
    made = ECKey.generate_key("P-256")
    return ECKey.import_key(made.as_dict(private=True), {"kid": kid} if kid else {})


@pytest.mark.parametrize(
    ("header", "ttl"),
    [
        (None, DEFAULT_TTL),
        ("public, max-age=120", 120.0),
        ('max-age="60"', 60.0),
        ("max-age=999999", MAX_TTL),
        ("no-store", 0.0),
        ("public", DEFAULT_TTL),
        ("s-maxage=5", DEFAULT_TTL),
    ],
)
def test_the_time_to_live_follows_cache_control_up_to_a_maximum(header, ttl):
    assert time_to_live(header) == ttl


def test_a_withdrawn_key_is_not_trusted_once_the_set_expires():
    old, new = key("old"), key("new")
    provider = Provider(old, new, cache_control="max-age=60")
    cache = provider.cache()
    assert [k.kid for k in cache.candidates("old", "ES256")] == ["old"]
    provider.keys = [new]
    provider.time += 59
    assert cache.candidates("old", "ES256"), "still within max-age"
    provider.time += 1
    assert cache.candidates("old", "ES256") == []
    assert provider.fetches == 2


def test_a_refetch_replaces_the_set_and_is_rate_limited():
    provider = Provider(key("a"))
    cache = provider.cache()
    assert cache.candidates("b", "ES256") == []
    provider.keys = [key("b")]
    assert [k.kid for k in cache.refreshed_candidates("b", "ES256")] == ["b"]
    assert cache.refreshed_candidates("b", "ES256") is None
    assert provider.fetches == 2
    provider.time += REFETCH_INTERVAL
    assert cache.refreshed_candidates("b", "ES256") is not None
    assert provider.fetches == 3


@pytest.mark.parametrize("token_kid", [None, "named-in-the-token"])
def test_keys_without_kids_are_candidates_for_any_token(token_kid):
    first, second = key(None), key(None)
    cache = Provider(first, second).cache()
    assert len(cache.candidates(token_kid, "ES256")) == 2


def test_only_keys_of_the_algorithms_family_are_candidates():
    cache = Provider(key("ec")).cache()
    assert cache.candidates("ec", "RS256") == []
    assert [k.kid for k in cache.candidates("ec", "ES256")] == ["ec"]
