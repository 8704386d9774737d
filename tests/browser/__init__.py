"""Browser tests: Debian's Chromium, axe, keyboard and reflow checks."""
