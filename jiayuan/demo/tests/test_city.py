"""The demo city pairs its 82 departments with 82 poorly managed compounds through DepartmentLink rows."""

import pytest

from jiayuan.demo.city import plan_demo
from jiayuan.places.models import Compound

pytestmark = pytest.mark.slow


def test_the_demo_plans_one_current_link_per_department_and_per_compound():
    plan = plan_demo()
    links = plan.department_links
    assert len(links) == 82
    assert len({id(link.department) for link in links}) == len({id(link.compound) for link in links}) == 82
    assert all(link.end_date is None and link.department.kind == "department" for link in links)
    # The poorest-managed compounds come first: every unmanaged compound is among them.
    unmanaged = {id(c) for c in plan.compounds if c.management == Compound.Management.UNMANAGED}
    assert unmanaged <= {id(link.compound) for link in links}
    # Departments are no longer tied to compounds through the organisation's own compound list.
    assert not any(org.kind == "department" for org, _ in plan.org_compounds)
