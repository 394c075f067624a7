from tests.world import fresh, make_user
from weijian.orgs.models import OrgUnit, Role, RoleAssignment
from weijian.orgs.scope import Can, Scope


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_a_clerk_sees_and_enters_only_their_department(world):
    scope = Scope(world.alice)
    assert codes(scope.units(Can.VIEW)) == ["MED"]
    assert scope.can(Can.ENTER, world.medicine)
    assert not scope.can(Can.ENTER, world.surgery)
    assert not scope.can(Can.VIEW, world.hospital)
    assert not scope.can(Can.REVIEW, world.medicine)


def test_a_reviewer_reviews_the_units_below_but_not_their_own(world):
    scope = Scope(world.rita)
    assert codes(scope.units(Can.VIEW)) == ["HOS", "MED", "SUR"]
    assert codes(scope.units(Can.REVIEW)) == ["MED", "SUR"]
    assert scope.can(Can.REVIEW, world.surgery)
    assert not scope.can(Can.REVIEW, world.hospital)
    assert not scope.can(Can.ENTER, world.medicine)
    assert not scope.can(Can.VIEW, world.township)


def test_the_bureau_admin_covers_the_whole_district(world):
    scope = Scope(world.admin)
    assert codes(scope.units(Can.VIEW)) == ["BUR", "HOS", "MED", "SUR", "TWN"]
    assert scope.can(Can.MANAGE, world.township)


def test_a_read_only_user_cannot_write(world):
    scope = Scope(world.victor)
    assert scope.can(Can.VIEW, world.medicine)
    assert not any(scope.can(c, world.medicine) for c in (Can.ENTER, Can.REVIEW, Can.MANAGE))


def test_a_user_without_roles_sees_nothing(db, world):
    nobody = make_user("nobody")
    assert not Scope(nobody).units().exists()
    assert not Scope(nobody).can(Can.VIEW, world.bureau)


def test_roles_in_two_subtrees_add_up(world):
    RoleAssignment.objects.create(user=world.alice, org_unit=world.township, role=Role.VIEWER)
    scope = Scope(fresh(world.alice))
    assert codes(scope.units(Can.VIEW)) == ["MED", "TWN"]
    assert codes(scope.units(Can.ENTER)) == ["MED"]


def test_a_path_prefix_is_not_mistaken_for_a_sibling(world):
    # treebeard paths are fixed-width steps, so "0001" never prefixes a sibling "0002…";
    # guard it anyway with many siblings under the hospital.
    for i in range(12):
        OrgUnit.objects.add_child(
            world.hospital, dict(code=f"D{i:02d}", name=f"科室{i}", type="DEPARTMENT")
        )
    assert codes(Scope(world.alice).units()) == ["MED"]


def test_scope_is_built_with_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        scope = Scope(world.rita)
    with django_assert_num_queries(0):
        assert scope.can(Can.REVIEW, world.medicine)


def test_a_superusers_scope_survives_being_or_ed_with_another_condition(world):
    """Q() | X is X in Django: "everything, or being on the plan's team" used to mean only the
    team, and the bureau's superuser saw none of the district's inspection plans."""
    from django.db.models import Q

    boss = make_user("boss")
    boss.is_superuser = True
    boss.save()
    scope = Scope(boss)
    assert OrgUnit.objects.filter(scope.q(Can.VIEW) | Q(pk__in=[])).count() == 5
    assert OrgUnit.objects.filter(scope.q(Can.VIEW) & Q(code="MED")).count() == 1
