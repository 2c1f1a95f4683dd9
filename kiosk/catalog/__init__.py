"""The procedure catalog: model, validation, SQLite store and search index."""
