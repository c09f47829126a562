"""Sign in to the back office through the stub staff directory, the way a member of staff would."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.support.identity import hidden_fields

STUB_DIRECTORY = "http://localhost/stub-directory"
CLERK, ADMIN, DISABLED, NEWCOMER = "ykh-0002", "ykh-0001", "ykh-0003", "ykh-0004"


def to_directory(client, sign_in_path: str = "/staff/sign-in"):
    """Press 「職員ディレクトリでサインイン」 on the sign-in page; return the response."""
    html = client.get(sign_in_path).get_data(as_text=True)
    action = html.split('id="directory-sign-in"', 1)[0].rsplit('<form method="post" action="', 1)
    path = action[1].split('"', 1)[0].replace("&amp;", "&")
    return client.post(path, data={"csrf_token": hidden_fields(html)["csrf_token"]})


def choose(client, authorize_url: str, persona: str, action: str = "sign_in"):
    """Open the stub directory's page, pick `persona`, press `action`; return the response."""
    page = client.get(authorize_url)
    assert page.status_code == 200, page.status_code
    data = {**hidden_fields(page.get_data(as_text=True)), "persona": persona, "action": action}
    return client.post(urlparse(authorize_url).path, data=data)


def callback_url(client, persona: str, sign_in_path: str = "/staff/sign-in") -> str:
    """Go to the directory, sign in as `persona`; return the callback URL it sends back to."""
    started = to_directory(client, sign_in_path)
    assert started.status_code == 302, started.status_code
    back = choose(client, started.location, persona)
    assert back.status_code == 302, back.get_data(as_text=True)[:2000]
    return back.location


def sign_in_through_directory(client, persona: str, sign_in_path: str = "/staff/sign-in"):
    """Sign in through the stub directory as `persona`; return the callback's response."""
    return client.get(callback_url(client, persona, sign_in_path))
