"""First come, first served: seats, the waitlist, refusals, cancellation and promotion."""

from __future__ import annotations

from sqlalchemy import select

from portal.events.models import Allocation, SeatCounter
from portal.extensions import db
from portal.models import OutboxMessage, Submission
from tests.events.conftest import apply, prepare, reference_of, submit


def states(app) -> dict[str, tuple[str, int | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(Submission.email, Allocation.state, Allocation.queue_position).join(
                Allocation, Allocation.submission_id == Submission.id
            )
        ).all()
        return {email: (state, position) for email, state, position in rows}


def counter(app) -> tuple[int, int]:
    with app.app_context():
        row = db.session.get(SeatCounter, "workshop")
        return row.seats_taken, row.waitlist_taken


def test_seats_then_waitlist_then_full(app):
    client = app.test_client()
    assert "3" in client.get("/").get_data(as_text=True).split("テスト講座", 1)[1][:400]
    for email in ("a@example.jp", "b@example.jp", "c@example.jp"):
        assert reference_of(client, apply(client, "workshop", email))
    late = app.test_client()
    late_token = prepare(late, "workshop", "f@example.jp")
    start_page = client.get("/procedures/workshop").get_data(as_text=True)
    assert "tag--orange" in start_page
    reference_of(client, apply(client, "workshop", "d@example.jp"))
    reference_of(client, apply(client, "workshop", "e@example.jp"))
    refused = submit(late, "workshop", late_token)
    assert refused.status_code == 200 and "notice--warning" in refused.get_data(as_text=True)
    assert 'action="/procedures/workshop/start"' not in client.get("/procedures/workshop").get_data(
        as_text=True
    )
    assert states(app) == {
        "a@example.jp": ("confirmed", None),
        "b@example.jp": ("confirmed", None),
        "c@example.jp": ("confirmed", None),
        "d@example.jp": ("waitlisted", 1),
        "e@example.jp": ("waitlisted", 2),
    }
    assert counter(app) == (3, 2)
    assert "tag--red" in client.get("/").get_data(as_text=True)


def test_resident_is_offered_the_waitlist_with_a_position_before_submitting(app):
    client = app.test_client()
    reference_of(client, apply(client, "workshop", "a@example.jp", party=3))
    declined = apply(client, "workshop", "b@example.jp", accept_waitlist=False)
    html = declined.get_data(as_text=True)
    assert declined.status_code == 200 and 'name="accept_waitlist" value="1"' in html
    assert states(app) == {"a@example.jp": ("confirmed", None)}


def test_one_application_per_email(app):
    client = app.test_client()
    reference_of(client, apply(client, "workshop", "a@example.jp"))
    again = apply(client, "workshop", "A@Example.jp")
    assert again.status_code == 200 and "notice--warning" in again.get_data(as_text=True)
    assert counter(app) == (1, 0)


def test_cancelling_gives_the_seat_to_the_first_waiting_party_that_fits(app):
    client = app.test_client()
    first = reference_of(client, apply(client, "workshop", "a@example.jp", party=1))
    reference_of(client, apply(client, "workshop", "b@example.jp", party=2))
    reference_of(client, apply(client, "workshop", "big@example.jp", party=2))  # waits first
    assert states(app)["big@example.jp"] == ("waitlisted", 1)
    token = client.csrf_token("/cancel")
    response = client.post(
        "/cancel", data={"csrf_token": token, "reference_number": first, "email": "a@example.jp"}
    )
    assert response.location.endswith("/cancel/confirm")
    assert client.post("/cancel/confirm", data={"csrf_token": token}).location.endswith(
        "/cancel/done"
    )
    # One seat freed: the waiting party of two does not fit, so nobody is promoted yet.
    assert states(app)["big@example.jp"] == ("waitlisted", 1)
    assert counter(app) == (2, 2)


def test_promotion_is_notified_and_the_seat_counted_once(app):
    client = app.test_client()
    first = reference_of(client, apply(client, "workshop", "a@example.jp", party=2))
    reference_of(client, apply(client, "workshop", "b@example.jp", party=1))
    reference_of(client, apply(client, "workshop", "w1@example.jp", party=2))
    token = client.csrf_token("/cancel")
    client.post(
        "/cancel", data={"csrf_token": token, "reference_number": first, "email": "a@example.jp"}
    )
    client.post("/cancel/confirm", data={"csrf_token": token})
    assert states(app)["w1@example.jp"] == ("confirmed", 1)
    assert states(app)["a@example.jp"][0] == "cancelled"
    assert counter(app) == (3, 0)
    with app.app_context():
        subjects = db.session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.recipient == "w1@example.jp")
        ).all()
    assert len(subjects) == 2  # the waitlist confirmation, then the promotion


def test_cancel_link_from_the_email_opens_the_confirmation(app):
    client = app.test_client()
    reference_of(client, apply(client, "workshop", "a@example.jp"))
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body)).one()
    link = next(line for line in body.splitlines() if "/cancel/link/" in line)
    other = app.test_client()  # a different browser: the link alone is enough
    assert other.get(link.strip()).location.endswith("/cancel/confirm")
    assert other.get("/cancel/link/forged-token").status_code == 404


def test_cancelling_twice_frees_the_seat_once(app):
    client = app.test_client()
    first = reference_of(client, apply(client, "workshop", "a@example.jp"))
    token = client.csrf_token("/cancel")
    client.post(
        "/cancel", data={"csrf_token": token, "reference_number": first, "email": "a@example.jp"}
    )
    client.post("/cancel/confirm", data={"csrf_token": token})
    again = client.post(
        "/cancel", data={"csrf_token": token, "reference_number": first, "email": "a@example.jp"}
    )
    assert again.status_code == 200 and 'class="error-summary"' in again.get_data(as_text=True)
    assert counter(app) == (0, 0)


def test_a_party_larger_than_the_seats_left_is_told_so_not_that_the_event_is_full(app):
    client = app.test_client()
    reference_of(client, apply(client, "workshop", "a@example.jp", party=2))
    late = app.test_client()
    token = prepare(late, "workshop", "b@example.jp", party=3)  # 1 seat, 2 waiting places left
    html = late.get("/procedures/workshop/check?lang=en").get_data(as_text=True)
    assert "Only 1 seat is left: fewer than the number of people" in html
    assert "This event is full" not in html
    assert submit(late, "workshop", token).status_code == 200
    assert states(app) == {"a@example.jp": ("confirmed", None)}


def test_the_status_lookup_tells_a_waiting_resident_their_place(app):
    client = app.test_client()
    for email in ("a@example.jp", "b@example.jp", "c@example.jp", "d@example.jp"):
        reference_of(client, apply(client, "workshop", email))
    waiting = reference_of(client, apply(client, "workshop", "e@example.jp"))
    token = client.csrf_token("/status")
    found = client.post(
        "/status", data={"csrf_token": token, "reference_number": waiting, "email": "e@example.jp"}
    )
    html = client.get(f"{found.location}?lang=en").get_data(as_text=True)
    assert "You are number 2 on the waiting list" in html
