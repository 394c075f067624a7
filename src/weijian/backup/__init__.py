"""`weijian backup` / `weijian restore`: the database and the uploaded files (media) together in
one archive with a manifest, restored into a fresh or empty database.

- `archive.py` (Django-free): the archive format, writing it and reading it back verified.
- `databases.py`: a consistent dump of the configured database (SQLite's online backup API,
  PostgreSQL's pg_dump) and its restore, row counts, migration state.
- `operations.py`: the two operations the commands run, media included.
"""
