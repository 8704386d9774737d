"""``flask staff add|password|disable``: accounts from the command line."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..audit.log import record_command
from ..content.web import store
from ..db.engine import session_factory
from .accounts import end_sessions
from .models import StaffUser
from .passwords import hash_password

staff_cli = AppGroup("staff", help="Staff accounts for the locality teams' inbox.")


def _read_password():
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@staff_cli.command("add")
@click.argument("email")
@click.option("--locality", "team_id", help="The team id from localities.yml.")
@click.option("--admin", is_flag=True, help="Sees every team's referrals and the editors' corner.")
@click.option("--editor", is_flag=True,
              help="Sees the editors' corner (alone, or with --locality).")
def add(email, team_id, admin, editor):
    """Create a staff account (password from a prompt, or one line on stdin)."""
    if team_id and admin:
        raise click.UsageError("give --locality ID or --admin, not both")
    if not (team_id or admin or editor):
        raise click.UsageError("give --locality ID, --admin or --editor")
    localities = store().snapshot.localities
    if team_id and localities.team(team_id) is None:
        raise click.UsageError(f"{team_id!r} is not a team in localities.yml "
                               f"({', '.join(localities.ids)})")
    try:
        password_hash = hash_password(_read_password())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with session_factory()() as session:
        if session.scalar(select(StaffUser).where(StaffUser.email == email.lower())):
            raise click.UsageError(f"{email} already has an account")
        user = StaffUser(email=email.lower(), password_hash=password_hash,
                         team_id=team_id, is_admin=admin, is_editor=editor)
        session.add(user)
        session.flush()
        roles = ["admin"] * admin + [f"team {team_id}"] * bool(team_id) + ["editor"] * editor
        record_command(session, "account created", detail=f"account {user.id}: {', '.join(roles)}")
        session.commit()
    click.echo(f"account created for {email}")


def _account(session, email):
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.lower()))
    if user is None:
        raise click.UsageError(f"no account for {email}")
    return user


@staff_cli.command("password")
@click.argument("email")
def password(email):
    """Set a new password for an account."""
    with session_factory()() as session:
        user = _account(session, email)
        try:
            user.password_hash = hash_password(_read_password())
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        user.failed_logins, user.locked_until = 0, None
        end_sessions(session, user.id)  # a session opened with the old password ends
        record_command(session, "password changed", detail=f"account {user.id}")
        session.commit()
    click.echo(f"password changed for {email}")


@staff_cli.command("disable")
@click.argument("email")
def disable(email):
    """Stop an account from signing in (its history stays)."""
    with session_factory()() as session:
        user = _account(session, email)
        user.disabled = True
        record_command(session, "account disabled", detail=f"account {user.id}")
        session.commit()
    click.echo(f"account disabled: {email}")
