"""Staff accounts, and what happened to each referral."""

import datetime
import enum

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, UTCDateTime, utcnow
from ..db.sealed import Sealed


class StaffUser(UserMixin, Base):
    """A member of a locality team, or an administrator (all teams); either,
    or an account with no team, may also be an editor (the editors' corner)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(40))  # None for administrators
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_editor: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
    # Sessions signed in under an older generation are over (see accounts.py).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self):
        return not self.disabled

    @property
    def sees_referrals(self):
        return self.is_admin or self.team_id is not None

    @property
    def sees_content(self):
        return self.is_admin or self.is_editor


class EventKind(enum.StrEnum):
    """What happened to a referral."""

    NOTE = "note"
    STATUS = "status"
    TEAM = "team"  # moved to another team


class ReferralEvent(Base):
    """A note or a status change on a referral: who, when, what."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(12))  # an EventKind
    text: Mapped[str] = mapped_column(Sealed)  # a note may say anything about the family
