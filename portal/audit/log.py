"""Write the audit log: every view, export and change, by whom."""

from flask_login import current_user

from .models import AuditEntry


def record(session, action, referral=None, detail=None, staff_id=None):
    """Add an audit entry to the session (committed with the change it records).
    It is by the signed-in person unless ``staff_id`` says whose account it was."""
    if staff_id is None and current_user.is_authenticated:
        staff_id = current_user.id
    session.add(AuditEntry(
        staff_id=staff_id,
        action=action,
        referral_id=referral.id if referral is not None else None,
        detail=detail,
    ))


def record_command(session, action, referral_id=None, detail=None):
    """Add an audit entry for a command run on the server (no one signed in)."""
    session.add(AuditEntry(action=action, referral_id=referral_id, detail=detail))
