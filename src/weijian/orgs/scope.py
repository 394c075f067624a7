"""The one place that decides what a user may see and do, by org subtree.

A role held at a unit covers that unit and everything below it (its subtree = path prefix).
Reviewing is different: a reviewer approves the units *below* the one they hold, never their
own, because approval belongs to the parent unit's 审核员.

Every view and query asks a `Scope`; nothing else reads RoleAssignment.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import connection
from django.db.models import Q, QuerySet

from .models import OrgUnit, Role, RoleAssignment


class Can(StrEnum):
    VIEW = "VIEW"  # read data and pages of the subtree
    ENTER = "ENTER"  # enter, save and submit report data
    REVIEW = "REVIEW"  # approve / return / unlock the data of units below
    MANAGE = "MANAGE"  # manage the tree, forms and users (admin)
    INSPECT = "INSPECT"  # run inspections


ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.BUREAU_ADMIN: frozenset({Can.VIEW, Can.ENTER, Can.REVIEW, Can.MANAGE, Can.INSPECT}),
    Role.INSTITUTION_ADMIN: frozenset({Can.VIEW, Can.ENTER, Can.MANAGE}),
    Role.CLERK: frozenset({Can.VIEW, Can.ENTER}),
    Role.REVIEWER: frozenset({Can.VIEW, Can.REVIEW}),
    Role.INSPECTOR: frozenset({Can.VIEW, Can.INSPECT}),
    Role.VIEWER: frozenset({Can.VIEW}),
}

# Capabilities that cover only the strict descendants of the unit the role is held at.
BELOW_ONLY = frozenset({Can.REVIEW})


def _grants_sql() -> str:
    """The user's roles with their units' paths and depths, in plain SQL: every request builds
    a Scope, and the ORM's compilation of this join cost more than running it (issue 13, the
    month-end rush: three requests per save)."""
    grants, units = RoleAssignment._meta, OrgUnit._meta

    def column(meta, name: str) -> str:
        return meta.get_field(name).column

    return (
        f"SELECT u.{column(units, 'path')}, u.{column(units, 'depth')}, "
        f"g.{column(grants, 'role')} FROM {grants.db_table} g "
        f"JOIN {units.db_table} u ON u.{units.pk.column} = g.{column(grants, 'org_unit')} "
        f"WHERE g.{column(grants, 'user')} = %s"
    )


class Scope:
    """What one user may do where. Built with one query; cheap to ask afterwards."""

    def __init__(self, user) -> None:
        self.user = user
        self.is_everything = bool(user.is_authenticated and user.is_superuser)
        self._grants: list[tuple[str, int, frozenset[Can]]] = []
        if user.is_authenticated:
            with connection.cursor() as cursor:
                cursor.execute(_grants_sql(), [user.pk])
                rows = cursor.fetchall()
            self._grants = [(path, depth, ROLE_CAPABILITIES[role]) for path, depth, role in rows]

    # -- questions about one unit -----------------------------------------------------
    def can(self, capability: Can, unit: OrgUnit) -> bool:
        if self.is_everything:
            return True
        below_only = capability in BELOW_ONLY
        for path, _depth, caps in self._grants:
            inside = unit.path.startswith(path) and not (below_only and unit.path == path)
            if capability in caps and inside:
                return True
        return False

    def covers_role(self, role: str, unit: OrgUnit) -> bool:
        """True when one grant at or above `unit` carries every capability of `role` (who may
        hand out 局管理员 there: only someone who holds as much)."""
        if self.is_everything:
            return True
        wanted = ROLE_CAPABILITIES[role]
        return any(unit.path.startswith(path) and wanted <= caps for path, _, caps in self._grants)

    def grant_paths(self, capability: Can) -> set[str]:
        """Paths of the units at which the user holds a role giving `capability`."""
        return {path for path, _depth, caps in self._grants if capability in caps}

    def has_any(self, capability: Can) -> bool:
        return self.is_everything or any(capability in caps for _, _, caps in self._grants)

    # -- filters for queries ----------------------------------------------------------
    def q(self, capability: Can, via: str = "") -> Q:
        """A Q that keeps rows whose org unit (reached through `via`, e.g. 'org_unit__') is allowed."""
        if self.is_everything:
            # Everything, as a condition that survives being OR-ed: Q() | X is X in Django, so
            # "the superuser's scope or being on the team" lost the scope (and every plan).
            return ~Q(pk__in=[])
        below_only = capability in BELOW_ONLY
        condition = Q(pk__in=[])
        for path, depth, caps in self._grants:
            if capability not in caps:
                continue
            clause = Q(**{f"{via}path__startswith": path})
            if below_only:
                clause &= Q(**{f"{via}depth__gt": depth})
            condition |= clause
        return condition

    def units(self, capability: Can = Can.VIEW) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(self.q(capability))

    def filter(self, queryset: QuerySet, capability: Can = Can.VIEW, via: str = "org_unit__"):
        return queryset.filter(self.q(capability, via))

    def home_unit(self) -> OrgUnit | None:
        """The unit pages open on when none is asked for: the topmost one the user sees."""
        roots = self.root_units()
        return roots[0] if roots else None

    def root_units(self, capability: Can = Can.VIEW) -> list[OrgUnit]:
        """The topmost units of the user's scope (for pickers and the home unit)."""
        qs = self.units(capability).order_by("depth", "path")
        tops: list[OrgUnit] = []
        for unit in qs[:500]:
            if not any(unit.path.startswith(top.path) for top in tops):
                tops.append(unit)
            if len(tops) > 50:
                break
        return tops


def holder_paths(capability: Can) -> set[str]:
    """Paths of every unit where anyone holds a role giving `capability` (one query)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
    rows = RoleAssignment.objects.filter(role__in=roles, user__is_active=True).values_list(
        "org_unit__path", flat=True
    )
    return set(rows)


def nearest_holder(unit_path: str, holders: set[str], capability: Can) -> str | None:
    """The closest unit above (or at, unless the capability is below-only) `unit_path` where
    someone holds `capability`: the people there are the ones a task is routed to."""
    below_only = capability in BELOW_ONLY
    above = [
        path
        for path in holders
        if unit_path.startswith(path) and not (below_only and path == unit_path)
    ]
    return max(above, key=len, default=None)


def get_scope(user) -> Scope:
    """The user's scope, built once per request (cached on the user object)."""
    scope = getattr(user, "_weijian_scope", None)
    if scope is None:
        scope = Scope(user)
        user._weijian_scope = scope
    return scope
