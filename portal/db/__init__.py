"""The database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL."""
