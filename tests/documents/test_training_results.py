"""A training's exam result as the summary prints it: a one-decimal pass rate of a small group
names a whole number of people a reader will work out (98.7 % of 85 is 83.9 — no one), so the
people behind the rate are printed with it."""

from __future__ import annotations

from weijian.documents.narrative import plain
from weijian.documents.work_done import _exam_result


def printed(passed, examined, attend, trainings):
    return plain(tuple(_exam_result(passed, examined, attend, trainings, "台账 TRAIN")))


def test_a_small_group_all_examined_prints_who_passed_with_the_rate():
    # one training of 85, all examined, 83 passed: 83 / 85 = 97.647 % → 97.6 %
    assert printed(83, 85, 85, 1) == "，考核合格83人，合格率97.6%"


def test_a_small_group_partly_examined_prints_both_counts():
    # 85 attended, 77 sat the exam, 76 passed: 76 / 77 = 98.701 % → 98.7 %, and 98.7 % of 77
    # is 76.0 — the rate's base is the 77 examined, not the 85 who attended
    assert printed(76, 77, 85, 1) == "，考核77人，合格76人，合格率98.7%"


def test_several_trainings_count_person_times():
    # 12 trainings, 240 attendances, all examined, 234 passed: 234 / 240 = 97.5 %
    assert printed(234, 240, 240, 12) == "，考核合格234人次，合格率97.5%"


def test_a_large_group_prints_the_rate_alone():
    # 6218 examined, 6056 passed: 6056 / 6218 = 97.39 % → 97.4 %; at one decimal a rate of
    # 1000 or more people no longer pins one count
    assert printed(6056, 6218, 6218, 234) == "，考核合格率97.4%"
