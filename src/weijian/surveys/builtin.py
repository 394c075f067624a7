"""The built-in questionnaires (住院患者 / 门诊患者 / 职工) and the figures surveys publish.

The questions follow what the source documents ask of these surveys: a questionnaire for every
discharged patient, outpatient surveys, and staff rating the leadership and the logistics and
administrative departments (seed-000 篇6). Each has one overall 1–5 question deciding 满意.
"""

from __future__ import annotations

from weijian.reporting.actions import SystemElement

from .models import Kind, QuestionType

S, M, SC, T = QuestionType.SINGLE, QuestionType.MULTI, QuestionType.SCALE, QuestionType.TEXT

# (code, name, kind, intro, [(text, type, options, required, overall)])
QUESTIONNAIRES = [
    (
        "INPAT_STD",
        "住院患者满意度调查问卷",
        Kind.INPAT,
        "您好！为了解您住院期间对我们服务的感受，改进工作，请您花两分钟填写本问卷。问卷匿名，感谢您的支持！",
        [
            ("您对入院手续办理的便捷程度是否满意？", SC, [], True, False),
            ("您对医生解释病情和治疗方案是否满意？", SC, [], True, False),
            ("您对护士的服务态度和操作技术是否满意？", SC, [], True, False),
            ("您对病房环境（清洁、安静、安全）是否满意？", SC, [], True, False),
            ("住院费用清单是否清楚？", S, ["清楚", "基本清楚", "不清楚"], True, False),
            ("住院期间是否有医务人员收受或索要红包、财物？", S, ["没有", "有"], True, False),
            (
                "您认为最需要改进的方面（可多选）",
                M,
                ["就医流程", "服务态度", "病房环境", "饮食", "收费", "出院指导"],
                False,
                False,
            ),
            ("总体来说，您对本次住院的医疗服务是否满意？", SC, [], True, True),
            ("您的意见和建议", T, [], False, False),
        ],
    ),
    (
        "OUTPAT_STD",
        "门诊患者满意度调查问卷",
        Kind.OUTPAT,
        "您好！请您对今天的就诊体验作出评价，帮助我们改进服务。问卷匿名，感谢您的支持！",
        [
            ("您对挂号、缴费、取药的便捷程度是否满意？", SC, [], True, False),
            ("您对医生的问诊和解释是否满意？", SC, [], True, False),
            ("您对导医服务和院内标识是否满意？", SC, [], True, False),
            (
                "今天从挂号到就诊大约等候了多久？",
                S,
                ["30分钟以内", "30–60分钟", "1小时以上"],
                True,
                False,
            ),
            (
                "您认为最需要改进的方面（可多选）",
                M,
                ["等候时间", "服务态度", "就诊环境", "检查预约", "收费", "停车"],
                False,
                False,
            ),
            ("总体来说，您对本次就诊是否满意？", SC, [], True, True),
            ("您的意见和建议", T, [], False, False),
        ],
    ),
    (
        "STAFF_STD",
        "职工满意度调查问卷",
        Kind.STAFF,
        "各位同事：本问卷用于了解职工对单位领导班子和后勤行政科室工作的评价，匿名填写，请如实作答。",
        [
            ("您对单位领导班子的工作是否满意？", SC, [], True, False),
            ("您对后勤、行政科室的服务是否满意？", SC, [], True, False),
            ("您对工作环境和条件是否满意？", SC, [], True, False),
            ("您对绩效分配的公平性是否满意？", SC, [], True, False),
            ("您对培训和职业发展机会是否满意？", SC, [], True, False),
            (
                "您最希望单位改进的方面（可多选）",
                M,
                ["薪酬待遇", "绩效分配", "培训进修", "工作负荷", "后勤保障", "沟通与民主管理"],
                False,
                False,
            ),
            ("总体来说，您对在本单位工作是否满意？", SC, [], True, True),
            ("您的意见和建议", T, [], False, False),
        ],
    ),
]

KIND_LABEL = {Kind.INPAT: "住院患者", Kind.OUTPAT: "门诊患者", Kind.STAFF: "职工"}


def responses_code(kind: str) -> str:
    return f"SVY_{kind}_RESPONSES"


def satisfied_code(kind: str) -> str:
    return f"SVY_{kind}_SATISFIED"


def rate_code(kind: str) -> str:
    return f"SVY_{kind}_RATE"


ELEMENTS = [
    element
    for kind in Kind
    for element in (
        SystemElement(
            responses_code(kind),
            f"{KIND_LABEL[kind]}满意度调查有效问卷数",
            unit="份",
            description="满意度调查收到的有效问卷份数（系统按问卷自动统计）",
        ),
        SystemElement(
            satisfied_code(kind),
            f"{KIND_LABEL[kind]}满意度调查满意问卷数",
            unit="份",
            description="总体满意度题选“满意”或“非常满意”（5 分制 4 分及以上）的问卷份数",
        ),
    )
]

RATE_NAMES = {
    Kind.INPAT: "住院患者满意度",
    Kind.OUTPAT: "门诊患者满意度",
    Kind.STAFF: "职工满意度",
}

# Threshold rules of the source documents (seed-000 篇6, 区卫生局“三无、三好、三率”行动方案):
# "已出院患者对医疗服务满意度小于90%，门急诊患者和公卫服务对象满意度小于80%的，该医疗单位取消年度
# 评先资格"; "职工满意度小于80%的医疗单位领导……予以约谈".
# The built-in questionnaires' rules (Questionnaire.threshold/consequence/rule_source are set
# from these when they are created; offices change them per questionnaire in the admin).
THRESHOLDS = {
    Kind.INPAT: (90, "取消该医疗单位年度评先资格"),
    Kind.OUTPAT: (80, "取消该医疗单位年度评先资格"),
    Kind.STAFF: (80, "对该医疗单位领导予以约谈"),
}
RULE_SOURCE = "区卫生局“三无、三好、三率”三年行动方案"
