"""Security headers for every response."""
