"""The services as Open Referral UK JSON, for other directories and apps."""
