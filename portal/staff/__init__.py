"""The locality teams' inbox: each team sees and works its own referrals."""
