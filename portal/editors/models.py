"""A family's report that something on a page is wrong."""

import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.base import Base, UTCDateTime, utcnow


class PageReport(Base):
    """What a reader said is wrong with one page. No personal data is asked
    for; a phone number, e-mail address or postcode in the free text is
    removed before it is stored (see scrub.py)."""

    __tablename__ = "page_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    lang: Mapped[str] = mapped_column(String(12))  # the language the reader was reading in
    section: Mapped[str] = mapped_column(String(20))
    page_id: Mapped[str] = mapped_column(String(100))
    problem: Mapped[str] = mapped_column(String(20))  # one of report_form.PROBLEMS
    text: Mapped[str | None] = mapped_column(Text)
    dealt_with_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime, index=True)
    dealt_with_by: Mapped[int | None] = mapped_column(Integer)  # a staff user id
