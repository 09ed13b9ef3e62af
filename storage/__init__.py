"""Storage: SQLAlchemy 2 models, the database and its migrations, the unit of work."""
