"""The bureau's own reform steps and its 卫生监督 over the demo's whole history (ledger types
REFORM and SUPERVISION at the bureau, DEMO), so the bureau's summary tells 深化医药卫生体制改革
and 卫生监督执法 from records (documents/bureau_work.py), as its 医政 and 综合监督 offices log them.

Reform steps are the county-level ones a bureau leads (紧密型县域医共体, 分级诊疗, DRG with
the 医保局, 薪酬制度, 药品耗材): a few a year, dated by their year relative to the demo's today,
beside the hospitals' own (demo/reform.py). Supervision follows a 综合监督 office's calendar:
"双随机、一公开" rounds each quarter, the yearly special campaigns (学校卫生 before each term,
医疗机构依法执业, 生活饮用水 in summer, 职业卫生, 打击非法行医), with the units inspected and
the cases filed drawn per record. Every date is a working day (activity.workday)."""

from __future__ import annotations

import datetime as dt

from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, ActivityType
from weijian.orgs.models import OrgUnit

from .activity import rng
from .records import adder, save
from .tree import ROOT_CODE

CLERK = "jiancha"  # 督查检查 at the bureau logs both

# (years before today's year, month, day, stage, area, title, measures, results)
REFORMS = [
    (2, 2, 20, "启动实施", "紧密型医共体建设", "紧密型县域医共体建设",
     "印发紧密型县域医共体建设实施方案，组建以区人民医院、区中医医院为牵头单位的两个医共体", ""),
    (2, 6, 12, "启动实施", "医保支付方式改革", "DRG支付方式改革",
     "会同区医疗保障局制定支付方式改革实施方案，区人民医院、区中医医院纳入首批实施范围", ""),
    (1, 3, 18, "持续推进", "紧密型医共体建设", "紧密型县域医共体建设",
     "推行医共体内人员、财务、业务、药品耗材、信息和绩效统一管理", ""),
    (1, 8, 21, "启动实施", "分级诊疗", "双向转诊",
     "印发医共体双向转诊管理办法，明确上转、下转病种和流程", ""),
    (0, 1, 20, "持续推进", "薪酬制度改革", "公立医院薪酬制度改革",
     "印发公立医院主要负责人年薪制考核办法，考核结果与年薪挂钩", ""),
    (0, 4, 22, "持续推进", "紧密型医共体建设", "紧密型县域医共体建设",
     "建成医共体心电、影像、检验三个共享中心", "基层检查检验结果在医共体内互认"),
    (0, 6, 17, "持续推进", "分级诊疗", "双向转诊",
     "组织家庭医生团队与医共体专科医生结对，为签约居民开通转诊绿色通道", ""),
    (0, 9, 23, "持续推进", "药品耗材管理", "医共体药品耗材统一管理",
     "落实国家组织药品集中带量采购，医共体内统一用药目录和采购配送", ""),
]  # fmt: skip

# The office's year: (month, day, field, kind, title, inspected range, cases range)
SUPERVISION_YEAR = [
    (3, 6, "学校卫生", "专项检查", "春季学校卫生专项监督检查", (18, 26), (0, 1)),
    (3, 24, "综合", "双随机抽查", "第一季度“双随机、一公开”监督抽查", (35, 60), (1, 4)),
    (4, 14, "医疗卫生", "专项检查", "医疗机构依法执业专项监督检查", (60, 95), (2, 6)),
    (5, 19, "公共场所卫生", "专项检查", "公共场所卫生专项监督检查", (70, 110), (2, 5)),
    (6, 10, "医疗卫生", "专项检查", "打击非法行医专项行动", (25, 45), (1, 4)),
    (6, 23, "综合", "双随机抽查", "第二季度“双随机、一公开”监督抽查", (35, 60), (1, 4)),
    (7, 15, "生活饮用水卫生", "专项检查", "生活饮用水卫生专项监督检查", (20, 35), (0, 2)),
    (8, 26, "学校卫生", "专项检查", "秋季开学学校卫生专项监督检查", (18, 26), (0, 1)),
    (9, 22, "综合", "双随机抽查", "第三季度“双随机、一公开”监督抽查", (35, 60), (1, 4)),
    (10, 20, "传染病防治", "专项检查", "医疗机构传染病防治分类监督综合评价", (30, 50), (1, 3)),
    (11, 10, "职业卫生", "专项检查", "职业病危害项目申报和职业健康检查监督检查", (15, 30), (0, 2)),
    (12, 8, "综合", "双随机抽查", "第四季度“双随机、一公开”监督抽查", (35, 60), (1, 4)),
]  # fmt: skip


def build_bureau_work(
    units: dict[str, OrgUnit], users: dict, today: dt.date, start: dt.date
) -> int:
    """The bureau's reform steps and supervision records from `start` up to yesterday;
    returns how many were created."""
    load_builtin()
    types = {t.code: t for t in ActivityType.objects.filter(code__in=["REFORM", "SUPERVISION"])}
    bureau, clerk = units[ROOT_CODE], users.get(CLERK)
    rows: list[Activity] = []

    add = adder(rows, types, bureau, clerk, start, today)

    for years, month, day, stage, area, title, measures, results in REFORMS:
        add("REFORM", dt.date(today.year - years, month, day), title, AREA=area, STAGE=stage,
            MEASURES=measures, RESULTS=results)  # fmt: skip
    for year in range(start.year, today.year + 1):
        for month, day, field, kind, title, checked, cases in SUPERVISION_YEAR:
            r = rng("bureau-supervision", year, title)
            add("SUPERVISION", dt.date(year, month, day), title, FIELD=field, KIND=kind,
                CHECKED=r.randint(*checked), CASES=r.randint(*cases))  # fmt: skip
    return save(rows)
