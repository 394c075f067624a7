"""The campaigns of study and the plans the three hospitals and the bureau logged (ledger types
STUDY and PLANNING), as a district's party offices ran them in 2025 and 2026, so the summaries'
party work tells the year's political work from records (documents/party_study.py).

The campaigns are the real ones of those years, on their real calendar: 深入贯彻中央八项规定
精神学习教育 (中共中央办公厅's notice of March 2025; from the 全国两会 to the end of July 2025:
读书班, 专题党课, 警示教育, 查摆问题和整改), the study of the 二十届四中全会 (20–23 October 2025,
which adopted the proposals for the 十五五 规划) from the end of October, its continued study in
the first half of 2026 and the study of the 2026 全国两会. Each unit drafts its 十五五 plan: the
work starts in the fourth quarter of 2025 with the review of the 十四五, a draft goes out for
comments in December, the committee adopts it and the unit issues it in the spring of 2026.
The unit's own 实施方案 and plans carry the unit's 文号 (the series demo/areas.py uses for its
party documents). Counts are a county unit's: a larger hospital holds more 读书班 and finds
more problems; every problem found in 2025 was put right by the end of the campaign."""

from __future__ import annotations

import datetime as dt

DOC = {"RMYY": "区医院党发", "ZYY": "区中医院党发", "FYBJY": "区妇幼党发", "BUREAU": "示卫党发"}
PLAN_DOC = {"RMYY": "区医院发", "ZYY": "区中医院发", "FYBJY": "区妇幼发", "BUREAU": "示卫发"}
PLAN_TITLE = {
    "RMYY": "示范区人民医院“十五五”发展规划",
    "ZYY": "示范区中医医院“十五五”发展规划",
    "FYBJY": "示范区妇幼保健院“十五五”发展规划",
    "BUREAU": "示范区卫生健康事业发展“十五五”规划",
}
COMMITTEE = {"RMYY": "院党委会", "ZYY": "院党总支委员会", "FYBJY": "院党支部委员会", "BUREAU": "局党组会"}  # fmt: skip
# The 八项规定 campaign per unit: (读书班, 专题党课, 警示教育, 专题研讨, 查摆问题) — all put right
EIGHT_RULES = {
    "RMYY": (2, 3, 2, 4, 18),
    "ZYY": (1, 2, 1, 2, 9),
    "FYBJY": (1, 2, 1, 2, 7),
    "BUREAU": (2, 2, 2, 3, 12),
}
# The 四中全会 study (October–December 2025): (读书班, 专题党课/宣讲, 专题研讨)
PLENUM = {"RMYY": (1, 2, 2), "ZYY": (0, 1, 1), "FYBJY": (0, 1, 1), "BUREAU": (1, 2, 2)}
SHIFT = {"RMYY": 0, "ZYY": 1, "FYBJY": 2, "BUREAU": 0}  # the units do not all act on one day


def study_records(code: str, add) -> None:
    """The unit's STUDY and PLANNING records of 2025 and 2026 through `add(code, start, end,
    title, **values)` (the caller keeps those before the demo's today)."""
    shift = SHIFT[code]

    def on(year: int, month: int, day: int) -> dt.date:
        return dt.date(year, month, day + shift)

    classes, lectures, warnings, seminars, issues = EIGHT_RULES[code]
    add("STUDY", on(2025, 3, 17), dt.date(2025, 7, 31), "深入贯彻中央八项规定精神学习教育",
        KIND="专题学习教育", DOCNO=f"{DOC[code]}〔2025〕2号", CLASSES=classes, LECTURES=lectures,
        WARNINGS=warnings, SEMINARS=seminars, ISSUES=issues, FIXED=issues)  # fmt: skip
    classes, lectures, seminars = PLENUM[code]
    add("STUDY", on(2025, 10, 28), dt.date(2025, 12, 31), "学习贯彻党的二十届四中全会精神",
        KIND="学习贯彻会议精神", CLASSES=classes, LECTURES=lectures, SEMINARS=seminars)  # fmt: skip
    add("STUDY", on(2026, 1, 20), dt.date(2026, 6, 30), "持续深入学习贯彻党的二十届四中全会精神",
        KIND="学习贯彻会议精神", LECTURES=1, SEMINARS=2 if code in ("RMYY", "BUREAU") else 1)  # fmt: skip
    add("STUDY", on(2026, 3, 16), dt.date(2026, 3, 31), "学习贯彻全国两会精神",
        KIND="学习贯彻会议精神", SEMINARS=1)  # fmt: skip
    title = PLAN_TITLE[code]
    add("PLANNING", on(2025, 10, 15), None, title, KIND="发展规划", STAGE="启动编制",
        NOTE="总结评估“十四五”规划实施情况，开展专题调研")  # fmt: skip
    add("PLANNING", on(2025, 12, 17), None, title, KIND="发展规划", STAGE="征求意见")
    add("PLANNING", on(2026, 3, 24), None, title, KIND="发展规划", STAGE="审议通过",
        BODY=COMMITTEE[code])  # fmt: skip
    add("PLANNING", on(2026, 4, 14), None, title, KIND="发展规划", STAGE="印发实施",
        DOCNO=f"{PLAN_DOC[code]}〔2026〕9号")  # fmt: skip
