"""Editors: the public "Is something wrong on this page?" reports, and the
editors' corner in the staff area (content problems from the running site)."""
