"""The team's referrals as CSV that a spreadsheet shows as text, never runs."""

import csv
import io

from ..audit.log import record
from .inbox import newest_first

# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = ("reference", "created_at", "status", "team_id", "parent_name", "phone", "phone_e164",
                  "email", "contact_ways", "best_times", "postcode", "address", "children", "help_with",
                  "details", "spoken_language", "interpreter")


def spreadsheet_safe(value):
    """Return text a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, list):
        value = "; ".join(
            ", ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
            for item in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(session, user):
    """Return the CSV of every referral this person may see, audited and
    committed; None for an account that sees no referrals."""
    rows = newest_first(session, user)
    if rows is None:
        return None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(getattr(row, column)) for column in EXPORT_COLUMNS])
    record(session, "export csv", detail=f"{len(rows)} referrals", staff_id=user.id)
    session.commit()
    return out.getvalue()
