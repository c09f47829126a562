"""The back office's forms; every message names what to fix."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.procedure.fields._validation import length, nfkc, optional, required
from portal.staff.accounts import MIN_PASSWORD_LENGTH
from portal.submissions.status import STATUS_LABELS


class ActionForm(FlaskForm):
    """A form with only a CSRF token: sign out, export."""


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"), validators=[required(_l("Enter your email address"))], filters=[nfkc]
    )
    password = PasswordField(_l("Password"), validators=[required(_l("Enter your password"))])


class FilterForm(FlaskForm):
    """The submissions list filters, read from the query string."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[], validate_choice=True, default="")
    submitted_from = DateField(
        _l("Submitted on or after"),
        validators=[optional()],
        render_kw={"placeholder": "2026-04-01"},
    )
    submitted_to = DateField(
        _l("Submitted on or before"),
        validators=[optional()],
        render_kw={"placeholder": "2026-04-30"},
    )
    q = StringField(_l("Search the answers"), filters=[nfkc])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(value, label) for value, label in STATUS_LABELS.items()
        ]
        for field in (self.submitted_from, self.submitted_to):
            if field.process_errors:
                field.process_errors = [_l("Enter a date like 2026-04-01")]

    def validate_submitted_to(self, field) -> None:
        if field.data and self.submitted_from.data and field.data < self.submitted_from.data:
            raise ValidationError(_l("The end date must be the same as or after the start date"))


class StatusForm(FlaskForm):
    expected_status = HiddenField()
    to_status = RadioField(
        _l("New status"),
        choices=[],
        validate_choice=False,
        validators=[required(_l("Select the new status"))],
    )
    note = TextAreaField(
        _l("Note for the file"), validators=[required(_l("Enter a note about this step"))]
    )
    message_to_applicant = TextAreaField(_l("Message to the applicant"))

    def __init__(self, statuses: tuple[str, ...], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_status.choices = [
            SelectChoice(status, STATUS_LABELS[status]) for status in statuses
        ]

    def validate_to_status(self, field) -> None:
        if field.data not in {choice.value for choice in self.to_status.choices}:
            raise ValidationError(_l("That status cannot follow the current one. Choose another."))

    def validate_message_to_applicant(self, field) -> None:
        if self.to_status.data == "returned" and not (field.data or "").strip():
            raise ValidationError(_l("Enter a message telling the applicant what to correct"))


def _at_most(field, most: int) -> None:
    if len(field.data or "") > most:
        raise ValidationError(
            _l("Enter %(label)s in %(max)d characters or fewer", label=field.label.text, max=most)
        )


class AccountForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            required(_l("Enter the email address")),
            length(_l("Email address"), None, 254),
        ],
        filters=[nfkc],
    )
    # as long as the column holds: longer would fail in PostgreSQL, not be refused here
    display_name = StringField(
        _l("Name"), validators=[required(_l("Enter the name")), length(_l("Name"), None, 100)]
    )
    password = PasswordField(_l("New password"))
    is_admin = BooleanField(_l("Administrator: may see everything and manage staff"))
    active = BooleanField(_l("Account can be used"), default=True)

    def validate_email(self, field) -> None:
        _at_most(field, 254)  # the column's length: longer is no email address anyway

    def validate_display_name(self, field) -> None:
        _at_most(field, 100)

    def validate_password(self, field) -> None:
        if field.data and len(field.data) < MIN_PASSWORD_LENGTH:
            raise ValidationError(
                _l("The password must be at least %(count)d characters", count=MIN_PASSWORD_LENGTH)
            )


class PreviewForm(FlaskForm):
    source = TextAreaField(_l("Procedure file (YAML)"))
    upload = FileField(_l("Or upload a file"))

    def validate_source(self, field) -> None:
        if not (field.data or "").strip() and not self.upload.data:
            raise ValidationError(_l("Paste the procedure file, or choose a file to upload"))


ROLE_CHOICES = [
    SelectChoice("", _l("No access")),
    SelectChoice("viewer", _l("Viewer: may read submissions")),
    SelectChoice("clerk", _l("Clerk: may read, export and change status")),
]


def role_field(label: str) -> SelectField:
    """Return the select for a member's role on one procedure."""
    return SelectField(label, choices=ROLE_CHOICES, default="")


class UsageFilterForm(FlaskForm):
    """The usage dashboard's filters, read from the query string: days and language."""

    class Meta:
        csrf = False

    start = DateField(_l("First day"), validators=[optional()])
    end = DateField(_l("Last day"), validators=[optional()])
    lang = SelectField(_l("Language of the pages"), choices=[], validate_choice=True, default="")

    def __init__(self, languages: list[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [SelectChoice("", _l("Every language"))] + [
            SelectChoice(code, name) for code, name in languages
        ]
        for date_field in (self.start, self.end):
            if date_field.process_errors:
                date_field.process_errors = [_l("Enter a date like 2026-04-01")]

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must be the same as or after the start date"))
