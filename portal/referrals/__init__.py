"""Self-referral: a family's request reaches its locality team, and is never lost."""
