"""`weijian flush` (Django's flush) that leaves the rollup tables empty, as the values are.

SQLite has no TRUNCATE: Django's flush runs one DELETE per table, in the order of a Python
set (so from one process to the next), and every row it deletes from the tables the rollup
triggers watch (data values, submissions, assignments) fires them. A rollup table emptied
before its source gets the source's rows back as negative counts: rows that outlive the
flush, and that the next data, numbered from 1 again (flush resets the sequences), adds up
with. The demo's reset (`weijian demo --reset`, demo.load.reset_all_data) and the tests'
resets between transactional tests both go through this command. After the flush the rollups
are rebuilt from what is left (nothing: a few empty statements). PostgreSQL truncates every
table in one statement and fires no row triggers, and the rebuild finds nothing to do there
either."""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS

from weijian.reporting import rollups
from weijian.reporting.models import DataValue


class Command(DjangoFlush):
    def handle(self, **options) -> None:
        super().handle(**options)
        # The rollups live on the primary (the default database); replicas copy it.
        # A flush answered "no" left the values (and their rollups) as they were.
        if options["database"] == DEFAULT_DB_ALIAS and not DataValue.objects.exists():
            rollups.rebuild()
