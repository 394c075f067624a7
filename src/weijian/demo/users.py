"""The demo's people: one login per role that matters, all with the same easy password.

The README mirrors `LOGINS`; `weijian demo` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from weijian.orgs.models import OrgUnit, Role, RoleAssignment

from .tree import ALL_UNITS, Unit

DEMO_PASSWORD = "demo12345"


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    role: str
    unit: str  # org unit code
    duty: str
    # A clerk whose role sits on an institution but who only fills in the institution's own
    # forms (the finance office), not its departments'.
    own_unit_only: bool = False

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def unit_name(self) -> str:
        return ALL_UNITS[self.unit].name


R = Role

LOGINS = (
    Login("admin", "周建国", R.BUREAU_ADMIN, "DEMO", "局管理员，超级用户，可进入管理后台"),
    Login("jushenhe", "李文静", R.REVIEWER, "DEMO", "审核各医院、卫生院上报的报表"),
    Login("jiancha", "赵志刚", R.INSPECTOR, "DEMO", "督查检查"),
    Login("chakan", "孙晓燕", R.VIEWER, "DEMO", "全区数据只读"),
    Login("yiyuan", "陈明", R.INSTITUTION_ADMIN, "RMYY", "人民医院机构管理员"),
    Login("yishenhe", "刘芳", R.REVIEWER, "RMYY", "审核人民医院各科室报表"),
    Login("zhikong", "吴立新", R.INSPECTOR, "RMYY", "人民医院质控院感科，院感质量月度考核"),
    Login("hulibu", "郑秀兰", R.INSPECTOR, "RMYY", "人民医院护理部，病区护理质量月度检查"),
    Login("tongji", "何丽", R.CLERK, "RMYY", "人民医院统计员，代未设填报员的科室填报"),
    Login(
        "caiwu", "吴婷", R.CLERK, "RMYY", "人民医院财务科，填报本院财务收支月报", own_unit_only=True
    ),
    Login("neike", "王丽华", R.CLERK, "RMYY_NK", "内科填报员"),
    Login("waike", "张敏", R.CLERK, "RMYY_WK", "外科填报员"),
    Login("erke", "林芳", R.CLERK, "RMYY_EK", "儿科填报员"),
    Login("zhongyi", "郑春梅", R.CLERK, "ZYY", "中医医院统计员，填报全院各科室报表"),
    Login("zyshenhe", "黄永强", R.REVIEWER, "ZYY", "审核中医医院各科室报表"),
    Login("fuyou", "徐静", R.CLERK, "FYBJY", "妇幼保健院统计员"),
    Login("fyshenhe", "马丽娟", R.REVIEWER, "FYBJY", "审核妇幼保健院各科室报表"),
    Login("qingshan", "杨国庆", R.CLERK, "QSZ", "青山镇中心卫生院填报员"),
    Login("hexi", "周海燕", R.CLERK, "HXZ", "河西镇卫生院填报员"),
    Login("liutang", "冯建军", R.CLERK, "LTZ", "柳塘镇卫生院填报员"),
    Login("dazhuang", "韩梅", R.CLERK, "DZZ", "大庄镇卫生院填报员"),
    Login("shiping", "曹勇", R.CLERK, "SPX", "石坪乡卫生院填报员"),
    Login("baisha", "邓小红", R.CLERK, "BSX", "白沙乡卫生院填报员"),
    Login("dongcheng", "许亮", R.CLERK, "DCSQ", "东城街道社区卫生服务中心填报员"),
    Login("xicheng", "彭雪", R.CLERK, "XCSQ", "西城街道社区卫生服务中心填报员"),
)


def build_users(units: dict[str, OrgUnit]) -> dict[str, User]:
    """The users and their role assignments; username → User. The password is hashed once."""
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=login.username,
            first_name=login.name,
            password=password,
            is_staff=login.role == Role.BUREAU_ADMIN,
            is_superuser=login.role == Role.BUREAU_ADMIN,
        )
        for login in LOGINS
    )
    by_name = {u.username: u for u in users}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=by_name[login.username], org_unit=units[login.unit], role=login.role)
        for login in LOGINS
    )
    return by_name


def _parents() -> dict[str, str]:
    parents = {}
    for unit in ALL_UNITS.values():
        for child in unit.children:
            parents[child.code] = unit.code
    return parents


PARENTS = _parents()


def ancestors(code: str) -> list[str]:
    """The unit's code and its ancestors' codes, nearest first."""
    chain = [code]
    while chain[-1] in PARENTS:
        chain.append(PARENTS[chain[-1]])
    return chain


def clerk_for(unit: Unit) -> str:
    """Who fills in the unit's forms: its own clerk, else the nearest institution statistician."""
    for depth, code in enumerate(ancestors(unit.code)):
        for login in LOGINS:
            if (
                login.role == Role.CLERK
                and login.unit == code
                and (depth == 0 or not login.own_unit_only)
            ):
                if depth == 0 and not login.own_unit_only and _has_own_unit_clerk(code):
                    continue
                return login.username
    raise LookupError(f"no clerk for {unit.code}")


def _has_own_unit_clerk(code: str) -> bool:
    return any(lg.role == Role.CLERK and lg.unit == code and lg.own_unit_only for lg in LOGINS)


def reviewer_for(unit: Unit) -> str:
    """Who approves the unit's reports: the nearest reviewer strictly above it."""
    for code in ancestors(unit.code)[1:]:
        for login in LOGINS:
            if login.role == Role.REVIEWER and login.unit == code:
                return login.username
    raise LookupError(f"no reviewer for {unit.code}")
