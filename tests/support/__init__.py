"""Helpers shared by the tests and the benchmarks: the shipped content parsed
once per run, a test password hashed once per run, a real gunicorn, and a
family's browser over real HTTP."""
