"""Sign in through the stub provider the way a resident would: card, PIN, consent."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlparse

DEFAULT_PERSONA = ("minato-hanako", "1234")


def hidden_fields(html: str) -> dict[str, str]:
    """Return the hidden inputs of a page's forms (the last one wins)."""
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }


def to_provider(client, sign_in_path: str) -> str:
    """Press "Sign in with your My Number card"; return the provider URL it leads to."""
    html = client.get(sign_in_path).get_data(as_text=True)
    form = hidden_fields(html)
    response = client.post(
        sign_in_path,
        data={"csrf_token": form["csrf_token"], "adapter": form.get("adapter", "mynumber")},
    )
    assert response.status_code == 302, response.status_code
    return response.location


def read_card(client, authorize_url: str, persona: str, pin: str, action: str = "read"):
    """Open the stub's card page, pick `persona`, enter `pin`; return the response."""
    page = client.get(authorize_url)
    assert page.status_code == 200, page.status_code
    data = {
        **hidden_fields(page.get_data(as_text=True)),
        "persona": persona,
        "pin": pin,
        "action": action,
    }
    return client.post(urlparse(authorize_url).path, data=data)


def sign_in_with_card(
    client, path: str, persona: tuple[str, str] = DEFAULT_PERSONA, consent: str = "yes"
) -> str:
    """Sign in from a gated page with a persona's card; return where the journey resumes."""
    response = client.get(path)
    while response.status_code == 302 and "/sign-in" in response.location:
        target = urlparse(response.location).path
        if target.endswith("/sign-in"):
            returned = client.get(to_provider_and_back(client, target, persona))
            assert returned.status_code == 302, returned.get_data(as_text=True)[:2000]
            response = returned
        else:  # the consent page
            token = hidden_fields(client.get(target).get_data(as_text=True))["csrf_token"]
            response = client.post(target, data={"csrf_token": token, "use": consent})
    assert response.status_code == 302, response.status_code
    return urlparse(response.location).path


def to_provider_and_back(client, sign_in_path: str, persona: tuple[str, str]) -> str:
    """Go to the provider, read the card, and return the callback URL it sends back to."""
    after_card = read_card(client, to_provider(client, sign_in_path), *persona)
    assert after_card.status_code == 302, after_card.get_data(as_text=True)[:2000]
    return after_card.location
