"""Sign an application through the stub provider the way a resident would: card, password."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.support.identity import hidden_fields

DEFAULT_SIGNER = ("minato-hanako", "hanako-test")


def to_signing_page(client, procedure_id: str) -> str:
    """Press "Sign with your My Number card"; return the stub's signing page it leads to (the
    authorization endpoint, asked for `sign`, sends the resident on to it)."""
    path = f"/procedures/{procedure_id}/sign"
    token = hidden_fields(client.get(path).get_data(as_text=True))["csrf_token"]
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302, response.status_code
    authorize = client.get(response.location)
    assert authorize.status_code == 302, authorize.status_code
    return authorize.location


def enter_password(client, sign_url: str, persona: str, password: str, action: str = "read"):
    """On the stub's signing page pick the card and enter the password; return the response."""
    page = client.get(sign_url)
    assert page.status_code == 200, page.status_code
    data = {
        **hidden_fields(page.get_data(as_text=True)),
        "persona": persona,
        "pin": password,
        "action": action,
    }
    return client.post(urlparse(sign_url).path, data=data)


def sign(client, procedure_id: str, signer: tuple[str, str] = DEFAULT_SIGNER):
    """Sign the current answers; return the portal's response to the provider's return."""
    back = enter_password(client, to_signing_page(client, procedure_id), *signer)
    assert back.status_code == 302, back.get_data(as_text=True)[:2000]
    return client.get(back.location)
