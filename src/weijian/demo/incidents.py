"""The incidents a real district has, planted in the demo's figures so that summaries have
serious problems to rank (Django-free): a maternal death at a township centre in the September
of the year before the demo's last, and a cluster of Ⅰ类切口 surgical-site infections in the
people's hospital's surgery in April and May of the last year.

Each incident is (unit, years before the last demo month's year, calendar month, changes),
a change adding to a figure; related figures move with it so every consistency check holds
(an infection is also a new case and an episode of hospital infection)."""

from __future__ import annotations

from weijian import periods

from .figures import DEFAULT, Figures

INCIDENTS = [
    ("HXZ", 1, 9, {"MCH_MATERNAL_DEATHS": 1}),
    ("RMYY_WK", 0, 4, {"SSI_I_INFECTIONS": 3, "HAI_NEW_CASES": 3, "HAI_NEW_EPISODES": 3}),
    ("RMYY_WK", 0, 5, {"SSI_I_INFECTIONS": 4, "HAI_NEW_CASES": 4, "HAI_NEW_EPISODES": 4}),
]


def planted(unit: str, period: periods.Period, last: periods.Period) -> dict[str, int]:
    """What the incidents add to the unit's figures of `period`."""
    found: dict[str, int] = {}
    for code, years_before, month, changes in INCIDENTS:
        if code == unit and period.start.month == month and period.start.year == last.start.year - years_before:  # fmt: skip
            for element, delta in changes.items():
                found[element] = found.get(element, 0) + delta
    return found


def apply(figs: Figures, changes: dict[str, int]) -> Figures:
    """The figures with the incident's changes (only figures the unit reports)."""
    out = dict(figs)
    for element, delta in changes.items():
        key = (element, DEFAULT)
        if key in out:
            out[key] = out[key] + delta
    return out
