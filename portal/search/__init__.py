"""Full-text search over every page in every language (Whoosh, behind engine.py)."""
