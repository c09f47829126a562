"""Staff accounts: create, grant, verify passwords or a directory identity, slow guessing down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.staff.models import ProcedureGrant, StaffMember
from portal.staff.permissions import ROLES, Permissions, Role
from portal.staff.sessions import close_sessions_of
from portal.staff.throttle import forget_failures, record_failure, wait_before_sign_in

#: what a failed staff-directory sign-in of nobody known is counted under (never an address)
DIRECTORY_FAILURE = "(staff directory)"
MIN_PASSWORD_LENGTH = 12
# werkzeug's default (scrypt); tests switch to a cheap method to stay fast.
PASSWORD_METHOD = "scrypt"


class AccountError(ValueError):
    """A request to create or change an account that cannot be carried out."""


@dataclass(frozen=True)
class SignInResult:
    member: StaffMember | None
    #: how long to wait before the next try is looked at (nothing was checked this time)
    wait: timedelta = timedelta(0)

    @property
    def throttled(self) -> bool:
        return self.wait > timedelta(0)


@dataclass(frozen=True)
class DirectorySignIn:
    """Who the directory's subject is here, and why they may not sign in, if they may not."""

    member: StaffMember | None
    #: None, "unknown_subject" or "account_disabled"
    refusal: str | None = None


def normalise_email(email: str) -> str:
    """Return the email address as accounts are keyed: trimmed, lower case."""
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> StaffMember | None:
    """Return the account with this email address, if any."""
    return session.scalar(select(StaffMember).where(StaffMember.email == normalise_email(email)))


def add_member(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str | None,
    is_admin: bool,
    now: datetime,
    keep_session: str | None = None,
) -> StaffMember:
    """Create an account, or update the name, password and admin flag of an existing one.

    A new password ends every session of the member but `keep_session` (the one changing it).
    """
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    member = find_by_email(session, email)
    if member is None:
        member = StaffMember(
            email=normalise_email(email),
            display_name=display_name or email,
            is_admin=is_admin,
            active=True,
            created_at=now,
        )
        session.add(member)
    else:
        member.display_name = display_name or member.display_name
        member.is_admin = is_admin or member.is_admin
    if password is not None:
        member.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        session.flush()
        close_sessions_of(session, member, keep=keep_session)
    session.flush()
    return member


def switch_off(session: Session, member: StaffMember) -> None:
    """Stop `member` from signing in, and end every session they have."""
    member.active = False
    session.flush()
    close_sessions_of(session, member)


def find_by_directory_identity(session: Session, issuer: str, subject: str) -> StaffMember | None:
    """Return the account linked to this subject at this directory, if any."""
    return session.scalar(
        select(StaffMember).where(
            StaffMember.oidc_issuer == issuer, StaffMember.oidc_subject == subject
        )
    )


def link_directory(
    session: Session, member: StaffMember, issuer: str | None, subject: str | None
) -> None:
    """Let `member` sign in as `subject` of the directory `issuer` (None, None: unlink)."""
    if (issuer is None) != (subject is None) or (subject is not None and not subject.strip()):
        raise AccountError("give both the directory's issuer and the subject, or neither")
    if issuer is not None and subject is not None:
        taken = find_by_directory_identity(session, issuer, subject)
        if taken is not None and taken is not member:
            raise AccountError(f"that directory subject is already linked to {taken.email}")
    member.oidc_issuer, member.oidc_subject = issuer, subject
    session.flush()


def grant(session: Session, member: StaffMember, procedure_id: str, role: Role) -> ProcedureGrant:
    """Give `member` the `role` on `procedure_id`, replacing any role they had on it."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    existing = session.scalar(
        select(ProcedureGrant).where(
            ProcedureGrant.staff_id == member.id, ProcedureGrant.procedure_id == procedure_id
        )
    )
    if existing is None:
        existing = ProcedureGrant(staff_id=member.id, procedure_id=procedure_id, role=role)
        session.add(existing)
    existing.role = role
    session.flush()
    return existing


def revoke(session: Session, member: StaffMember, procedure_id: str) -> None:
    """Take away whatever role `member` had on `procedure_id`."""
    session.execute(
        delete(ProcedureGrant).where(
            ProcedureGrant.staff_id == member.id, ProcedureGrant.procedure_id == procedure_id
        )
    )


def grants_of(session: Session, member: StaffMember) -> dict[str, Role]:
    """Return procedure id → role for `member`."""
    rows = session.execute(
        select(ProcedureGrant.procedure_id, ProcedureGrant.role).where(
            ProcedureGrant.staff_id == member.id
        )
    )
    return {procedure_id: role for procedure_id, role in rows}


Access = tuple[bool, dict[str, Role]]


def access_of(session: Session, member: StaffMember) -> Access:
    """Return what `member` may do: administrator or not, and their role on each procedure."""
    return member.is_admin, grants_of(session, member)


def end_sessions_if_access_changed(
    session: Session, member: StaffMember, before: Access, keep: str | None = None
) -> None:
    """End `member`'s sessions (but `keep`) when what they may do is no longer `before`:
    their other browsers sign in again and get the new rights."""
    if access_of(session, member) != before:
        close_sessions_of(session, member, keep=keep)


def permissions_of(session: Session, member: StaffMember) -> Permissions:
    """Return what `member` may do."""
    return Permissions(is_admin=member.is_admin, roles=grants_of(session, member))


def directory_sign_in(
    session: Session, *, issuer: str, subject: str, ip_address: str, now: datetime
) -> DirectorySignIn:
    """Find who the directory vouched for; count a refusal as a failed sign-in."""
    member = find_by_directory_identity(session, issuer, subject)
    if member is None or not member.active:
        record_failure(
            session,
            email=member.email if member else DIRECTORY_FAILURE,
            ip_address=ip_address,
            now=now,
        )
        return DirectorySignIn(member, "account_disabled" if member else "unknown_subject")
    forget_failures(session, member.email, ip_address)
    member.last_sign_in_at = now
    return DirectorySignIn(member)


def sign_in(
    session: Session, *, email: str, password: str, ip_address: str, now: datetime
) -> SignInResult:
    """Check a password sign-in; count failures so that each guess waits longer."""
    email = normalise_email(email)
    wait = wait_before_sign_in(session, email, ip_address, now)
    if wait:
        return SignInResult(None, wait=wait)
    member = find_by_email(session, email)
    stored = member.password_hash if member and member.active and member.password_hash else None
    # Without an account a throwaway hash is still checked, so both cases take as long.
    reference = stored or generate_password_hash("not a real password", method=PASSWORD_METHOD)
    correct = check_password_hash(reference, password) and stored is not None
    if not correct:
        record_failure(session, email=email, ip_address=ip_address, now=now)
        return SignInResult(None)
    forget_failures(session, email, ip_address)
    member.last_sign_in_at = now
    return SignInResult(member)
