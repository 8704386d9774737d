"""The staff area's forms (English only, like every staff page)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..forms.base import TIDY
from .inbox import LABELS


class LoginForm(FlaskForm):
    email = EmailField("Email address", filters=TIDY, validators=[InputRequired("Enter your email address")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class EmptyForm(FlaskForm):
    """A button that changes something: the CSRF token alone."""


class StatusChangeForm(FlaskForm):
    """A team member records where a referral is."""

    status = SelectField("Status", choices=[(status, LABELS[status]) for status in LABELS
                                            if status != "received"])


class MoveForm(FlaskForm):
    """An administrator gives a referral to another team."""

    team = SelectField("Move to", validators=[InputRequired("Choose a team")])
    reason = TextAreaField("Why (optional; no personal details)", validators=[
        Length(max=500, message="Write 500 characters or fewer")])

    def __init__(self, *args, teams, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = [(team.id, team.name) for team in teams if team.id != referral.team_id]


class NoteForm(FlaskForm):
    text = TextAreaField("Add a note", validators=[
        InputRequired("Write the note"), Length(max=2000, message="Write 2000 characters or fewer")])
