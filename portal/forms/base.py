"""The form base every public form uses."""

from flask import request
from flask_wtf import FlaskForm


def tidy(value):
    """Trim a typed answer; drop NUL characters, which no family types and
    PostgreSQL cannot store."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


TIDY = [tidy]


class PostedForm(FlaskForm):
    """A form read from an ordinary form post only: never from uploaded
    files or a JSON body (Flask-WTF's default), whose values are not text."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is None or hasattr(formdata, "getlist"):
                return formdata
            return request.form if form.is_submitted() else None
