"""The stubs' forms: a test card with its PIN, signing with a password, a staff sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.validators import InputRequired, Length, Regexp

from portal.procedure.fields._validation import nfkc


class CardForm(FlaskForm):
    """Pick a test persona's card and enter its 4-digit PIN for the user certificate."""

    persona = RadioField(
        _l("Which test card is on the card reader?"),
        validators=[InputRequired(_l("Select the test card to read"))],
        validate_choice=False,
    )
    pin = PasswordField(
        _l("PIN for the user certificate (4 digits)"),
        filters=[nfkc],
        validators=[
            InputRequired(_l("Enter the card's 4-digit PIN")),
            Regexp(r"^\d{4}$", message=_l("The PIN is 4 digits, like 1234")),
        ],
    )


class SignForm(CardForm):
    """Pick the card and enter the signature certificate's password (6 to 16 characters)."""

    pin = PasswordField(
        _l("Password for the signature certificate (6 to 16 characters)"),
        validators=[
            InputRequired(_l("Enter the signature password")),
            Length(min=6, max=16, message=_l("The signature password is 6 to 16 characters")),
        ],
    )


class DirectoryForm(FlaskForm):
    """Pick the test member of staff to sign in to the stub staff directory as."""

    persona = RadioField(
        _l("Which member of staff are you signing in as?"),
        validators=[InputRequired(_l("Select the member of staff to sign in as"))],
        validate_choice=False,
    )
