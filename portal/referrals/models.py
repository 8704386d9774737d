"""What a family sends us, as stored."""

import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.base import Base, UTCDateTime, utcnow
from ..db.sealed import Sealed

# What a family sees on the status page, in order.
STATUSES = ("received", "with_team", "contacted", "closed")


class Referral(Base):
    """One family's request for help."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    team_id: Mapped[str] = mapped_column(String(40), index=True)
    outside_area: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(12))  # the site language the form was in
    # The family's answers (personal data: never logged, never e-mailed, and
    # encrypted at rest when PORTAL_DATA_KEYS is set).
    parent_name: Mapped[str] = mapped_column(Sealed)
    phone: Mapped[str | None] = mapped_column(Sealed)  # as the family typed it
    phone_e164: Mapped[str | None] = mapped_column(Sealed)  # +447700900982: for the team to dial
    email: Mapped[str | None] = mapped_column(Sealed)
    contact_ways: Mapped[list] = mapped_column(Sealed)  # phone, text, email, message, letter
    best_times: Mapped[list] = mapped_column(Sealed)
    postcode: Mapped[str] = mapped_column(Sealed)
    address: Mapped[str | None] = mapped_column(Sealed)
    children: Mapped[list] = mapped_column(Sealed)  # [{first_name, born, date}]
    help_with: Mapped[list] = mapped_column(Sealed)
    details: Mapped[str | None] = mapped_column(Sealed)
    spoken_language: Mapped[str | None] = mapped_column(Sealed)
    interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    consent: Mapped[bool] = mapped_column(Boolean)

    messages = relationship("Message", back_populates="referral", cascade="all, delete-orphan")


class Draft(Base):
    """Answers between the form and "check your answers"; deleted when sent,
    when the family exits or deletes them, and once idle too long (drafts.py)."""

    __tablename__ = "referral_drafts"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    # When the family last saved or read it. The column kept its first name
    # (created_at) so no migration was needed to start the idle clock.
    touched_at: Mapped[datetime.datetime] = mapped_column(
        "created_at", UTCDateTime, default=utcnow, index=True)
    answers: Mapped[dict] = mapped_column(Sealed)


class StatusCheck(Base):
    """A wrong status lookup, counted per reference to stop guessing."""

    __tablename__ = "referral_status_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), index=True)
    at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)


from ..outbox.models import Message  # noqa: E402,F401  (the relationship's target)
