"""Checks other apps add to submission, without reporting importing them (layers go upward).

The indicators app registers its validation rules here at start-up; `actions.submit` runs
every registered check and refuses the submission when any returns a blocking problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    message: str
    blocking: bool


# (form, org_unit, period) → results
SubmitCheck = Callable[[object, object, object], list[CheckResult]]
SUBMIT_CHECKS: list[SubmitCheck] = []


def register_submit_check(check: SubmitCheck) -> SubmitCheck:
    if check not in SUBMIT_CHECKS:
        SUBMIT_CHECKS.append(check)
    return check


def run_submit_checks(form, org_unit, period) -> list[CheckResult]:
    return [result for check in SUBMIT_CHECKS for result in check(form, org_unit, period)]
