"""The ``portal`` console script: the Flask CLI with our app."""

from flask.cli import FlaskGroup


def main():
    from . import create_app
    FlaskGroup(create_app=create_app).main()
