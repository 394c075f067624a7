"""The demo district's report forms as plain data: categories, data elements, forms, checks.

Element codes are stable: the indicator library refers to them (e.g. an infection rate is
`#{HAI_NEW_CASES} / #{HAI_INPATIENTS}`). Names and `description`s follow the wording of the
national catalogues (see ../shared/domain/reference-systems.md §2), each with a short citation.

Nothing here touches the database; `forms.py` turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass

# Value and aggregation types spelled as the reporting models store them (kept as plain strings
# so this module stays importable without Django).
INT = "INTEGER_ZERO_OR_POSITIVE"
NUM = "NUMBER"
SUM = "SUM"
LAST = "LAST"

# Short citations appended to the descriptions.
STAT = "卫生健康统计调查制度（医疗服务统计指标口径）"
PERF = "国家三级公立医院绩效考核操作手册；二级公立医院绩效考核（国卫办医发〔2019〕23号）"
HAI = "医院感染管理质量控制指标（国卫办医函〔2015〕252号）"
QC = "医疗质量控制指标（手术、麻醉专业）"
NURSE = "护理专业医疗质量控制指标（2020年版）"
PHS = "国家基本公共卫生服务规范（第三版，2017）"
MCH = "国家基本公共卫生服务规范（第三版）；妇幼卫生年报口径"
IMM = "国家基本公共卫生服务规范（第三版）预防接种服务规范"
AEFI = "全国疑似预防接种异常反应监测方案"
FDS = "关于推进家庭医生签约服务的指导意见（国医改办发〔2016〕1号）；关于规范家庭医生签约服务管理的指导意见（国卫基层发〔2018〕35号）"
FIN = "公立医院绩效考核收支结构指标口径；政府会计制度"


@dataclass(frozen=True)
class Option:
    code: str
    name: str


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    unit: str
    description: str
    value_type: str = INT
    aggregation: str = SUM
    category: str | None = None


@dataclass(frozen=True)
class Section:
    name: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class FormSpec:
    code: str
    name: str
    description: str
    sections: tuple[Section, ...]
    due_days: int = 5
    groups: tuple[str, ...] = ()  # org-unit group codes the form is assigned to
    units: tuple[str, ...] = ()  # org-unit codes it is assigned to directly

    @property
    def element_codes(self) -> list[str]:
        return [code for section in self.sections for code in section.elements]


@dataclass(frozen=True)
class Check:
    """sum(left) <= sum(right) (or ==) for one unit and period; `per_option` compares cell by
    cell when both sides are split by the same category. The message is the reviewer's wording."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    message: str
    op: str = "<="
    per_option: bool = False


CATEGORIES = (
    CategorySpec("SEX", "性别", (Option("MALE", "男"), Option("FEMALE", "女"))),
    CategorySpec(
        "PATHOGEN",
        "目标病原体（多重耐药菌监测）",
        (
            Option("PATH_SA", "金黄色葡萄球菌（耐药株 MRSA）"),
            Option("PATH_EF", "肠球菌（耐药株 VRE）"),
            Option("PATH_KP", "肺炎克雷伯菌（耐药株 CRKP）"),
            Option("PATH_AB", "鲍曼不动杆菌（耐药株 CRAB）"),
        ),
    ),
    CategorySpec(
        "VACCINE",
        "免疫规划疫苗",
        (
            Option("VAC_HEPB", "乙肝疫苗"),
            Option("VAC_BCG", "卡介苗"),
            Option("VAC_POLIO", "脊灰疫苗"),
            Option("VAC_DTAP", "百白破疫苗"),
            Option("VAC_MMR", "麻腮风疫苗"),
        ),
    ),
)

E = Element

ELEMENTS = (
    # -- 门急诊与住院工作量 ---------------------------------------------------------------
    E(
        "OPD_VISITS",
        "门诊人次",
        "人次",
        "门诊患者人次数，不包括挂号后根据医嘱进行的检查、治疗处置工作量及免疫接种、健康管理服务人次；按性别分列。"
        f"“门诊人次数与出院人次数比”的分子。（{PERF}）",
        category="SEX",
    ),
    E("ER_VISITS", "急诊人次", "人次", f"急诊科（室）及各科急诊诊疗人次数。（{STAT}）"),
    E(
        "ADMISSIONS",
        "入院人次",
        "人次",
        f"报告期内经门急诊办理入院手续、实际住院的人次数。（{STAT}）",
    ),
    E(
        "DISCHARGES",
        "出院人次",
        "人次",
        "报告期内所有住院后出院的人次数，包括医嘱离院、医嘱转院、医嘱转社区卫生服务机构/乡镇卫生院、"
        f"非医嘱离院、死亡及其他，不含家庭病床撤床人数。（{STAT}）",
    ),
    E("DISCHARGE_DEATHS", "出院患者死亡人数", "人", f"出院人次中离院方式为死亡的人数。（{STAT}）"),
    E(
        "INPATIENTS_END",
        "期末在院人数",
        "人",
        f"报告期末24时实际在院的住院患者人数；存量指标，汇总时取期末值。（{STAT}）",
        aggregation=LAST,
    ),
    E(
        "BEDS",
        "实有床位数",
        "张",
        "期末固定实有床位数，包括正规床、简易床、监护床、超过半年加床、正在消毒和修理床位；不包括产科新生儿床、"
        f"接产室待产床、库存床、观察床、临时加床和陪侍床。存量指标，汇总时取期末值。（{STAT}）",
        aggregation=LAST,
    ),
    E(
        "OPEN_BED_DAYS",
        "实际开放总床日数",
        "床日",
        f"报告期内每日夜晚12点实际开放病床数之和，不论该床是否被病人占用。病床使用率的分母。（{STAT}）",
    ),
    E(
        "OCC_BED_DAYS",
        "实际占用总床日数",
        "床日",
        "报告期内每日夜晚12点实际占用病床数（即每日夜晚12点住院人数）之和，包括实际占用的临时加床。"
        f"病床使用率 = 实际占用总床日数 / 实际开放总床日数 × 100%。（{STAT}）",
    ),
    E(
        "DIS_BED_DAYS",
        "出院者占用总床日数",
        "床日",
        f"报告期内所有出院者的住院床日之和。平均住院日 = 出院者占用总床日数 / 出院人次数。（{STAT}）",
    ),
    # -- 手术与麻醉 -------------------------------------------------------------------
    E(
        "SURG_PATIENTS",
        "出院患者手术人数",
        "人",
        "出院患者中施行手术（含介入治疗）的人数，同一次住院多次手术按1人统计。出院患者手术占比 = "
        f"出院患者手术台次数 / 同期出院患者总人次数 × 100%。（{PERF}）",
    ),
    E(
        "SURG_LEVEL4",
        "出院患者四级手术台次数",
        "台次",
        f"出院患者施行四级手术的台次数。出院患者四级手术比例 = 四级手术台次数 / 同期出院患者手术台次数 × 100%。（{PERF}）",
    ),
    E(
        "SURG_LEVEL3",
        "出院患者三级手术台次数",
        "台次",
        f"出院患者施行三级手术的台次数。二级公立医院考核“出院患者三级手术占比”的分子。（{PERF}）",
    ),
    E(
        "SURG_MIS",
        "出院患者微创手术台次数",
        "台次",
        f"出院患者施行微创手术的台次数。出院患者微创手术占比 = 微创手术台次数 / 同期出院患者手术台次数 × 100%。（{PERF}）",
    ),
    E(
        "SURG_ELECTIVE",
        "出院患者择期手术台次数",
        "台次",
        f"出院患者中择期手术的台次数。日间手术占择期手术比例的分母。（{PERF}）",
    ),
    E(
        "SURG_DAY",
        "日间手术台次数",
        "台次",
        f"在24小时内完成入院、手术和出院的择期手术台次数。日间手术占择期手术比例 = 日间手术台次数 / 同期出院患者择期手术总台次数 × 100%。（{PERF}）",
    ),
    E(
        "SURG_COMPLICATIONS",
        "手术患者并发症发生例数",
        "例",
        "同期出院的手术患者中发生手术并发症（按规定ICD编码目录识别）的例数。手术患者并发症发生率 = "
        f"手术患者并发症发生例数 / 同期出院的手术患者人数 × 100%。（{PERF}）",
    ),
    E(
        "SURG_INCISION_I",
        "Ⅰ类切口手术台次数",
        "台次",
        f"切口等级为Ⅰ类（清洁切口）的手术台次数。（{PERF}）",
    ),
    E(
        "SURG_REOPERATION",
        "非计划重返手术室再手术例数",
        "例",
        f"手术患者术后非预期重返手术室再次手术的例数。非计划重返手术室再手术率 = 再手术例数 / 同期手术患者手术例数 × 100%。（{QC}）",
    ),
    E(
        "ANES_TOTAL",
        "麻醉总例数",
        "例",
        f"本科室手术患者实施麻醉的总例数（由麻醉科核对）。（{QC}）",
    ),
    E("ANES_GENERAL", "全身麻醉例数", "例", f"麻醉总例数中实施全身麻醉的例数。（{QC}）"),
    E(
        "ANES_COMPLICATIONS",
        "麻醉并发症发生例数",
        "例",
        f"麻醉期间及麻醉后发生麻醉相关并发症的例数。（{QC}）",
    ),
    # -- 医院感染监测（13项质控指标所需数据元）----------------------------------------------
    E(
        "HAI_INPATIENTS",
        "同期住院患者总数",
        "人",
        "观察期内住院的患者总数（期初在院人数 + 期内新入院人数）。医院感染发病率、多重耐药菌感染发现率、"
        f"住院患者抗菌药物使用率的分母。（{HAI}）",
    ),
    E(
        "HAI_NEW_CASES",
        "新发医院感染病例数",
        "例",
        f"观察期间发生医院感染的新病例数。医院感染发病率 = 新发医院感染病例数 / 同期住院患者总数 × 100%。（{HAI}）",
    ),
    E(
        "HAI_NEW_EPISODES",
        "新发医院感染例次数",
        "例次",
        f"观察期间新发医院感染的例次数（一名患者可发生多次）。医院感染例次发病率的分子。（{HAI}）",
    ),
    E(
        "HAI_PREV_INPATIENTS",
        "现患率调查住院患者数",
        "人",
        f"确定时段或时点的实查住院患者数。医院感染现患率的分母。（{HAI}）",
    ),
    E(
        "HAI_PREV_CASES",
        "现患医院感染患者数",
        "例",
        f"确定时段或时点住院患者中医院感染患者数。医院感染现患率 = 现患医院感染患者数 / 同期住院患者总数 × 100%。（{HAI}）",
    ),
    E(
        "HAI_PREV_EPISODES",
        "现患医院感染例次数",
        "例次",
        f"确定时段或时点住院患者中医院感染例次数。（{HAI}）",
    ),
    E(
        "HAI_REPORTABLE",
        "应报告医院感染病例总数",
        "例",
        f"同期应当报告的医院感染病例总数。医院感染病例漏报率的分母。（{HAI}）",
    ),
    E(
        "HAI_UNREPORTED",
        "应当报告而未报告的医院感染病例数",
        "例",
        f"医院感染病例漏报率 = 应当报告而未报告的医院感染病例数 / 同期应报告医院感染病例总数 × 100%。（{HAI}）",
    ),
    E(
        "MDRO_PATIENTS",
        "多重耐药菌感染患者数",
        "例",
        f"多重耐药菌感染发现率 = 多重耐药菌感染患者数（例次数）/ 同期住院患者总数 × 100%。（{HAI}）",
    ),
    E(
        "MDRO_ISOLATES",
        "多重耐药菌检出菌株数",
        "株",
        f"按目标病原体分列的多重耐药菌检出菌株数（MRSA、VRE、CRKP、CRAB）。多重耐药菌感染检出率的分子。（{HAI}）",
        category="PATHOGEN",
    ),
    E(
        "PATHOGEN_ISOLATES",
        "该病原体检出菌株总数",
        "株",
        "按目标病原体分列的同期该病原体检出菌株总数。多重耐药菌感染检出率 = 多重耐药菌检出菌株数 / "
        f"同期该病原体检出菌株总数 × 100%。（{HAI}）",
        category="PATHOGEN",
    ),
    E(
        "HH_OPPORTUNITIES",
        "应实施手卫生次数",
        "次",
        f"同期调查中应实施手卫生次数。医务人员手卫生依从率的分母。（{HAI}）",
    ),
    E(
        "HH_PERFORMED",
        "实际实施手卫生次数",
        "次",
        f"受调查的医务人员实际实施手卫生次数。手卫生依从率 = 实际实施手卫生次数 / 应实施手卫生次数 × 100%。（{HAI}）",
    ),
    E(
        "ABX_PATIENTS",
        "使用抗菌药物患者数",
        "人",
        f"使用抗菌药物（全身给药）的住院患者数。住院患者抗菌药物使用率 = 使用抗菌药物患者数 / 同期住院患者总数 × 100%。（{HAI}）",
    ),
    E(
        "ABX_TREATMENT_CASES",
        "使用抗菌药物治疗病例总数",
        "例",
        f"以治疗为目的使用抗菌药物的病例总数。病原学送检率的分母。（{HAI}）",
    ),
    E(
        "ABX_CULTURE_BEFORE",
        "治疗前病原学送检病例数",
        "例",
        f"抗菌药物治疗前病原学送检率 = 治疗前病原学送检病例数 / 同期使用抗菌药物治疗病例总数 × 100%。（{HAI}）",
    ),
    E("SSI_I_PATIENTS", "Ⅰ类切口手术患者总数", "人", f"同期接受Ⅰ类切口手术的患者总数。（{HAI}）"),
    E(
        "SSI_I_INFECTIONS",
        "Ⅰ类切口手术部位感染病例数",
        "例",
        f"Ⅰ类切口手术部位感染率 = 发生Ⅰ类切口手术部位感染病例数 / 同期接受Ⅰ类切口手术患者总数 × 100%。（{HAI}）",
    ),
    E(
        "SSI_I_PROPHYLAXIS",
        "Ⅰ类切口手术预防使用抗菌药物患者数",
        "人",
        f"Ⅰ类切口手术抗菌药物预防使用率 = 预防使用抗菌药物患者数 / 同期Ⅰ类切口手术患者总数 × 100%。（{HAI}）",
    ),
    E("CVC_DAYS", "血管内导管留置总天数", "天", f"同期患者使用血管内导管留置总天数。（{HAI}）"),
    E(
        "CLABSI",
        "血管内导管相关血流感染例次数",
        "例次",
        f"血管内导管相关血流感染发病率 = 感染例次数 / 同期患者使用血管内导管留置总天数 × 1000‰。（{HAI}）",
    ),
    E("VENT_DAYS", "呼吸机使用总天数", "天", f"同期患者使用呼吸机总天数。（{HAI}）"),
    E(
        "VAP",
        "呼吸机相关肺炎例次数",
        "例次",
        f"呼吸机相关肺炎发病率 = 呼吸机相关肺炎例次数 / 同期患者使用呼吸机总天数 × 1000‰。（{HAI}）",
    ),
    E("UC_DAYS", "导尿管使用总天数", "天", f"同期患者使用导尿管总天数。（{HAI}）"),
    E(
        "CAUTI",
        "导尿管相关泌尿系感染例次数",
        "例次",
        f"导尿管相关泌尿系感染发病率 = 感染例次数 / 同期患者使用导尿管总天数 × 1000‰。（{HAI}）",
    ),
    # -- 合理用药与抗菌药物 -------------------------------------------------------------
    E(
        "DDD_SUM",
        "住院患者抗菌药物消耗量（累计DDD数）",
        "DDD",
        "住院患者使用抗菌药物的累计限定日剂量（DDD）数。抗菌药物使用强度（DDDs）= 累计DDD数 × 100 / "
        f"同期收治患者人天数，国家控制目标不超过40。（{PERF}）",
        value_type=NUM,
    ),
    E(
        "ABX_PATIENT_DAYS",
        "同期收治患者人天数",
        "天",
        f"= 同期出院患者人数 × 同期出院患者平均住院天数，即出院患者住院总天数。抗菌药物使用强度的分母。（{PERF}）",
    ),
    E(
        "RX_OPD_TOTAL",
        "门诊处方总数",
        "张",
        f"报告期内门诊开具的处方总张数。点评处方占处方总数比例的分母。（{PERF}）",
    ),
    E("RX_REVIEWED", "点评处方数", "张", f"按处方点评制度抽取点评的门诊处方张数。（{PERF}）"),
    E(
        "RX_IRRATIONAL",
        "不合理处方数",
        "张",
        "点评处方中判定为不规范、用药不适宜或超常的处方张数。（医院处方点评管理规范）",
    ),
    E(
        "RX_OPD_ABX",
        "门诊抗菌药物处方数",
        "张",
        "门诊处方中含抗菌药物的处方张数。（抗菌药物临床应用管理评价指标）",
    ),
    E(
        "EDL_OPD_RX_VISITS",
        "门诊开具药物处方人次数",
        "人次",
        f"同期门诊诊疗总人次数（不包括健康体检者及未开具药物处方患者）。门诊患者基本药物处方占比的分母。（{PERF}）",
    ),
    E(
        "EDL_OPD_VISITS",
        "门诊使用基本药物人次数",
        "人次",
        f"门诊患者基本药物处方占比 = 门诊使用基本药物人次数 / 同期门诊诊疗总人次数 × 100%。（{PERF}）",
    ),
    E(
        "EDL_IP_DRUG_DISCHARGES",
        "使用药物的出院患者人次数",
        "人次",
        f"同期出院总人次数（不包括未使用药物的出院患者）。住院患者基本药物使用率的分母。（{PERF}）",
    ),
    E(
        "EDL_IP_DISCHARGES",
        "出院患者使用基本药物总人次数",
        "人次",
        f"住院患者基本药物使用率 = 出院患者使用基本药物总人次数 / 同期出院总人次数 × 100%。（{PERF}）",
    ),
    # -- 护理质量（护理敏感指标）---------------------------------------------------------
    E(
        "NUR_NURSES",
        "执业护士人数",
        "人",
        f"期末在本科室执业的注册护士人数；存量指标，汇总时取期末值。床护比的分子。（{NURSE}）",
        aggregation=LAST,
    ),
    E(
        "NUR_OPEN_BEDS",
        "实际开放床位数",
        "张",
        f"期末实际开放床位数；存量指标，汇总时取期末值。床护比 = 执业护士人数 / 实际开放床位数。（{NURSE}）",
        aggregation=LAST,
    ),
    E(
        "NUR_NURSES_LEFT",
        "护士离职人数",
        "人",
        f"报告期内离职的执业护士人数。护士离职率的分子。（{NURSE}）",
    ),
    E(
        "NUR_BED_DAYS",
        "住院患者实际占用床日数",
        "床日",
        f"同期住院患者实际占用床日数。跌倒发生率、身体约束率的分母。（{NURSE}）",
    ),
    E(
        "NUR_INPATIENTS",
        "护理单元同期住院患者总数",
        "人",
        f"同期住院患者总数，按月填报本月新入院患者数：月初已在院的患者计入其入院当月，"
        f"跨月汇总时每位患者只计一次，半年、全年的发生率与例数和出院人数相符。"
        f"院内压力性损伤发生率的分母。（{NURSE}）",
    ),
    E(
        "NUR_FALLS",
        "住院患者跌倒例次数",
        "例次",
        f"住院患者跌倒发生率 = 跌倒例次数 / 同期住院患者实际占用床日数 × 1000‰。（{NURSE}）",
    ),
    E(
        "NUR_FALL_INJURIES",
        "住院患者跌倒伤害例次数",
        "例次",
        f"跌倒例次中造成伤害（轻度及以上）的例次数。（{NURSE}）",
    ),
    E(
        "NUR_PI_NEW",
        "院内压力性损伤新发例数",
        "例",
        f"院内压力性损伤发生率 = 院内压力性损伤新发例数 / 同期住院患者总数 × 100%。（{NURSE}）",
    ),
    E(
        "NUR_TUBE_DAYS",
        "置管患者导管留置总日数",
        "天",
        f"同期置管患者各类导管留置总日数。非计划拔管发生率的分母。（{NURSE}）",
    ),
    E(
        "NUR_UEX",
        "非计划拔管例次数",
        "例次",
        f"插管患者非计划拔管发生率 = 非计划拔管例次数 / 同期导管留置总日数 × 1000‰。（{NURSE}）",
    ),
    E(
        "NUR_RESTRAINT_DAYS",
        "住院患者身体约束日数",
        "天",
        f"住院患者身体约束率 = 身体约束日数 / 同期住院患者实际占用床日数 × 100%。（{NURSE}）",
    ),
    # -- 基本公共卫生服务 -------------------------------------------------------------
    E(
        "PHS_POPULATION",
        "辖区常住人口数",
        "人",
        f"辖区内常住居民数；存量指标，汇总时取期末值。建档率的分母。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "PHS_EHR",
        "建立电子健康档案人数",
        "人",
        f"截至期末建立电子健康档案的人数。电子健康档案建档率 = 建档人数 / 辖区内常住居民数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "PHS_EHR_ACTIVE",
        "有动态记录的档案份数",
        "份",
        f"截至期末档案中有动态记录的档案份数。健康档案使用率 = 有动态记录的档案份数 / 档案总份数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "PHS_ELDERLY",
        "辖区内65岁及以上常住居民数",
        "人",
        f"存量指标，汇总时取期末值。老年人健康管理率的分母。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "PHS_ELDERLY_MANAGED",
        "年内接受健康管理的65岁及以上人数",
        "人",
        f"年内累计接受健康管理的65岁及以上人数（每年1月重新累计）。老年人健康管理率 = 年内接受健康管理人数 / 年内辖区内65岁及以上常住居民数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "HTN_ESTIMATED",
        "辖区内高血压患者估算总数",
        "人",
        f"辖区常住成年人口总数 × 成年人高血压患病率；存量指标，汇总时取期末值。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "HTN_MANAGED",
        "年内已管理的高血压患者人数",
        "人",
        f"高血压患者管理率 = 年内已管理的高血压患者人数 / 年内辖区内高血压患者总人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "HTN_STANDARD",
        "按照规范要求进行高血压患者健康管理的人数",
        "人",
        f"高血压患者规范管理率 = 规范管理人数 / 年内已管理的高血压患者人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "HTN_CONTROLLED",
        "最近一次随访血压达标人数",
        "人",
        f"管理人群血压控制率 = 年内最近一次随访血压达标人数 / 年内已管理的高血压患者人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "T2D_ESTIMATED",
        "辖区内2型糖尿病患者估算总数",
        "人",
        f"辖区常住成年人口总数 × 成年人2型糖尿病患病率；存量指标，汇总时取期末值。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "T2D_MANAGED",
        "年内已管理的2型糖尿病患者人数",
        "人",
        f"2型糖尿病患者管理率 = 年内已管理人数 / 年内辖区内2型糖尿病患者总人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "T2D_STANDARD",
        "按照规范要求进行2型糖尿病患者健康管理的人数",
        "人",
        f"2型糖尿病患者规范管理率 = 规范管理人数 / 年内已管理的2型糖尿病患者人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "T2D_CONTROLLED",
        "最近一次随访空腹血糖达标人数",
        "人",
        f"管理人群血糖控制率 = 最近一次随访空腹血糖达标人数 / 年内已管理的2型糖尿病患者人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "SMI_REGISTERED",
        "登记在册的确诊严重精神障碍患者人数",
        "人",
        f"年内辖区内登记在册的确诊严重精神障碍患者人数。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "SMI_STANDARD",
        "按照规范要求进行管理的严重精神障碍患者人数",
        "人",
        f"严重精神障碍患者规范管理率 = 规范管理人数 / 登记在册的确诊严重精神障碍患者人数 × 100%。（{PHS}）",
        aggregation=LAST,
    ),
    E(
        "TB_NOTIFIED",
        "确诊并通知基层管理的肺结核患者人数",
        "人",
        f"经上级定点医疗机构确诊并通知基层医疗卫生机构管理的肺结核患者人数。（{PHS}）",
    ),
    E(
        "TB_MANAGED",
        "已管理的肺结核患者人数",
        "人",
        f"肺结核患者管理率 = 已管理的肺结核患者人数 / 确诊并通知基层管理的肺结核患者人数 × 100%。（{PHS}）",
    ),
    E(
        "HE_LECTURES",
        "健康知识讲座次数",
        "次",
        f"举办健康知识讲座的次数（每年不少于12次）。（{PHS}）",
    ),
    E(
        "HE_LECTURE_ATTENDEES",
        "健康知识讲座参加人数",
        "人次",
        f"参加健康知识讲座的人次数。（{PHS}）",
    ),
    E(
        "HE_CONSULTATIONS",
        "公众健康咨询活动次数",
        "次",
        f"利用卫生日等开展公众健康咨询活动的次数（每年不少于9次）。（{PHS}）",
    ),
    E(
        "HE_CONSULT_ATTENDEES",
        "公众健康咨询活动参加人数",
        "人次",
        f"参加公众健康咨询活动的人次数。（{PHS}）",
    ),
    E(
        "HE_BOARD_UPDATES",
        "健康教育宣传栏更新次数",
        "次",
        f"健康教育宣传栏更换内容的次数（每2个月不少于1次）。（{PHS}）",
    ),
    E(
        "HE_MATERIALS",
        "发放健康教育印刷资料份数",
        "份",
        f"发放健康教育折页、处方、手册等印刷资料的份数。（{PHS}）",
    ),
    # -- 妇幼保健 ---------------------------------------------------------------------
    E(
        "MCH_LIVE_BIRTHS",
        "活产数",
        "人",
        f"辖区内报告期活产数。早孕建册率、产后访视率、新生儿访视率等的分母。（{MCH}）",
    ),
    E(
        "MCH_EARLY_REG",
        "早孕建册人数",
        "人",
        f"辖区内孕13周之前建册并进行第一次产前检查的产妇人数。早孕建册率 = 早孕建册人数 / 活产数 × 100%。（{MCH}）",
    ),
    E(
        "MCH_SYS_MANAGED",
        "孕产妇系统管理人数",
        "人",
        f"早孕建册、孕期产前检查≥5次、住院分娩且产后访视的产妇人数。孕产妇系统管理率 = 系统管理人数 / 活产数 × 100%。（{MCH}）",
    ),
    E(
        "MCH_POSTPARTUM_VISITS",
        "产后访视人数",
        "人",
        f"产妇出院后28天内接受过产后访视的产妇人数。产后访视率 = 产后访视人数 / 活产数 × 100%。（{MCH}）",
    ),
    E(
        "MCH_HOSP_DELIVERIES",
        "住院分娩活产数",
        "人",
        f"在取得助产技术资质的机构分娩的活产数。住院分娩率的分子。（{MCH}）",
    ),
    E(
        "MCH_MATERNAL_DEATHS",
        "孕产妇死亡数",
        "人",
        f"妊娠期至妊娠结束后42天内死亡的妇女人数。孕产妇死亡率（/10万活产）的分子。（{MCH}）",
    ),
    E(
        "MCH_NEWBORN_VISITS",
        "新生儿访视人数",
        "人",
        f"按照规范要求接受1次及以上访视的新生儿人数。新生儿访视率 = 新生儿访视人数 / 活产数 × 100%。（{MCH}）",
    ),
    E(
        "MCH_CHILDREN_0_6",
        "辖区内0–6岁儿童数",
        "人",
        f"存量指标，汇总时取期末值。儿童健康管理率的分母。（{MCH}）",
        aggregation=LAST,
    ),
    E(
        "MCH_CHILDREN_0_6_FOLLOWED",
        "接受1次及以上随访的0–6岁儿童数",
        "人",
        f"儿童健康管理率 = 接受1次及以上随访的0–6岁儿童数 / 0–6岁儿童数 × 100%。（{MCH}）",
        aggregation=LAST,
    ),
    E(
        "MCH_CHILDREN_U3",
        "辖区内3岁以下儿童数",
        "人",
        f"存量指标，汇总时取期末值。3岁以下儿童系统管理率的分母。（{MCH}）",
        aggregation=LAST,
    ),
    E(
        "MCH_CHILDREN_U3_SYS",
        "3岁以下儿童系统管理人数",
        "人",
        f"3岁以下儿童系统管理率 = 系统管理人数 / 3岁以下儿童数 × 100%。（{MCH}）",
        aggregation=LAST,
    ),
    E(
        "MCH_INFANT_DEATHS",
        "婴儿死亡数",
        "人",
        f"出生至不满1周岁的活产婴儿死亡人数。婴儿死亡率（‰）的分子。（{MCH}）",
    ),
    E(
        "MCH_U5_DEATHS",
        "5岁以下儿童死亡数",
        "人",
        f"出生至不满5周岁的儿童死亡人数（含婴儿死亡）。（{MCH}）",
    ),
    # -- 家庭医生签约服务 ---------------------------------------------------------------
    E(
        "FDS_SIGNED",
        "家庭医生签约居民人数",
        "人",
        f"截至期末签约服务协议在有效期内的辖区常住居民人数；存量指标，汇总时取期末值。家庭医生签约服务覆盖率 = 签约居民人数 / 辖区常住人口数 × 100%。（{FDS}）",
        aggregation=LAST,
    ),
    E(
        "FDS_KEY_POPULATION",
        "辖区重点人群人数",
        "人",
        f"辖区常住居民中的重点人群（65岁及以上老年人、高血压和2型糖尿病患者、严重精神障碍患者、肺结核患者、孕产妇、0—6岁儿童、残疾人等，一人只计一次）；存量指标，汇总时取期末值。重点人群签约率的分母。（{FDS}）",
        aggregation=LAST,
    ),
    E(
        "FDS_KEY_SIGNED",
        "重点人群签约人数",
        "人",
        f"截至期末签约服务协议在有效期内的重点人群人数；存量指标，汇总时取期末值。重点人群签约率 = 重点人群签约人数 / 辖区重点人群人数 × 100%。（{FDS}）",
        aggregation=LAST,
    ),
    E(
        "FDS_SERVICES",
        "签约履约服务人次",
        "人次",
        f"报告期内家庭医生团队按签约服务包为签约居民提供的健康评估、随访、上门服务、用药指导等服务人次。（{FDS}）",
    ),
    # -- 预防接种 ---------------------------------------------------------------------
    E(
        "IMM_CERT_DUE",
        "应建立预防接种证人数",
        "人",
        f"辖区内应建立预防接种证的儿童人数。建证率的分母。（{IMM}）",
    ),
    E(
        "IMM_CERT_DONE",
        "建立预防接种证人数",
        "人",
        f"建证率 = 建立预防接种证人数 / 应建立预防接种证人数 × 100%。（{IMM}）",
    ),
    E(
        "IMM_DUE",
        "应种人数",
        "人",
        f"按疫苗分列的免疫规划疫苗应接种人数。某种疫苗接种率的分母。（{IMM}）",
        category="VACCINE",
    ),
    E(
        "IMM_DONE",
        "实种人数",
        "人",
        f"按疫苗分列的免疫规划疫苗实际接种人数。某种疫苗接种率 = 实种人数 / 应种人数 × 100%。（{IMM}）",
        category="VACCINE",
    ),
    E(
        "AEFI_REPORTS",
        "疑似预防接种异常反应报告例数",
        "例",
        f"报告期内报告的疑似预防接种异常反应（AEFI）例数。（{AEFI}）",
    ),
    # -- 财务收支（万元）-----------------------------------------------------------------
    E(
        "FIN_TOTAL_INCOME",
        "总收入",
        "万元",
        f"医疗收入、财政拨款收入和其他收入之和。万元收入能耗支出的分母。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_MEDICAL_INCOME",
        "医疗收入",
        "万元",
        f"门诊收入与住院收入之和。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_OPD_INCOME",
        "门诊收入",
        "万元",
        f"门诊收入占医疗收入比例的分子；门诊次均费用 = 门诊收入 / 门诊人次。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_IP_INCOME",
        "住院收入",
        "万元",
        f"住院收入占医疗收入比例的分子；住院次均费用 = 住院收入 / 出院人次。（{FIN}）",
        value_type=NUM,
    ),
    E("FIN_DRUG_INCOME", "药品收入", "万元", f"门诊与住院药品收入之和。（{FIN}）", value_type=NUM),
    E(
        "FIN_OPD_DRUG_INCOME",
        "门诊药品收入",
        "万元",
        f"门诊次均药品费用的分子。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_IP_DRUG_INCOME",
        "住院药品收入",
        "万元",
        f"住院次均药品费用的分子。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_MATERIAL_INCOME",
        "卫生材料收入",
        "万元",
        f"耗材收入。医疗服务收入 = 医疗收入 − 药品、耗材、检查检验收入。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_EXAM_INCOME",
        "检查检验收入",
        "万元",
        f"检查收入与化验收入之和。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_OPD_INSURANCE",
        "门诊收入中来自医保基金的收入",
        "万元",
        f"门诊收入中来自医保基金的比例的分子。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_IP_INSURANCE",
        "住院收入中来自医保基金的收入",
        "万元",
        f"住院收入中来自医保基金的比例的分子。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_FISCAL_INCOME",
        "财政拨款收入",
        "万元",
        f"含基本公共卫生服务补助资金。（{FIN}）",
        value_type=NUM,
    ),
    E("FIN_OTHER_INCOME", "其他收入", "万元", f"科教、利息等其他收入。（{FIN}）", value_type=NUM),
    E(
        "FIN_TOTAL_EXPENSE",
        "总支出",
        "万元",
        f"业务支出与管理费用等之和。收支结余 = 总收入 − 总支出。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_BUSINESS_EXPENSE",
        "业务支出",
        "万元",
        f"业务活动费用。人员支出占业务支出比重的分母。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_STAFF_EXPENSE",
        "人员支出",
        "万元",
        f"人员支出占业务支出比重 = 人员支出 / 业务支出 × 100%。（{FIN}）",
        value_type=NUM,
    ),
    E(
        "FIN_ENERGY_EXPENSE",
        "能耗支出",
        "万元",
        f"水、电、气、燃料等能耗支出。万元收入能耗支出 = 能耗支出 / 总收入 × 10000。（{FIN}）",
        value_type=NUM,
    ),
)

S = Section

FORMS = (
    FormSpec(
        "WORKLOAD",
        "门急诊与住院工作量月报",
        "临床科室与基层医疗卫生机构每月报送的门急诊、住院和床位工作量。",
        (
            S("门急诊", ("OPD_VISITS", "ER_VISITS")),
            S("住院", ("ADMISSIONS", "DISCHARGES", "DISCHARGE_DEATHS", "INPATIENTS_END")),
            S("床位", ("BEDS", "OPEN_BED_DAYS", "OCC_BED_DAYS", "DIS_BED_DAYS")),
        ),
        groups=("DEPT_CLINICAL", "PRIMARY_CARE"),
    ),
    FormSpec(
        "SURGERY",
        "手术与麻醉月报",
        "手术科室每月报送的出院患者手术、分级手术、微创与日间手术及麻醉情况。",
        (
            S(
                "手术",
                (
                    "SURG_PATIENTS",
                    "SURG_LEVEL4",
                    "SURG_LEVEL3",
                    "SURG_MIS",
                    "SURG_ELECTIVE",
                    "SURG_DAY",
                    "SURG_COMPLICATIONS",
                    "SURG_INCISION_I",
                    "SURG_REOPERATION",
                ),
            ),
            S("麻醉", ("ANES_TOTAL", "ANES_GENERAL", "ANES_COMPLICATIONS")),
        ),
        groups=("DEPT_SURGICAL",),
    ),
    FormSpec(
        "HAI",
        "医院感染监测月报",
        f"设床位的临床科室每月报送，涵盖{HAI}13项指标所需的全部数据。",
        (
            S(
                "发病与现患",
                (
                    "HAI_INPATIENTS",
                    "HAI_NEW_CASES",
                    "HAI_NEW_EPISODES",
                    "HAI_PREV_INPATIENTS",
                    "HAI_PREV_CASES",
                    "HAI_PREV_EPISODES",
                    "HAI_REPORTABLE",
                    "HAI_UNREPORTED",
                ),
            ),
            S("多重耐药菌", ("MDRO_PATIENTS", "MDRO_ISOLATES", "PATHOGEN_ISOLATES")),
            S("手卫生", ("HH_OPPORTUNITIES", "HH_PERFORMED")),
            S("抗菌药物使用与送检", ("ABX_PATIENTS", "ABX_TREATMENT_CASES", "ABX_CULTURE_BEFORE")),
            S("Ⅰ类切口手术", ("SSI_I_PATIENTS", "SSI_I_INFECTIONS", "SSI_I_PROPHYLAXIS")),
            S("器械相关感染", ("CVC_DAYS", "CLABSI", "VENT_DAYS", "VAP", "UC_DAYS", "CAUTI")),
        ),
        groups=("DEPT_INPATIENT",),
    ),
    FormSpec(
        "DRUG",
        "合理用药与抗菌药物月报",
        "临床科室每月报送的抗菌药物使用强度、处方点评与基本药物使用数据。",
        (
            S("抗菌药物使用强度", ("DDD_SUM", "ABX_PATIENT_DAYS")),
            S("处方点评", ("RX_OPD_TOTAL", "RX_REVIEWED", "RX_IRRATIONAL", "RX_OPD_ABX")),
            S(
                "基本药物",
                (
                    "EDL_OPD_RX_VISITS",
                    "EDL_OPD_VISITS",
                    "EDL_IP_DRUG_DISCHARGES",
                    "EDL_IP_DISCHARGES",
                ),
            ),
        ),
        groups=("DEPT_CLINICAL",),
    ),
    FormSpec(
        "NURSING",
        "护理质量月报",
        f"设床位的临床科室（护理单元）每月报送的护理人力与护理敏感质量指标数据。（{NURSE}）",
        (
            S("护理人力", ("NUR_NURSES", "NUR_OPEN_BEDS", "NUR_NURSES_LEFT")),
            S(
                "护理敏感指标",
                (
                    "NUR_BED_DAYS",
                    "NUR_INPATIENTS",
                    "NUR_FALLS",
                    "NUR_FALL_INJURIES",
                    "NUR_PI_NEW",
                    "NUR_TUBE_DAYS",
                    "NUR_UEX",
                    "NUR_RESTRAINT_DAYS",
                ),
            ),
        ),
        groups=("DEPT_INPATIENT",),
    ),
    FormSpec(
        "PHS",
        "基本公共卫生服务月报",
        f"乡镇卫生院、社区卫生服务中心按辖区报送；管理人数为截至期末的累计数。（{PHS}）",
        (
            S("居民健康档案", ("PHS_POPULATION", "PHS_EHR", "PHS_EHR_ACTIVE")),
            S("老年人健康管理", ("PHS_ELDERLY", "PHS_ELDERLY_MANAGED")),
            S(
                "高血压患者健康管理",
                ("HTN_ESTIMATED", "HTN_MANAGED", "HTN_STANDARD", "HTN_CONTROLLED"),
            ),
            S(
                "2型糖尿病患者健康管理",
                ("T2D_ESTIMATED", "T2D_MANAGED", "T2D_STANDARD", "T2D_CONTROLLED"),
            ),
            S("严重精神障碍患者管理", ("SMI_REGISTERED", "SMI_STANDARD")),
            S("肺结核患者健康管理", ("TB_NOTIFIED", "TB_MANAGED")),
            S(
                "家庭医生签约服务",
                ("FDS_SIGNED", "FDS_KEY_POPULATION", "FDS_KEY_SIGNED", "FDS_SERVICES"),
            ),
            S(
                "健康教育",
                (
                    "HE_LECTURES",
                    "HE_LECTURE_ATTENDEES",
                    "HE_CONSULTATIONS",
                    "HE_CONSULT_ATTENDEES",
                    "HE_BOARD_UPDATES",
                    "HE_MATERIALS",
                ),
            ),
        ),
        groups=("PRIMARY_CARE",),
    ),
    FormSpec(
        "MCH",
        "妇幼保健月报",
        "乡镇卫生院按辖区报送；城区（东城、西城街道）的孕产妇和儿童由区妇幼保健院直接管理并报送。",
        (
            S(
                "孕产妇保健",
                (
                    "MCH_LIVE_BIRTHS",
                    "MCH_EARLY_REG",
                    "MCH_SYS_MANAGED",
                    "MCH_POSTPARTUM_VISITS",
                    "MCH_HOSP_DELIVERIES",
                    "MCH_MATERNAL_DEATHS",
                ),
            ),
            S(
                "儿童保健",
                (
                    "MCH_NEWBORN_VISITS",
                    "MCH_CHILDREN_0_6",
                    "MCH_CHILDREN_0_6_FOLLOWED",
                    "MCH_CHILDREN_U3",
                    "MCH_CHILDREN_U3_SYS",
                    "MCH_INFANT_DEATHS",
                    "MCH_U5_DEATHS",
                ),
            ),
        ),
        groups=("TOWNSHIP_HC",),
        units=("FYBJY",),
    ),
    FormSpec(
        "IMM",
        "预防接种月报",
        f"乡镇卫生院、社区卫生服务中心的预防接种门诊按辖区报送；疾控中心汇总审核，不重复填报。（{IMM}）",
        (
            S("预防接种证", ("IMM_CERT_DUE", "IMM_CERT_DONE")),
            S("免疫规划疫苗接种", ("IMM_DUE", "IMM_DONE")),
            S("疑似预防接种异常反应", ("AEFI_REPORTS",)),
        ),
        groups=("PRIMARY_CARE",),
    ),
    FormSpec(
        "FINANCE",
        "财务收支月报",
        "医院与基层医疗卫生机构以法人单位（机构本级）报送，金额单位为万元，保留两位小数。",
        (
            S(
                "收入",
                (
                    "FIN_TOTAL_INCOME",
                    "FIN_MEDICAL_INCOME",
                    "FIN_OPD_INCOME",
                    "FIN_IP_INCOME",
                    "FIN_DRUG_INCOME",
                    "FIN_OPD_DRUG_INCOME",
                    "FIN_IP_DRUG_INCOME",
                    "FIN_MATERIAL_INCOME",
                    "FIN_EXAM_INCOME",
                    "FIN_OPD_INSURANCE",
                    "FIN_IP_INSURANCE",
                    "FIN_FISCAL_INCOME",
                    "FIN_OTHER_INCOME",
                ),
            ),
            S(
                "支出",
                (
                    "FIN_TOTAL_EXPENSE",
                    "FIN_BUSINESS_EXPENSE",
                    "FIN_STAFF_EXPENSE",
                    "FIN_ENERGY_EXPENSE",
                ),
            ),
        ),
        due_days=10,
        groups=("HOSP_L2", "PRIMARY_CARE"),
    ),
)

C = Check

# Internal consistency of one unit's figures in one period. The generator keeps every stored
# value within these; the tests check them over all stored values; a returned report's reason
# quotes the message.
CHECKS = (
    # workload
    C(("DISCHARGE_DEATHS",), ("DISCHARGES",), "出院患者死亡人数大于出院人次"),
    C(("OCC_BED_DAYS",), ("OPEN_BED_DAYS",), "实际占用总床日数大于实际开放总床日数"),
    C(("INPATIENTS_END",), ("BEDS",), "期末在院人数大于实有床位数"),
    # surgery
    C(("SURG_PATIENTS",), ("DISCHARGES",), "出院患者手术人数大于出院人次"),
    C(
        ("SURG_LEVEL4", "SURG_LEVEL3"),
        ("SURG_PATIENTS",),
        "三、四级手术台次合计大于出院患者手术人数",
    ),
    C(("SURG_LEVEL4",), ("SURG_PATIENTS",), "四级手术台次数大于出院患者手术人数"),
    C(("SURG_MIS",), ("SURG_PATIENTS",), "微创手术台次数大于出院患者手术人数"),
    C(("SURG_ELECTIVE",), ("SURG_PATIENTS",), "择期手术台次数大于出院患者手术人数"),
    C(("SURG_DAY",), ("SURG_ELECTIVE",), "日间手术台次数大于择期手术台次数"),
    C(("SURG_COMPLICATIONS",), ("SURG_PATIENTS",), "手术患者并发症发生例数大于出院患者手术人数"),
    C(("SURG_INCISION_I",), ("SURG_PATIENTS",), "Ⅰ类切口手术台次数大于出院患者手术人数"),
    C(("SURG_REOPERATION",), ("SURG_PATIENTS",), "非计划重返手术室再手术例数大于出院患者手术人数"),
    C(("ANES_GENERAL",), ("ANES_TOTAL",), "全身麻醉例数大于麻醉总例数"),
    C(("ANES_COMPLICATIONS",), ("ANES_TOTAL",), "麻醉并发症发生例数大于麻醉总例数"),
    # infection
    C(("ADMISSIONS",), ("HAI_INPATIENTS",), "同期住院患者总数小于入院人次"),
    C(("HAI_NEW_CASES",), ("HAI_INPATIENTS",), "新发医院感染病例数大于同期住院患者总数"),
    C(("HAI_NEW_CASES",), ("HAI_NEW_EPISODES",), "新发医院感染病例数大于例次数"),
    C(("HAI_PREV_INPATIENTS",), ("HAI_INPATIENTS",), "现患率调查住院患者数大于同期住院患者总数"),
    C(("HAI_PREV_CASES",), ("HAI_PREV_INPATIENTS",), "现患医院感染患者数大于现患率调查住院患者数"),
    C(("HAI_PREV_CASES",), ("HAI_PREV_EPISODES",), "现患医院感染患者数大于例次数"),
    C(("HAI_UNREPORTED",), ("HAI_REPORTABLE",), "未报告的医院感染病例数大于应报告病例总数"),
    C(("MDRO_PATIENTS",), ("HAI_INPATIENTS",), "多重耐药菌感染患者数大于同期住院患者总数"),
    C(
        ("MDRO_ISOLATES",),
        ("PATHOGEN_ISOLATES",),
        "多重耐药菌检出菌株数大于该病原体检出菌株总数",
        per_option=True,
    ),
    C(("HH_PERFORMED",), ("HH_OPPORTUNITIES",), "实际实施手卫生次数大于应实施手卫生次数"),
    C(("ABX_PATIENTS",), ("HAI_INPATIENTS",), "使用抗菌药物患者数大于同期住院患者总数"),
    C(
        ("ABX_TREATMENT_CASES",),
        ("ABX_PATIENTS",),
        "使用抗菌药物治疗病例总数大于使用抗菌药物患者数",
    ),
    C(
        ("ABX_CULTURE_BEFORE",),
        ("ABX_TREATMENT_CASES",),
        "治疗前病原学送检病例数大于使用抗菌药物治疗病例总数",
    ),
    C(
        ("SSI_I_INFECTIONS",),
        ("SSI_I_PATIENTS",),
        "Ⅰ类切口手术部位感染病例数大于Ⅰ类切口手术患者总数",
    ),
    C(
        ("SSI_I_PROPHYLAXIS",),
        ("SSI_I_PATIENTS",),
        "Ⅰ类切口手术预防使用抗菌药物患者数大于Ⅰ类切口手术患者总数",
    ),
    C(("SSI_I_PATIENTS",), ("SURG_INCISION_I",), "Ⅰ类切口手术患者总数大于Ⅰ类切口手术台次数"),
    C(
        ("SSI_I_INFECTIONS", "CLABSI", "VAP", "CAUTI"),
        ("HAI_NEW_EPISODES",),
        "切口及器械相关感染例次合计大于新发医院感染例次数",
    ),
    C(("CVC_DAYS",), ("OCC_BED_DAYS",), "血管内导管留置总天数大于实际占用总床日数"),
    C(("VENT_DAYS",), ("OCC_BED_DAYS",), "呼吸机使用总天数大于实际占用总床日数"),
    C(("UC_DAYS",), ("OCC_BED_DAYS",), "导尿管使用总天数大于实际占用总床日数"),
    C(("CLABSI",), ("CVC_DAYS",), "血管内导管相关血流感染例次数大于导管留置总天数"),
    C(("VAP",), ("VENT_DAYS",), "呼吸机相关肺炎例次数大于呼吸机使用总天数"),
    C(("CAUTI",), ("UC_DAYS",), "导尿管相关泌尿系感染例次数大于导尿管使用总天数"),
    # drugs
    C(
        ("ABX_PATIENT_DAYS",),
        ("DIS_BED_DAYS",),
        "同期收治患者人天数与出院者占用总床日数不一致",
        op="==",
    ),
    C(("RX_REVIEWED",), ("RX_OPD_TOTAL",), "点评处方数大于门诊处方总数"),
    C(("RX_IRRATIONAL",), ("RX_REVIEWED",), "不合理处方数大于点评处方数"),
    C(("RX_OPD_ABX",), ("RX_OPD_TOTAL",), "门诊抗菌药物处方数大于门诊处方总数"),
    C(("EDL_OPD_RX_VISITS",), ("OPD_VISITS",), "门诊开具药物处方人次数大于门诊人次"),
    C(
        ("EDL_OPD_VISITS",),
        ("EDL_OPD_RX_VISITS",),
        "门诊使用基本药物人次数大于门诊开具药物处方人次数",
    ),
    C(("EDL_IP_DRUG_DISCHARGES",), ("DISCHARGES",), "使用药物的出院患者人次数大于出院人次"),
    C(
        ("EDL_IP_DISCHARGES",),
        ("EDL_IP_DRUG_DISCHARGES",),
        "出院患者使用基本药物总人次数大于使用药物的出院患者人次数",
    ),
    # nursing
    C(("NUR_OPEN_BEDS",), ("BEDS",), "实际开放床位数大于实有床位数"),
    C(("NUR_BED_DAYS",), ("OCC_BED_DAYS",), "护理单元实际占用床日数与工作量月报不一致", op="=="),
    C(
        ("NUR_INPATIENTS",),
        ("ADMISSIONS",),
        "护理单元同期住院患者总数与工作量月报入院人次不一致",
        op="==",
    ),
    C(("NUR_FALL_INJURIES",), ("NUR_FALLS",), "跌倒伤害例次数大于跌倒例次数"),
    C(("NUR_FALLS",), ("NUR_BED_DAYS",), "跌倒例次数大于实际占用床日数"),
    C(("NUR_PI_NEW",), ("NUR_INPATIENTS",), "院内压力性损伤新发例数大于同期住院患者总数"),
    C(
        ("CVC_DAYS", "UC_DAYS", "VENT_DAYS"),
        ("NUR_TUBE_DAYS",),
        "血管内导管、导尿管、呼吸机天数合计大于导管留置总日数",
    ),
    C(("NUR_UEX",), ("NUR_TUBE_DAYS",), "非计划拔管例次数大于导管留置总日数"),
    C(("NUR_RESTRAINT_DAYS",), ("NUR_BED_DAYS",), "身体约束日数大于实际占用床日数"),
    # basic public health
    C(("PHS_EHR",), ("PHS_POPULATION",), "建立电子健康档案人数大于辖区常住人口数"),
    C(("FDS_SIGNED",), ("PHS_POPULATION",), "家庭医生签约居民人数大于辖区常住人口数"),
    C(("FDS_KEY_POPULATION",), ("PHS_POPULATION",), "辖区重点人群人数大于辖区常住人口数"),
    C(("FDS_KEY_SIGNED",), ("FDS_KEY_POPULATION",), "重点人群签约人数大于辖区重点人群人数"),
    C(("FDS_KEY_SIGNED",), ("FDS_SIGNED",), "重点人群签约人数大于签约居民人数"),
    C(("PHS_EHR_ACTIVE",), ("PHS_EHR",), "有动态记录的档案份数大于建档人数"),
    C(("PHS_ELDERLY",), ("PHS_POPULATION",), "65岁及以上常住居民数大于常住人口数"),
    C(
        ("PHS_ELDERLY_MANAGED",),
        ("PHS_ELDERLY",),
        "接受健康管理的65岁及以上人数大于65岁及以上常住居民数",
    ),
    C(("HTN_MANAGED",), ("HTN_ESTIMATED",), "已管理的高血压患者人数大于估算总数"),
    C(("HTN_STANDARD",), ("HTN_MANAGED",), "高血压规范管理人数大于已管理人数"),
    C(("HTN_CONTROLLED",), ("HTN_STANDARD",), "血压达标人数大于规范管理人数"),
    C(("T2D_MANAGED",), ("T2D_ESTIMATED",), "已管理的2型糖尿病患者人数大于估算总数"),
    C(("T2D_STANDARD",), ("T2D_MANAGED",), "2型糖尿病规范管理人数大于已管理人数"),
    C(("T2D_CONTROLLED",), ("T2D_STANDARD",), "血糖达标人数大于规范管理人数"),
    C(("SMI_STANDARD",), ("SMI_REGISTERED",), "严重精神障碍规范管理人数大于登记在册人数"),
    C(("TB_MANAGED",), ("TB_NOTIFIED",), "已管理的肺结核患者人数大于通知管理人数"),
    # maternal and child health
    C(("MCH_EARLY_REG",), ("MCH_LIVE_BIRTHS",), "早孕建册人数大于活产数"),
    C(("MCH_SYS_MANAGED",), ("MCH_LIVE_BIRTHS",), "孕产妇系统管理人数大于活产数"),
    C(("MCH_POSTPARTUM_VISITS",), ("MCH_LIVE_BIRTHS",), "产后访视人数大于活产数"),
    C(("MCH_HOSP_DELIVERIES",), ("MCH_LIVE_BIRTHS",), "住院分娩活产数大于活产数"),
    C(("MCH_NEWBORN_VISITS",), ("MCH_LIVE_BIRTHS",), "新生儿访视人数大于活产数"),
    C(("MCH_INFANT_DEATHS",), ("MCH_U5_DEATHS",), "婴儿死亡数大于5岁以下儿童死亡数"),
    C(("MCH_CHILDREN_U3",), ("MCH_CHILDREN_0_6",), "3岁以下儿童数大于0–6岁儿童数"),
    C(
        ("MCH_CHILDREN_0_6_FOLLOWED",),
        ("MCH_CHILDREN_0_6",),
        "接受随访的0–6岁儿童数大于0–6岁儿童数",
    ),
    C(("MCH_CHILDREN_U3_SYS",), ("MCH_CHILDREN_U3",), "3岁以下儿童系统管理人数大于3岁以下儿童数"),
    # immunisation
    C(("IMM_CERT_DONE",), ("IMM_CERT_DUE",), "建立预防接种证人数大于应建证人数"),
    C(("IMM_DONE",), ("IMM_DUE",), "实种人数大于应种人数", per_option=True),
    # finance
    C(
        ("FIN_OPD_INCOME", "FIN_IP_INCOME"),
        ("FIN_MEDICAL_INCOME",),
        "门诊收入与住院收入之和不等于医疗收入",
        op="==",
    ),
    C(
        ("FIN_MEDICAL_INCOME", "FIN_FISCAL_INCOME", "FIN_OTHER_INCOME"),
        ("FIN_TOTAL_INCOME",),
        "医疗收入、财政拨款收入与其他收入之和不等于总收入",
        op="==",
    ),
    C(
        ("FIN_OPD_DRUG_INCOME", "FIN_IP_DRUG_INCOME"),
        ("FIN_DRUG_INCOME",),
        "门诊与住院药品收入之和不等于药品收入",
        op="==",
    ),
    C(
        ("FIN_DRUG_INCOME", "FIN_MATERIAL_INCOME", "FIN_EXAM_INCOME"),
        ("FIN_MEDICAL_INCOME",),
        "药品、卫生材料、检查检验收入合计大于医疗收入",
    ),
    C(("FIN_OPD_DRUG_INCOME",), ("FIN_OPD_INCOME",), "门诊药品收入大于门诊收入"),
    C(("FIN_IP_DRUG_INCOME",), ("FIN_IP_INCOME",), "住院药品收入大于住院收入"),
    C(("FIN_OPD_INSURANCE",), ("FIN_OPD_INCOME",), "门诊医保基金收入大于门诊收入"),
    C(("FIN_IP_INSURANCE",), ("FIN_IP_INCOME",), "住院医保基金收入大于住院收入"),
    C(("FIN_BUSINESS_EXPENSE",), ("FIN_TOTAL_EXPENSE",), "业务支出大于总支出"),
    C(("FIN_STAFF_EXPENSE",), ("FIN_BUSINESS_EXPENSE",), "人员支出大于业务支出"),
    C(("FIN_ENERGY_EXPENSE",), ("FIN_BUSINESS_EXPENSE",), "能耗支出大于业务支出"),
)

ELEMENTS_BY_CODE = {e.code: e for e in ELEMENTS}
FORMS_BY_CODE = {f.code: f for f in FORMS}
CATEGORIES_BY_CODE = {c.code: c for c in CATEGORIES}


def cell_keys(form: FormSpec) -> list[tuple[str, str]]:
    """(element code, option code) of every input box of the form, in form order."""
    keys = []
    for code in form.element_codes:
        category = ELEMENTS_BY_CODE[code].category
        if category is None:
            keys.append((code, "default"))
        else:
            keys.extend((code, o.code) for o in CATEGORIES_BY_CODE[category].options)
    return keys
