"""The short Chinese help pages, one per area (what the page is for, who does what when), and
which area each page belongs to (the 帮助 link in the header). Plain data, Django-free."""

from __future__ import annotations

AREAS: dict[str, dict] = {
    "board": {
        "title": "我的待办",
        "what": "登录后的第一页：列出您需要处理的事——到期和逾期未报的报表、被退回待修改的报表、等您审核的报表，以及检查任务、整改通知和台账提醒。",
        "who": [
            (
                "科室填报员",
                "每月初看“逾期未报”和“即将到期”，点报表名称进入填报；“已退回”的按退回原因修改后重新上报。",
            ),
            ("审核员", "看“待审核”，点报表名称进入审核；也可到“报表审核”批量处理。"),
            ("检查员", "看本期待检查的单位、逾期整改（红色）和待复查的整改通知。"),
        ],
    },
    "entry": {
        "title": "报表填报与上报",
        "what": "按月（季、年）填报本单位的报表，保存后可继续修改，“保存并上报”后等待上级审核。",
        "who": [
            (
                "科室填报员",
                "逐项填写，旁边的“上期”“去年同期”供核对；黄色框是尚未填写的必填项。填完点“保存并上报”，确认后上报。",
            ),
            (
                "填报员（退回后）",
                "按退回原因修改，填写修改说明后重新上报；修改会被记录，审核员能看到改了哪些。",
            ),
            (
                "审核员",
                "在页面下方“审核”处审核通过或退回（退回须写原因）；审核通过后可点“下一份待审”继续。",
            ),
        ],
        "tips": [
            "可下载 Excel 离线填写后上传；文件有任何错误时不会导入任何数据。",
            "“打印 / 另存为 PDF”可打印签字存档。",
        ],
    },
    "review": {
        "title": "报表审核",
        "what": "下级单位上报的报表，按状态、报表、单位、期间筛选和查找，分页显示。",
        "who": [
            (
                "审核员",
                "勾选报表后“勾选的报表审核通过”可批量审核，每一份都和单份审核一样检查；您填报或上报过的报表不能由您审核。",
            ),
            ("审核员", "“开始审核”打开最早上报的一份，审核后点“下一份待审”依次处理。"),
        ],
        "tips": ["“导出 Excel”导出当前筛选条件下的全部报表。"],
    },
    "completeness": {
        "title": "上报情况与催报",
        "what": "每张报表在某一期间的应报、已报、按时单位数，上报率和及时率，以及未报和逾期单位。",
        "who": [
            (
                "审核员",
                "截止日期过后，在报表明细页点“催报”，系统通过各单位设置的企业微信、钉钉群机器人或邮件发出催报；同一单位同一天只发一次。",
            ),
            ("机构管理员", "在“提醒设置”中设置本单位的接收方式，否则催报和每日提醒不会发出。"),
        ],
    },
    "analysis": {
        "title": "指标看板、数据透视与指标目录",
        "what": "看板显示一个单位全部指标的当月、本年累计、同比、目标和近12个月趋势；透视可任选指标、单位和期间列表对比并导出 Excel；目录给出每个指标的官方定义。",
        "who": [
            (
                "各级管理人员",
                "在看板上用单位和月份选择器切换；在透视中搜索指标（可输入拼音首字母，如 kj 找“抗菌”），点 ☆ 加入“我的常用”，在机构树中选择单位并选“本单位及下级”“下级各单位”或“第N级”，再选期间（如“近12个月”）。",
            ),
        ],
    },
    "inspections": {
        "title": "督查检查",
        "what": "按考评表逐项检查打分，发现的问题下发整改通知书，受检单位反馈整改，检查员复查销号；每月得分排名可公示。",
        "who": [
            (
                "检查员",
                "在“检查任务”选择考评表和受检单位开始检查，逐项打分、拍照，填写在场人员后提交，然后下发整改通知书。",
            ),
            ("受检单位", "在整改通知中填写整改措施并上传佐证照片。"),
            ("检查员", "复查：整改到位则销号，否则重新下发并给出新期限。"),
        ],
    },
    "ledger": {
        "title": "工作台账",
        "what": "培训、演练、健康教育、会议、宣传、投诉表扬等活动按类型登记，附签到表和照片；本月没有活动时声明“本月无记录”。",
        "who": [
            (
                "各单位",
                "活动结束后登记；可用 Excel 批量导入；“导出 Excel”导出当前单位和期间的全部记录。",
            ),
            ("院办", "在“宣传日与例行工作”核对应开展的卫生健康宣传日和例行工作是否已登记。"),
        ],
    },
    "governance": {
        "title": "领导小组与目标责任书",
        "what": "成立和调整领导小组（保留历史），生成成立/调整通知；与下级单位签订年度目标责任书，目标达标情况由指标系统自动判断。",
        "who": [
            (
                "院办/局办",
                "签订后登记签订日期和第一责任人，上传签字盖章后的扫描件；“打印 / 另存为 PDF”打印责任书。",
            ),
        ],
    },
    "surveys": {
        "title": "满意度调查",
        "what": "各单位发布问卷，患者和职工扫码填写，系统统计满意度并按规定标出低于标准的情况。",
        "who": [("院办", "发布调查、打印二维码，查看结果并“导出 Excel”（统计和意见建议）。")],
    },
    "documents": {
        "title": "工作总结",
        "what": "选择单位、期间和模板，系统根据数据撰写工作总结或下一年度工作计划（Word 公文格式），每个数字都能查到来源。",
        "who": [
            (
                "院办/局办",
                "用单位选择器和期间选择器选好后点“生成总结”，核对黄色标出的需人工确认的文字后下载。",
            )
        ],
    },
    "people": {
        "title": "人员与角色",
        "what": "机构管理员管理本单位及下属单位的用户和角色；上级单位的用户和角色不在此显示，也不能授予。",
        "who": [
            (
                "机构管理员",
                "新建用户：填写姓名、用户名，在机构树中选所属单位和角色；系统生成临时密码（只显示一次），本人首次登录必须修改。",
            ),
            (
                "机构管理员",
                "忘记密码的用户：打开该用户，点“重置密码”，把新的临时密码告知本人。离职人员：停用。",
            ),
        ],
        "tips": ["所有操作（新建、授予、撤销、重置、停用）都有记录，显示在该用户页面下方。"],
    },
    "reminders": {
        "title": "提醒设置",
        "what": "设置本单位接收催报和每日提醒的方式：电子邮件、企业微信群机器人或钉钉群机器人。",
        "who": [
            (
                "机构管理员",
                "添加后点“发送测试”确认群里能收到。下属科室没有单独设置时，发到本单位的群。",
            ),
            (
                "系统管理员",
                "每天定时运行 weijian remind 发送每日提醒（逾期、即将到期的报表，整改通知，检查任务）。",
            ),
        ],
    },
    "account": {
        "title": "我的账户",
        "what": "修改自己的密码；为调用接口的程序创建访问令牌。",
        "who": [
            (
                "每个人",
                "密码至少 8 位，不能全是数字或常见密码。管理员设置的临时密码须在首次登录时改为自己的密码。",
            )
        ],
    },
}

# url name (or app:url name) → area
PAGES = {
    "task_board": "board", "my_forms": "entry", "entry": "entry", "history": "entry",
    "review_list": "review", "completeness": "completeness", "completeness_detail": "completeness",
    "validation": "completeness", "dashboard": "analysis", "pivot": "analysis",
    "indicator_catalogue": "analysis", "documents": "documents", "document_detail": "documents",
    "document_templates": "documents", "group_list": "governance", "group_detail": "governance",
    "contract_list": "governance", "contract_detail": "governance", "survey_list": "surveys",
    "survey_results": "surveys", "people": "people", "person": "people",
    "reminder_channels": "reminders", "account": "account",
}  # fmt: skip
APP_AREAS = {"inspections": "inspections"}


def area_of(url_name: str | None, app_name: str | None) -> str:
    if app_name in APP_AREAS:
        return APP_AREAS[app_name]
    if url_name and url_name.startswith("ledger"):
        return "ledger"
    return PAGES.get(url_name or "", "board")
