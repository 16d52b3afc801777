"""The two intake rules, each declared once: which categories a problem is reported under, and where the viewer
may report. The form, Open311, the API and appeal_submit all read them."""

import pytest
from django.core.exceptions import ValidationError

from jiayuan.appeals import forms, selectors, services
from jiayuan.appeals.models import Appeal, Category
from jiayuan.appeals.open311 import public
from jiayuan.core.scope import scope_for
from jiayuan.places.models import Compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    """A three-level branch: a retired leaf, a leaf under a retired parent, and one usable leaf."""
    top = Category.objects.create(code="Z", name="测试大类", level=1, active=True)
    middle = Category.objects.create(code="Z1", name="测试中类", parent=top, level=2, active=True)
    usable = Category.objects.create(code="Z101", name="可用小类", parent=middle, level=3, active=True)
    retired = Category.objects.create(code="Z102", name="停用小类", parent=middle, level=3, active=False)
    closed = Category.objects.create(code="Z2", name="停用中类", parent=top, level=2, active=False)
    orphan = Category.objects.create(code="Z201", name="停用中类下的小类", parent=closed, level=3, active=True)
    return {"top": top, "middle": middle, "usable": usable, "retired": retired, "orphan": orphan}


def test_only_active_leaves_under_active_parents_are_usable(tree):
    usable = set(selectors.usable_categories().filter(code__startswith="Z"))
    assert usable == {tree["usable"]}
    assert {name for name, category in tree.items() if selectors.category_usable(category)} == {"usable"}


def test_the_form_open311_and_the_service_offer_and_accept_the_same_categories(tree, world):
    offered = {pk for _, group in forms.category_choices()[1:] for pk, _ in group}
    assert offered == set(selectors.usable_categories().values_list("pk", flat=True))
    assert set(public.service_categories()) == set(selectors.usable_categories())
    assert public.service_get("Z101") == tree["usable"] and public.service_get("Z1") is None


@pytest.mark.parametrize(
    ("name", "message"), [("middle", "测试中类"), ("retired", "停用小类"), ("orphan", "停用中类下的小类")]
)
def test_the_service_refuses_a_category_nobody_can_choose_naming_it(tree, world, name, message):
    with pytest.raises(ValidationError) as refused:
        services.appeal_submit(
            actor=world.users["community_secretary"],
            channel=Appeal.Channel.HOTLINE,
            category=tree[name],
            title="测试",
            description="测试",
            compound=world.compound_a,
        )
    assert list(refused.value.message_dict) == ["category"]
    assert message in refused.value.message_dict["category"][0]


@pytest.mark.parametrize("persona", ["resident", "building_head", "community_secretary", "town_clerk", "city_admin"])
def test_the_reportable_compounds_and_the_one_compound_check_agree(world, persona):
    user = world.users[persona]
    scope = scope_for(user)
    resident = not scope.is_staff_scope
    listed = set(selectors.reportable_compounds(viewer=user, resident=resident).values_list("pk", flat=True))
    checked = {
        c.pk for c in Compound.objects.all() if selectors.may_report_in(scope=scope, compound=c, resident=resident)
    }
    assert listed == checked
    assert listed  # every persona reports somewhere
    assert listed != set(Compound.objects.values_list("pk", flat=True)) or scope.everything
