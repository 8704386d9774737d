"""E-mail that must not be lost: written with the referral, delivered after."""
