"""Every kind of personal data we hold: purged after retention, and handed
over whole for a subject-access request."""
