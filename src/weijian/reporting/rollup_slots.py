"""Which rows of a rollup cell a trigger writes (models.ValueRollup, LastRollup, ReportRollup).

A cell (say 人民医院's discharges of 2026年1月) has one row per writer's *slot*. On PostgreSQL
a trigger adds to the rows of its own connection's slot, the backend's process id: two open
transactions never share one, so two saves or submits of sibling units never update the same
row and never wait for each other, however many ancestors they share. Readers add the slots
up; rollups.compact() folds them into slot 0. SQLite has one writer at a time: slot 0."""

from django.db import connection

SETTING = "weijian.rollup_slot"  # tests stand in for another connection with it


def expression() -> str:
    """SQL for the slot of the writing connection."""
    if connection.vendor == "postgresql":
        return f"COALESCE(NULLIF(current_setting('{SETTING}', true), '')::int, pg_backend_pid())"
    return "0"
