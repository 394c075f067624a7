"""A plan's 主要任务 as an office writes them (issue 11 item 8, the director reads of 2026-12-08
on the 2027 plans, 4/10): not a 1:1 numbered list of problems but a few themed parts with
一是…二是… items (plan_themes.py); a development agenda from the year's records only
(plan_agenda.py); the health days as one counted sentence (health_days.py); the checker's
plan-template-repeat for the same office-and-date frame on every item."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from importlib import resources

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType

from tests.documents.test_checker import doc, rules
from weijian.demo.load import load_demo, reset_all_data
from weijian.documents import actions
from weijian.documents.checker import Knowledge
from weijian.documents.health_days import HEALTH_DAYS, year_health_days
from weijian.documents.model import Paragraph, Section, Table
from weijian.documents.narrative import plain
from weijian.documents.plan_themes import THEMES, theme_of, themed_sections
from weijian.documents.tasks import Task
from weijian.ledger.models import Activity
from weijian.orgs.models import OrgUnit, OrgUnitType

TODAY = dt.date(2026, 11, 23)


def _theme(title_word: str) -> int:
    return next(i for i, t in enumerate(THEMES) if title_word in t["title"])


# -- grouping (pure) --------------------------------------------------------------------------


def test_a_task_goes_to_its_theme_by_its_code_then_by_its_kind():
    quality, service = _theme("医疗质量安全"), _theme("就医体验")
    staff, other = _theme("职工"), len(THEMES) - 1
    assert theme_of(Task(("…",), dx="HAI_SSI_I_RATE", kind="surge")) == quality
    assert theme_of(Task(("…",), dx="SVY_OUTPAT_RATE", kind="trend")) == service
    # the longest prefix wins: staff satisfaction is not the patients' (SVY_ is shorter)
    assert theme_of(Task(("…",), dx="SVY_STAFF_RATE", kind="staff")) == staff
    # no code a theme names: by the measure's kind (a hazard the inspector found), else the last
    assert theme_of(Task(("…",), dx="XYZ_NEW", kind="hazards")) == quality
    assert theme_of(Task(("…",), dx="", kind="")) == other


def test_themes_follow_their_most_serious_task_and_number_their_items():
    # tasks come most serious first: the service theme's task ranks first, so it leads; a
    # theme of one item says it without 一是 (a lone "一是" reads as a list cut short)
    death = Task(("对住院患者死亡增加的情况逐例开展原因分析。",), "医务科", "2027年1月底前", kind="safety")  # fmt: skip
    visits = Task(("围绕门急诊全年目标，按月分析完成进度。",), "医务科", "每月")
    hygiene = Task(("对照手卫生依从率目标，每季度分析进展。",), "医院感染管理科", "每季度")
    recheck = Task(("针对检查中得分低于合格线的问题逐项整改。",), "质控科", "2027年3月底前", kind="inspection")  # fmt: skip
    sections = themed_sections([(1, visits), (0, death), (0, hygiene), (0, recheck)])
    # (the service theme holds no agenda item here: its title claims no 学科建设)
    assert [s.title for s in sections] == [THEMES[1]["plain_title"], THEMES[0]["title"]]
    lone, two = ([plain(b.text) for b in s.blocks] for s in sections)
    assert lone == ["医务科围绕门急诊全年目标，按月分析完成进度。"]
    assert two[0].startswith("一是医务科于2027年1月底前对住院患者死亡") and two[1].startswith("二是医院感染管理科对照")  # fmt: skip
    # a live safety signal says its date first; other dated work at its end (not every item
    # opening "X于…前": plan-template-repeat)
    assert two[2] == "三是质控科针对检查中得分低于合格线的问题逐项整改，2027年3月底前完成。"


# -- health days (pure) -----------------------------------------------------------------------


def test_a_plans_health_days_are_one_sentence_that_counts_them():
    # a hospital marks 18 of the calendar's days (hand count of health_days.yaml `for:
    # hospital`: 爱耳, 结核, 卫生日, 爱国卫生月, 肿瘤周, 手卫生, 无烟, 爱眼, 献血者, 肝炎, 生活方式,
    # 爱牙, 阿尔茨海默, 高血压, 精神卫生, 糖尿病, 慢阻肺, 艾滋病 = 18)
    said = plain(year_health_days(OrgUnitType.HOSPITAL))
    assert said == "结合全国高血压日、联合国糖尿病日等18个健康主题日，精心组织开展主题宣传和健康教育活动。"  # fmt: skip
    # the days named are those the unit's own figures carry: hand hygiene's day for a hospital
    # with a hand-hygiene target, then the first of `named_first`
    own = plain(year_health_days(OrgUnitType.HOSPITAL, ["HAI_HAND_HYGIENE", "STAT_OPD"]))
    assert own.startswith("结合世界手卫生日、全国高血压日等18个")
    # a township marks 16 (结核, 卫生日, 爱国卫生月, 肿瘤周, 接种, 碘缺乏, 营养周, 无烟, 母乳喂养周,
    # 生活方式, 爱牙, 阿尔茨海默, 高血压, 精神卫生, 糖尿病, 艾滋病); no quarter-by-quarter calendar
    township = plain(year_health_days(OrgUnitType.TOWNSHIP, ["PHS_POSTPARTUM_VISIT_RATE"]))
    assert township.startswith("结合世界母乳喂养周、全国高血压日等16个") and "季度" not in township
    assert year_health_days(OrgUnitType.DEPARTMENT) == ()
    # the count is a figure with its source, not a bare number in the text
    figure = next(s for s in year_health_days(OrgUnitType.HOSPITAL) if not isinstance(s, str))
    assert figure.text == "18个" and "health_days.yaml" in figure.source["query"]


def test_a_short_list_of_health_days_is_named_in_full(monkeypatch):
    # a count of up to eight names every day (the checker's count-list: "等3个" naming two reads
    # as a list cut short); three days for a hospital: all named, no count
    from weijian.documents import health_days

    three = [{"name": n, "month": m, "for": ["hospital"]} for n, m in (("甲日", 3), ("乙日", 6), ("丙日", 9))]  # fmt: skip
    monkeypatch.setattr(health_days, "HEALTH_DAYS", three)
    said = plain(health_days.year_health_days(OrgUnitType.HOSPITAL))
    assert said == "结合甲日、乙日、丙日，精心组织开展主题宣传和健康教育活动。"


def test_the_ledgers_health_days_are_in_the_plans_calendar_in_the_same_month():
    # two lists by design (the ledger's matches records by day and keyword; the plan's says
    # which kinds of unit mark a day): the ledger's health-education days must be the plan's
    ledger = yaml.safe_load((resources.files("weijian.ledger") / "data" / "types.yaml").read_text("utf-8"))  # fmt: skip
    calendar = {d["name"]: d["month"] for d in HEALTH_DAYS}
    for day in ledger["campaigns"]:
        if day["type"] == "HE":
            assert calendar.get(day["name"]) == day["month"], day


# -- the checker ------------------------------------------------------------------------------

FRAMED = [
    "医院感染管理科于2027年1月底前对Ⅰ类切口感染率成倍上升开展专项调查，推动其尽快回落。",
    "由医务科牵头，护理部配合，于2027年1月底前对住院患者死亡增加的情况逐例开展原因分析。",
    "质控科于2027年3月底前针对检查中得分低于合格线的问题，逐项制定整改措施。",
    "由行风办牵头，医务科配合，于2027年6月底前优化门诊预约、缴费和取药流程。",
]


def test_the_same_office_and_date_frame_on_every_item_is_found():
    # the 2027 plan read on 2026-12-08: four of eleven items opened "X于…前" / "由X牵头，于…前"
    numbered = Section("主要任务", [Paragraph((f"{i}．{w}",)) for i, w in enumerate(FRAMED, 1)])
    knowledge = Knowledge(date=dt.date(2026, 12, 8))
    assert "plan-template-repeat" in rules(doc(numbered, period="2026", kind="plan"), knowledge)
    # three framed items (the ones that carry a date) are what a plan writes
    three = Section("主要任务", [Paragraph((f"{i}．{w}",)) for i, w in enumerate(FRAMED[:3], 1)])
    assert "plan-template-repeat" not in rules(doc(three, period="2026", kind="plan"), knowledge)
    # the frame counts inside themed parts too (一是…)
    themed = Section("主要任务", [Section("质量安全", [Paragraph((f"{'一二三四'[i]}是{w}",)) for i, w in enumerate(FRAMED)])])  # fmt: skip
    assert "plan-template-repeat" in rules(doc(themed, period="2026", kind="plan"), knowledge)


# -- on the demo district ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
        yield
        reset_all_data()
        ContentType.objects.clear_cache()


@pytest.fixture
def demo(demo_district, db):
    return None


def plan(code):
    return actions.build(OrgUnit.objects.get(code=code), "2027", "NEXT_YEAR_PLAN", today=TODAY)


def _parts(document) -> list[Section]:
    top = next(s for s in document.sections if "主要任务" in s.title)
    return [b for b in top.blocks if isinstance(b, Section)]


def _items(section) -> list[str]:
    return [plain(b.text) for b in section.blocks if isinstance(b, Paragraph)]


def test_a_hospitals_plan_groups_its_tasks_by_theme(demo):
    from weijian.documents.queries import check_document

    document = plan("RMYY").document
    parts = {s.title: _items(s) for s in _parts(document)}
    # a few themed parts, not one numbered item per problem
    assert 2 <= len(parts) <= 6, list(parts)
    top = next(s for s in document.sections if "主要任务" in s.title)
    assert not any(re.match(r"^\d+．", plain(b.text)) for b in top.blocks if isinstance(b, Paragraph))  # fmt: skip
    # the problems' remedies sit in their theme: the Ⅰ类切口 cluster and the deaths under
    # 医疗质量安全, still dated by the end of January (a live safety signal)
    quality = next(items for title, items in parts.items() if "医疗质量安全" in title)
    assert (
        quality[0].startswith("一是") and "Ⅰ类切口" in quality[0] and "2027年1月底前" in quality[0]
    )
    assert any("住院患者死亡" in s and "2027年1月底前" in s for s in quality)
    # costs and patient satisfaction under the service theme, not under quality
    service = next(items for title, items in parts.items() if "就医体验" in title)
    assert any("次均费用" in s for s in service) and not any("次均费用" in s for s in quality)
    rules_found = {f.rule for f in check_document(document)}
    assert not rules_found & {"plan-template-repeat", "plan-owner", "plan-urgent", "plan-duplicate"}  # fmt: skip


def test_the_agenda_continues_what_the_years_records_show_and_nothing_else(demo):
    # RMYY's 2026 records (demo/areas.py, before 2026-11-23): 4 新技术新项目 (three on 3月18日,
    # one on 9月16日); 外出进修 2+2+2+3+1 = 10人次 (2月10日, 3月9日, 6月8日, 9月7日, 11月2日:
    # a ledger record counts from its day, not from the 1—10月 reports); 重症医学科 passed the
    # 市级 review; four reform steps under way
    agenda = next(_items(s) for s in _parts(plan("RMYY").document) if "学科建设" in s.title)
    text = "".join(agenda)
    assert "新技术新项目不少于4项" in text and "外出进修不少于10人次" in text, agenda
    assert "巩固重症医学科市级重点专科建设成果" in text
    assert "紧密型医共体建设" in text and "日间手术管理" in text
    # the township holds none of these records: no agenda, and the theme claims no 学科建设
    titles = [s.title for s in _parts(plan("QSZ").document)]
    text = "".join(i for s in _parts(plan("QSZ").document) for i in _items(s))
    assert not re.search("新技术|重点专科|进修|医共体", text), text
    assert not any("学科建设" in t for t in titles), titles
    # a record removed takes its item with it
    Activity.objects.filter(org_unit__code="RMYY", type__code="NEWTECH").delete()
    again = "".join(i for s in _parts(plan("RMYY").document) for i in _items(s))
    assert "新技术新项目" not in again and "外出进修不少于10人次" in again


def test_a_plan_says_its_health_days_in_one_sentence(demo):
    # read 2026-12-08: 22 days listed quarter by quarter is a calendar, not a plan item
    for code, count in (("RMYY", 18), ("QSZ", 16)):  # hand counts: see the pure test above
        items = [i for s in _parts(plan(code).document) for i in _items(s)]
        days = [i for i in items if "健康主题日" in i]
        assert len(days) == 1 and f"等{count}个健康主题日" in days[0], days
        assert "季度围绕" not in days[0]


def test_a_plan_sets_targets_for_its_problems_from_last_years_level(demo):
    # read 2026-12-08: Ⅰ类切口感染率 rose threefold and the deaths rose, yet the targets were
    # only the indicators already met. Each rate the 2026 summary ranks as gone the wrong way
    # now has its own target: last year's level as printed, on the grid of its size (0.01 for
    # a rate under 1 %, 0.5 from 10 % on), rounded the improving way, with its basis
    document = plan("RMYY").document
    goals = next(s for s in document.sections if "工作目标" in s.title)
    sentence = plain(goals.blocks[0].text)
    table = next(b for b in goals.blocks if isinstance(b, Table))
    rows = {plain(r[0]): [plain(c) for c in r[1:]] for r in table.rows}
    for name, verb in (("Ⅰ类切口感染率", "降至"), ("住院死亡率", "降至")):
        now, goal, basis = rows[f"{name}（%）"]
        before = re.search(r"比2025年的([\d.]+)%有所上升，按恢复到2025年水平确定", basis)
        assert before, basis
        # a rate under 1 % keeps two decimals: the target is the 2025 level as printed, and
        # lower than this year's (e.g. 1.19 now, 0.49 in 2025 → 降至0.49%以下)
        assert Decimal(goal) == Decimal(before.group(1)) < Decimal(now.split("（")[0]), (name, now, goal)  # fmt: skip
        assert f"{name}{verb}{goal}%以下" in sentence, sentence
    # a target met already gets no problem target (手卫生依从率 keeps its own row only once)
    assert sum(1 for r in rows if r.startswith("手卫生依从率")) == 1
    # the problem's task answers its target: no second "加强住院死亡率日常监测" task
    steps = "".join(i for s in _parts(document) for i in _items(s))
    assert "加强住院死亡率日常监测" not in steps and "住院患者死亡" in steps


def test_problem_targets_use_the_national_standard_or_last_years_level():
    from weijian.documents.plan_targets import aim

    # a rate under 1 % that rose from 0.487 % (printed 0.49) to 1.19 %: back to 0.49 (grid 0.01)
    assert aim(Decimal("1.19"), "down", last_year=Decimal("0.487")).value == Decimal("0.49")
    # a satisfaction that fell from 89.46 % to 86.2 %: 89.46 on the half-point grid, rounded
    # the improving way (up): ceil(89.46 / 0.5) × 0.5 = 179 × 0.5 = 89.5
    found = aim(Decimal("86.2"), "up", last_year=Decimal("89.46"), places=1, unit="%")
    assert (found.value, found.basis) == (Decimal("89.5"), "recover")
    # no worse than last year: nothing to recover (the plan's problem target is not set)
    assert aim(Decimal("0.40"), "down", last_year=Decimal("0.49")).basis != "recover"


# -- a problem's cause as data (helper C's Problem.cause, once merged) ------------------------


def test_a_problems_cause_as_data_gives_the_focus_its_words_gave():
    # the same focus as tasks.cause_focus read out of the problem's words, from the data;
    # causes.Cause is on helper C's branch: a stand-in with its fields (kind, label, labels,
    # first, last) until the merge
    from types import SimpleNamespace

    from weijian.documents.context import Problem
    from weijian.documents.plan_measures import focus_from_cause, problem_focus

    def cause(kind, label="", labels=(), first=0, last=0):
        return SimpleNamespace(kind=kind, label=label, labels=labels, first=first, last=last)

    assert focus_from_cause(cause("unit", "外科"), "surge") == "以外科为重点，"
    assert focus_from_cause(cause("items", labels=("急救技能",)), "inspection") == "针对“急救技能”等反复失分项开展专项培训，"  # fmt: skip
    assert focus_from_cause(cause("component", "非药品费用"), "trend") == "以检查、检验和卫生材料等非药品费用为重点，"  # fmt: skip
    assert focus_from_cause(cause("component", "次均药品费用"), "trend") == "以药品费用为重点，加强处方点评，"  # fmt: skip
    assert focus_from_cause(cause("months", first=5, last=6), "surge") == "以5—6月集中发生的病例为重点，"  # fmt: skip
    # months focus a safety signal's cases only; a volume's months are no measure
    assert focus_from_cause(cause("months", first=5, last=6), "declining") == ""
    assert focus_from_cause(cause("denominator"), "trend") == ""
    # the cause as data wins over the words; without one, the words still give it
    problem = Problem("surge", "HAI_SSI_I_RATE", "Ⅰ类切口感染率", ("其中外科由0.5%上升至2.1%",))
    assert problem_focus(problem, "surge") == "以外科为重点，"
    problem.cause = cause("unit", "骨科")
    assert problem_focus(problem, "surge") == "以骨科为重点，"


def test_the_bureau_has_no_units_agenda_and_a_groups_share_keeps_its_own_measure(demo):
    # the bureau's records are its units' (6 新技术 of 区人民医院 and 区中医院 read as its own,
    # with the same reform named twice): a bureau's plan takes no hospital agenda
    bureau = "".join(i for s in _parts(plan("DEMO").document) for i in _items(s))
    assert not re.search("新技术新项目|外出进修|重点专科建设成果", bureau), bureau
    # ZYY's 2026 trends: 多重耐药菌检出率 (院感科) and 四级手术 (医务科) in one group, a task per
    # office; the 医务科's share got the infection-control measure of the group's first figure
    # ("四级手术下降…每月向临床科室反馈感染病例", seen 2026-12-08): its own members' only now
    zyy = [i for s in _parts(plan("ZYY").document) for i in _items(s)]
    # (on the test's date 四级手术 is no longer among ZYY's problems once trivial and near-miss
    # changes are left out, problems7: the property is checked on every item instead) — an item
    # about no infection figure carries no infection-control measure
    assert zyy, zyy
    for item in zyy:
        if not re.search("感染率|感染发病率|耐药菌|手卫生", item):  # its figure is no infection
            assert "感染病例" not in item and "目标性监测" not in item, item
