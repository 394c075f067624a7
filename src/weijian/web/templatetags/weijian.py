from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A user as people call them: full name, else username; a dash for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def can_manage(user) -> bool:
    """Whether the menu offers 人员与角色 (the scope is cached on the user per request)."""
    from weijian.orgs.scope import Can, get_scope

    return bool(user.is_authenticated) and get_scope(user).has_any(Can.MANAGE)


@register.filter
def absolute(number):
    """|x|, for changes shown with an ↑/↓ arrow instead of a sign."""
    return abs(number) if number is not None else None


@register.filter
def plain(number, places: int = 2):
    """A Decimal as people write it: 2784, 12.5 — no trailing zeros; '无数据' for None."""
    if number is None:
        return "无数据"
    from decimal import Decimal

    rounded = Decimal(number).quantize(Decimal(1).scaleb(-int(places)))
    text = format(rounded.normalize(), "f")
    return text


@register.filter
def period_label(period_id) -> str:
    """A stored period id in words (2026S1 → 2026年上半年); an id that does not parse is shown
    as stored rather than failing the page."""
    from weijian import periods

    try:
        return periods.parse(str(period_id)).label
    except periods.PeriodError:
        return str(period_id)


# -- pickers (web/pickers.py): usable from any app's templates, so lower layers' views only
# pass the unit and period they already have.


@register.inclusion_tag("web/pickers/unit.html")
def unit_picker(unit, name="ou", cap="VIEW", autosubmit=False, blank=""):
    """`blank`: what no unit means on this page (“全部单位” on a filter), offered in the panel
    so a chosen unit can be taken back."""
    from weijian.web.pickers import UnitChoice

    choice = UnitChoice(unit.code, unit.ancestor_names()) if unit is not None else UnitChoice()
    return {"choice": choice, "name": name, "cap": cap, "autosubmit": autosubmit, "blank": blank}


@register.inclusion_tag("web/pickers/period.html")
def period_picker(
    value, name="pe", kinds="", current=False, autosubmit=False, plan_year=False, blank=""
):
    """`kinds`: "MONTHLY,YEARLY" … (default: 月/季/半年/年); `current`: offer the running
    period too (never a future one)."""
    from django.utils import timezone

    from weijian import periods
    from weijian.web.pickers import PICKED_TYPES, period_groups, period_words

    types = [periods.PeriodType(k) for k in kinds.split(",") if k] if kinds else PICKED_TYPES
    value = str(getattr(value, "id", value) or "")
    today = timezone.localdate()
    groups = period_groups(today, types=types, current=current, plan_year=plan_year)
    offered = {v for g in groups for v, _ in g.options}
    extra = period_words(value, today) if value and value not in offered else ""
    return {
        "groups": groups,
        "name": name,
        "value": value,
        "extra": extra,
        "autosubmit": autosubmit,
        "blank": blank,
    }


@register.simple_tag(takes_context=True)
def help_url(context) -> str:
    """The help page of the area the current page belongs to (the header's 帮助 link)."""
    from django.urls import reverse

    from weijian.web.help import area_of

    match = getattr(context.get("request"), "resolver_match", None)
    area = area_of(getattr(match, "url_name", None), getattr(match, "app_name", None))
    return reverse("help", args=[area])
