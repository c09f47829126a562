"""A provider's `error` sent back by anyone cannot write a line of its own into the log."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.identity.test_refusals import SIGN_IN, begin
from tests.support.identity import to_provider


@pytest.fixture
def database_url(sqlite_url):
    return sqlite_url


@pytest.mark.parametrize(
    "error",
    ["\nFORGED-LINE staff admin signed in", "access_denied\r\nFORGED-LINE", "\u2028FORGED-LINE"],
)
def test_a_forged_error_at_the_callback_writes_no_extra_log_line(client, caplog, error):
    begin(client)
    state = parse_qs(urlparse(to_provider(client, SIGN_IN)).query)["state"][0]
    with caplog.at_level("INFO"):
        response = client.get(f"/identity/callback?state={state}&error={quote(error)}")
    assert response.status_code == 400
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == [refusals[0]] and "reason=provider_error_unknown" in refusals[0]
    assert not any("\n" in m or "\u2028" in m for m in map(str, caplog.messages))
    assert "FORGED-LINE" not in caplog.text


def test_a_providers_error_code_is_logged_as_it_is(client, caplog):
    begin(client)
    state = parse_qs(urlparse(to_provider(client, SIGN_IN)).query)["state"][0]
    client.get(f"/identity/callback?state={state}&error=access_denied")
    assert "reason=provider_error_access_denied" in caplog.text
