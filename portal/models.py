"""Every table, registered in one place: importing this module gives
SQLAlchemy's metadata (and Alembic) the whole schema."""

from .audit.models import AuditEntry
from .db.base import Base
from .editors.models import PageReport
from .outbox.models import Message
from .referrals.models import Draft, Referral, StatusCheck
from .staff.models import ReferralEvent, StaffUser

__all__ = ["AuditEntry", "Base", "Draft", "Message", "PageReport", "Referral", "ReferralEvent",
           "StaffUser", "StatusCheck"]
