"""Failed staff sign-ins: an increasing wait before the next try, never a lock.

Failures count per (account, address) and per address over all accounts. A stranger who knows
a member's email address only makes their own address wait; the member, elsewhere, signs in.
Each failure beyond a few free ones doubles the wait, up to a ceiling; the portal answers at
once with when to try again (it never holds a worker asleep).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.staff.models import SignInFailure

#: the longest email address there can be (RFC 5321), the length of the column
EMAIL_LENGTH = SignInFailure.__table__.c.email.type.length


@dataclass(frozen=True)
class Backoff:
    """How long to wait after `free` failures and each one after: doubling, up to `longest`."""

    free: int
    first: timedelta
    longest: timedelta
    #: failures older than this are forgotten
    memory: timedelta

    def wait_after(self, failures: int) -> timedelta:
        """Return the wait owed after `failures` recent failures."""
        if failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 32)  # 2**32 s is far past any ceiling
        return min(self.longest, self.first * 2**doublings)


# A member who mistypes gets three free tries, then 1 s, 2 s, 4 s … 15 min. A success forgets
# their failures from that address, so a long memory only costs someone who keeps guessing.
PER_ACCOUNT_AND_ADDRESS = Backoff(
    free=3, first=timedelta(seconds=1), longest=timedelta(minutes=15), memory=timedelta(hours=24)
)
# Looser, and forgetting within the hour: many members may share one office address.
PER_ADDRESS = Backoff(
    free=20, first=timedelta(seconds=1), longest=timedelta(minutes=15), memory=timedelta(hours=1)
)
KEPT = max(PER_ACCOUNT_AND_ADDRESS.memory, PER_ADDRESS.memory)


def _owed(session: Session, backoff: Backoff, now: datetime, *conditions) -> timedelta:
    count, latest = session.execute(
        select(func.count(), func.max(SignInFailure.failed_at)).where(
            *conditions, SignInFailure.failed_at > now - backoff.memory
        )
    ).one()
    if not count:
        return timedelta(0)
    return max(timedelta(0), latest + backoff.wait_after(count) - now)


def address_wait(session: Session, ip_address: str, now: datetime) -> timedelta:
    """Return how long this address must wait before any sign-in is tried from it."""
    return _owed(session, PER_ADDRESS, now, SignInFailure.ip_address == ip_address)


def _account(email: str) -> str:
    """Return the name failures are counted under: what was typed, cut to the longest email
    address there can be (the column's length; anything longer is no one's address)."""
    return email[:EMAIL_LENGTH]


def wait_before_sign_in(session: Session, email: str, ip_address: str, now: datetime) -> timedelta:
    """Return how long this account must wait before a sign-in from this address is tried."""
    here = _owed(
        session,
        PER_ACCOUNT_AND_ADDRESS,
        now,
        SignInFailure.email == _account(email),
        SignInFailure.ip_address == ip_address,
    )
    return max(here, address_wait(session, ip_address, now))


def record_failure(session: Session, *, email: str, ip_address: str, now: datetime) -> None:
    """Count one failed sign-in against the account (or a stand-in name) and the address."""
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - KEPT))
    session.add(SignInFailure(email=_account(email), ip_address=ip_address, failed_at=now))


def forget_failures(session: Session, email: str, ip_address: str) -> None:
    """Forget the account's failures from this address (others' guesses elsewhere still count)."""
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.email == _account(email), SignInFailure.ip_address == ip_address
        )
    )
