"""The identity pages' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class ConsentForm(FlaskForm):
    """Ask whether the facts read from the card may fill the procedure's questions."""

    use = RadioField(
        _l("Use these details from your My Number card?"),
        choices=[
            SelectChoice("yes", _l("Yes, use them")),
            SelectChoice("no", _l("No, I will type my details myself")),
        ],
        validators=[InputRequired(_l("Select whether to use the details from your card"))],
    )


class SignInForm(FlaskForm):
    """Start signing in with one adapter."""

    adapter = HiddenField()


class ReturnForm(FlaskForm):
    """A button that comes back to the page it was pressed on (extend, sign out)."""

    next = HiddenField()
