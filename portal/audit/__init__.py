"""The audit log: who looked at or changed what, and when."""
