"""Write the audit log: every view, export and change, by whom."""

from flask_login import current_user

from .models import AuditEntry


def record(session, action, referral=None, detail=None):
    """Add an audit entry to the session (committed with the change it records)."""
    session.add(AuditEntry(
        staff_id=current_user.id if current_user.is_authenticated else None,
        action=action,
        referral_id=referral.id if referral is not None else None,
        detail=detail,
    ))
