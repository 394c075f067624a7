"""Party work, reform steps, new techniques and key specialties over the demo's whole history
for the three hospitals (ledger types PARTY, REFORM, NEWTECH, SPECIALTY), as their party office
(党办) and medical office (医务科) log them, dated on weekdays, with the names a county
hospital's ledgers carry. The summaries' 加强党建引领，推进改革发展 is written from them
(documents/party_reform.py).

Party work follows the calendar a hospital party organisation keeps: its committee meets twice a
month (院党委: 党委会) or monthly (党总支委员会, 支部委员会) and decides the “三重一大” items
(budgets, large purchases, cadre appointments, projects); the 院党委's 理论学习中心组 studies
monthly (the 党总支 and the 支部 hold a 专题学习 in spring and autumn); a 主题党日 each month
with the month's theme (学雷锋 in March, 清明 in April, 七一 in July, 医师节 in August…);
民主生活会 and 组织生活会 in January, the 七一 党课. Study themes are the year's real ones where
the year is known, a standing theme otherwise. Reform steps, techniques and specialties are
dated by their year relative to the demo's today. Figures (党建活动次数, 新技术新项目数) are
published per unit × month as the ledger actions do."""

from __future__ import annotations

import datetime as dt

from weijian.ledger.actions import publish
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, ActivityType
from weijian.orgs.models import OrgUnit

from .activity import rng
from .bureau_work import CLERK as BUREAU_CLERK
from .party_study import study_records
from .records import adder, save
from .tree import ALL_UNITS, ROOT_CODE
from .users import clerk_for

HOSPITALS = {  # code → (party organisation, its secretary)
    "RMYY": ("院党委", "院党委书记"),
    "ZYY": ("院党总支", "院党总支书记"),
    "FYBJY": ("院党支部", "院党支部书记"),
}
MEMBERS = {"RMYY": 126, "ZYY": 58, "FYBJY": 41}  # party members (attendance is drawn below it)

# (month, day, kind, title, theme); {year} is the record's year, {last} the year before.
PARTY_CALENDAR = [
    (1, 15, "民主生活会", "{last}年度领导班子民主生活会", "对照检视查摆问题，明确整改措施"),
    (1, 22, "组织生活会", "{last}年度组织生活会和民主评议党员", "开展批评与自我批评，民主评议党员"),
    (6, 27, "党课", "“七一”专题党课", None),
]
# A 主题党日 each month: (month, day, title, theme), the earlier three on their old days.
PARTY_DAYS = [
    (1, 26, "春节前走访慰问主题党日", "走访慰问困难党员和离退休老党员"),
    (2, 24, "党员教育主题党日", "学习《中国共产党党员教育管理工作条例》"),
    (3, 5, "学雷锋志愿服务主题党日", "学雷锋志愿服务"),
    (4, 2, "清明祭扫主题党日", "祭扫烈士陵园，缅怀革命先烈"),
    (5, 20, "学习先进典型主题党日", "学习身边先进典型，争做优秀共产党员"),
    (6, 12, "安全生产月主题党日", "党员带头排查安全隐患"),
    (7, 1, "庆祝建党节主题党日", "重温入党誓词"),
    (8, 19, "中国医师节主题党日", "党员医师进社区义诊"),
    (9, 17, "党员先锋岗主题党日", "党员先锋岗亮身份、作表率"),
    (10, 21, "敬老月主题党日", "走访慰问离退休老党员"),
    (11, 12, "党员义诊进乡村主题党日", "党员志愿服务进乡村"),
    (12, 4, "国家宪法日主题党日", "学习宣传宪法"),
]
# The 院党委's 理论学习中心组, monthly: (month, day, theme); {spring}/{autumn} the year's campaign.
CENTRE_STUDIES = [
    (1, 28, "学习贯彻全国卫生健康工作会议精神"),
    (2, 26, "学习《中国共产党章程》"),
    (3, 26, "学习贯彻全国两会精神"),
    (4, 16, "{spring}"),
    (5, 28, "学习《中国共产党纪律处分条例》"),
    (6, 25, "学习《关于加强公立医院党的建设工作的意见》"),
    (7, 23, "学习新时代党的卫生与健康工作方针"),
    (8, 27, "学习《中华人民共和国基本医疗卫生与健康促进法》"),
    (9, 24, "学习《医疗机构工作人员廉洁从业九项准则》"),
    (10, 28, "学习习近平总书记关于卫生健康工作的重要论述"),
    (11, 19, "{autumn}"),  # after the autumn plenum (October)
    (12, 23, "学习贯彻中央经济工作会议精神"),
]
# The 党总支's and the 支部's studies, spring and autumn: (month, day, {spring}/{autumn}).
BRANCH_STUDIES = [(4, 16, "{spring}"), (11, 19, "{autumn}")]
# The committee's meetings: (record kind, title, days of the month, members present)
COMMITTEES = {
    "RMYY": ("党委会", "院党委会", (9, 23), (7, 9)),
    "ZYY": ("党总支委员会", "院党总支委员会会议", (13,), (5, 7)),
    "FYBJY": ("支部委员会", "院党支部委员会会议", (14,), (3, 5)),
}
# The “三重一大” subjects a hospital's committee decides (the month's own first: a budget in
# January, recruitment before the July hiring); a meeting deciding none studies and plans.
SUBJECTS = ["大型医用设备采购", "中层干部选拔任用", "基建维修项目", "大额资金使用", "绩效分配方案调整", "药品耗材遴选"]  # fmt: skip
MONTH_SUBJECTS = {1: "年度预算", 6: "年度公开招聘计划", 12: "年度决算和下年度预算编制"}
NO_DECISION = "传达学习上级文件精神、研究部署党建和业务工作"
# The year's study themes (real campaigns of the year); a standing theme for other years.
SPRING = {
    2024: "党纪学习教育",
    2025: "深入贯彻中央八项规定精神学习教育",
    2026: "学习贯彻党的二十届四中全会精神",
}
AUTUMN = {
    2023: "学习贯彻习近平新时代中国特色社会主义思想主题教育",
    2024: "学习贯彻党的二十届三中全会精神",
    2025: "学习贯彻党的二十届四中全会精神",
    2026: "医疗领域群众身边不正之风和腐败问题集中整治",
}
STANDING_STUDY = "学习《中国共产党章程》"
LECTURES = [  # the 七一 党课's theme by year % 3 (2024: 党纪学习教育's year; 2025: 作风)
    "锤炼党性、改进作风", "坚守医者初心，践行为民宗旨", "学党纪、明规矩、强党性",
]  # fmt: skip

# Reform steps: (years before today's year, month, day, stage, area, title, measures, results)
REFORMS = {
    "RMYY": [
        (2, 3, 1, "启动实施", "医保支付方式改革", "DRG支付方式改革",
         "成立医保支付方式改革工作专班，开展病案首页填写和疾病编码培训", ""),
        (2, 9, 2, "启动实施", "紧密型医共体建设", "紧密型医共体建设",
         "牵头组建区人民医院医共体，与青山镇中心卫生院、河西镇卫生院签订医共体协议", ""),
        (1, 1, 6, "持续推进", "医保支付方式改革", "DRG支付方式改革",
         "出院病例全部纳入DRG付费，建立病种成本核算和月度运行分析制度", ""),
        (1, 4, 1, "启动实施", "薪酬制度改革", "薪酬制度改革",
         "制定以公益性为导向的绩效考核分配方案，绩效分配向临床一线和关键岗位倾斜", ""),
        (1, 7, 15, "持续推进", "紧密型医共体建设", "紧密型医共体建设",
         "向成员单位派驻内科、儿科骨干医师，开通远程心电和影像诊断", "成员单位上转患者明显增加"),
        (1, 10, 9, "启动实施", "改善就医服务", "分时段预约诊疗",
         "开通微信公众号和门诊自助机分时段预约", "门诊患者候诊时间缩短"),
        (0, 2, 10, "持续推进", "紧密型医共体建设", "紧密型医共体建设",
         "成立医共体检查检验结果互认中心", "医共体内互认检查检验项目达到30项"),
        (0, 3, 16, "持续推进", "薪酬制度改革", "薪酬制度改革",
         "修订科室绩效考核指标体系，将医疗质量安全和患者满意度纳入科室考核", ""),
        (0, 5, 11, "启动实施", "现代医院管理制度", "日间手术管理",
         "制定日间手术管理制度和病种目录，在外科、眼耳鼻喉科开展日间手术", ""),
        (0, 9, 7, "持续推进", "医保支付方式改革", "DRG支付方式改革",
         "开展病种结构和费用分析，对高倍率病例逐例点评", ""),
    ],
    "ZYY": [
        (2, 5, 8, "启动实施", "医保支付方式改革", "中医优势病种按病种付费",
         "遴选混合痔、腰椎间盘突出症等中医优势病种，实行按病种付费", ""),
        (1, 3, 12, "启动实施", "紧密型医共体建设", "基层中医馆帮扶",
         "向柳塘镇卫生院、大庄镇卫生院中医馆派驻中医师坐诊带教", ""),
        (1, 10, 15, "启动实施", "薪酬制度改革", "薪酬制度改革",
         "制定体现中医药技术劳务价值的绩效分配方案", ""),
        (0, 4, 8, "持续推进", "医保支付方式改革", "中医优势病种按病种付费",
         "新增膝骨关节炎等病种纳入按病种付费", ""),
    ],
    "FYBJY": [
        (2, 6, 3, "启动实施", "改善就医服务", "孕产妇全程预约诊疗",
         "孕产妇产前检查实行全程分时段预约", ""),
        (1, 5, 20, "启动实施", "现代医院管理制度", "妇幼保健机构绩效考核问题整改",
         "对照妇幼保健机构绩效考核指标逐项制定整改措施", ""),
        (0, 3, 3, "持续推进", "改善就医服务", "孕产妇全程预约诊疗",
         "将产后访视和儿童保健纳入预约服务", "孕产妇就诊等候时间缩短"),
    ],
}  # fmt: skip

# New techniques, approved in the spring and autumn committee meetings:
# (years before today's year, month, day, department, name, level)
NEWTECH = {
    "RMYY": [
        (2, 3, 20, "内科", "冠状动脉造影及支架植入术", "区内首次开展"),
        (2, 3, 20, "外科", "腹腔镜下胆总管探查取石术", "本院首次开展"),
        (2, 9, 18, "骨科", "关节镜下膝关节前交叉韧带重建术", "本院首次开展"),
        (1, 3, 19, "麻醉科", "超声引导下神经阻滞麻醉", "本院首次开展"),
        (1, 3, 19, "眼耳鼻喉科", "鼻内镜下鼻窦开放术", "本院首次开展"),
        (1, 9, 17, "骨科", "经皮椎体后凸成形术", "区内首次开展"),
        (1, 9, 17, "重症医学科", "床旁连续性肾脏替代治疗", "本院首次开展"),
        (0, 3, 18, "外科", "胸腔镜下肺楔形切除术", "区内首次开展"),
        (0, 3, 18, "儿科", "经鼻高流量湿化氧疗", "本院首次开展"),
        (0, 3, 18, "外科", "经皮肾镜碎石取石术", "本院首次开展"),
        (0, 9, 16, "影像科", "超声引导下经皮肝穿刺活检术", "本院首次开展"),
    ],
    "ZYY": [
        (2, 4, 10, "针灸推拿科", "针刀松解术", "本院首次开展"),
        (1, 4, 9, "康复科", "督灸疗法", "本院首次开展"),
        (1, 10, 14, "骨伤科", "中药熏蒸治疗", "本院首次开展"),
        (0, 4, 15, "针灸推拿科", "穴位埋线疗法", "本院首次开展"),
    ],
    "FYBJY": [
        (2, 4, 17, "产科", "椎管内分娩镇痛", "本院首次开展"),
        (1, 4, 16, "妇科", "宫腔镜下子宫内膜息肉电切术", "本院首次开展"),
        (0, 4, 14, "儿童保健部", "儿童视力筛查及屈光发育档案", "区内首次开展"),
    ],
}

# Key specialties: (years before today's year, month, day, name, level, status, note)
SPECIALTIES = {
    "RMYY": [
        (2, 5, 15, "重症医学科", "市级", "获批立项", ""),
        (2, 12, 10, "急诊科", "区级", "通过评审", "胸痛、卒中、创伤救治绿色通道运行规范"),
        (1, 6, 18, "重症医学科", "市级", "建设中", "新增床旁血液净化和纤维支气管镜设备"),
        (1, 10, 21, "骨科", "区级", "获批立项", ""),
        (0, 4, 15, "重症医学科", "市级", "通过评审", ""),
    ],
    "ZYY": [
        (1, 5, 13, "针灸推拿科", "省级", "获批立项", "以针刀、督灸等中医特色疗法为建设重点"),
        (0, 5, 19, "骨伤科", "市级", "通过评审", ""),
    ],
    "FYBJY": [
        (1, 11, 18, "产科", "市级", "通过评审", ""),
        (0, 3, 24, "儿童保健部", "区级", "获批立项", ""),
    ],
}


def weekday(day: dt.date) -> dt.date:
    """Meetings, approvals and reviews fall on working days: a weekend moves to Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def build_reform(units: dict[str, OrgUnit], users: dict, today: dt.date, start: dt.date) -> int:
    """The records from `start` up to yesterday for each hospital; returns how many."""
    load_builtin()
    codes = ["PARTY", "REFORM", "NEWTECH", "SPECIALTY", "STUDY", "PLANNING"]
    types = {t.code: t for t in ActivityType.objects.filter(code__in=codes)}
    rows: list[Activity] = []
    for code in HOSPITALS:
        unit = units[code]
        name = "yiyuan" if code == "RMYY" else clerk_for(ALL_UNITS[code])
        clerk = users.get(name) or users.get("tongji")
        add = adder(rows, types, unit, clerk, start, today, move=weekday)
        for year in range(start.year, today.year + 1):
            _party_year(add, code, year)
        ago = today.year
        for years, month, day, stage, area, title, measures, results in REFORMS[code]:
            add("REFORM", dt.date(ago - years, month, day), title, AREA=area, STAGE=stage,
                MEASURES=measures, RESULTS=results)  # fmt: skip
        for years, month, day, dept, name, level in NEWTECH[code]:
            when = dt.date(ago - years, month, day)
            cases = rng("reform", code, name).randint(6, 40)
            add("NEWTECH", when, name, DEPT=dept, LEVEL=level, CASES=str(cases))
        for years, month, day, name, level, status, note in SPECIALTIES[code]:
            add("SPECIALTY", dt.date(ago - years, month, day), name, LEVEL=level, STATUS=status, NOTE=note)  # fmt: skip
    _study(units, users, types, rows, today, start)
    save(rows)
    for kind in ("PARTY", "NEWTECH"):  # the two types that publish figures
        publish(types[kind], [(a.org_unit, a.period_id) for a in rows if a.type.code == kind])
    return len(rows)


def _study(units, users, types, rows: list[Activity], today: dt.date, start: dt.date) -> None:
    """The campaigns of study and the 十五五 plans of the hospitals and the bureau (demo/
    party_study.py), each campaign dated from its start to its end."""
    for code in (*HOSPITALS, "BUREAU"):
        unit = units[ROOT_CODE if code == "BUREAU" else code]
        name = "yiyuan" if code == "RMYY" else BUREAU_CLERK if code == "BUREAU" else clerk_for(ALL_UNITS[code])  # fmt: skip
        add = adder(rows, types, unit, users.get(name) or users.get("tongji"), start, today, move=weekday)  # fmt: skip
        study_records(code, _spanning(add, rows))


def _spanning(add, rows: list[Activity]):
    """`add` with the record's end date (a campaign runs for months; `add` logs one day)."""

    def add_span(kind: str, day: dt.date, end: dt.date | None, title: str, **values) -> None:
        before = len(rows)
        add(kind, day, title, **values)
        if end is not None and len(rows) > before:
            rows[-1].end_date = max(end, rows[-1].start_date)

    return add_span


def _party_year(add, code: str, year: int) -> None:
    body, secretary = HOSPITALS[code]
    shift = list(HOSPITALS).index(code)  # the three hospitals do not meet on the same day
    r = rng("reform", "party", code, year)

    def on(month: int, day: int) -> dt.date:
        return dt.date(year, month, min(28, day + shift))

    def attending() -> int:
        return r.randint(MEMBERS[code] * 6 // 10, MEMBERS[code])

    for month, day, kind, title, theme in PARTY_CALENDAR:
        if kind == "党课":
            theme = LECTURES[year % len(LECTURES)]
        attend = r.randint(7, 11) if kind == "民主生活会" else attending()  # the leadership team
        add("PARTY", on(month, day), title.format(last=year - 1, year=year), KIND=kind,
            THEME=theme, SPEAKER=secretary if kind == "党课" else "", ATTEND=attend)  # fmt: skip
    for month, day, title, theme in PARTY_DAYS:
        add("PARTY", on(month, day), title, KIND="主题党日", THEME=theme, ATTEND=attending())
    studies = CENTRE_STUDIES if code == "RMYY" else BRANCH_STUDIES
    campaigns = {"spring": SPRING.get(year, STANDING_STUDY), "autumn": AUTUMN.get(year, STANDING_STUDY)}  # fmt: skip
    for month, day, theme in studies:
        theme = theme.format(**campaigns)
        if code == "RMYY":
            add("PARTY", on(month, day), f"{body}理论学习中心组集中学习", KIND="中心组学习",
                THEME=theme, SPEAKER=secretary, ATTEND=r.randint(9, 13))  # fmt: skip
        else:
            add("PARTY", on(month, day), f"{theme}专题学习", KIND="专题学习", THEME=theme,
                ATTEND=attending())  # fmt: skip
    _committee_year(add, code, year, r)


def _committee_year(add, code: str, year: int, r) -> None:
    """The committee's meetings of the year, each with the “三重一大” items it decided (most
    decide one to four; about one in six only studies and plans) and their subjects."""
    kind, title, days, members = COMMITTEES[code]
    shift = list(HOSPITALS).index(code)
    for month in range(1, 13):
        for day in days:
            decided = 0 if r.random() < 0.16 else r.randint(1, 4)
            subjects = r.sample(SUBJECTS, min(decided, 2))
            if decided and month in MONTH_SUBJECTS and day == days[0]:
                subjects = [MONTH_SUBJECTS[month], *subjects[:1]]
            theme = "、".join(subjects) if decided else NO_DECISION
            add("PARTY", dt.date(year, month, min(28, day + shift)), title, KIND=kind,
                THEME=theme, DECISIONS=decided, ATTEND=r.randint(*members))  # fmt: skip
