"""A small, fixed world with one persona per role, shared by the test suites.

    world = build_world()
    client.force_login(world.users["town_clerk"])

Qingyang (青阳) holds the personas' compounds; Chidian (池店) is the place none of
them but the city administrator may see.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.places import services as place_services
from jiayuan.places.models import City, Community, Grid, Town

PASSWORD = "Jiayuan-test-2026"
START = dt.date(2024, 1, 1)
Kind = Organisation.Kind
Role = Post.Role
PERSONAS = (
    "city_admin",
    "town_clerk",
    "community_secretary",
    "branch_secretary",
    "committee_director",
    "property_manager",
    "building_head",
    "department_staff",
    "resident",
)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace(users={}, people={})
    actor = None
    serial = iter(range(100, 999))

    def person(name: str, birth=dt.date(1980, 5, 17)):
        return people_services.person_create(
            actor=actor,
            name=name,
            id_number=make_id_number("350582", birth, next(serial)),
            phone=f"139{next(serial):08d}",
        )

    w.city = City.objects.create(code="350582", name="晋江市")
    w.qingyang = Town.objects.create(city=w.city, code="350582001", name="青阳街道", kind=Town.Kind.SUBDISTRICT)
    w.chidian = Town.objects.create(city=w.city, code="350582101", name="池店镇", kind=Town.Kind.TOWN)
    w.community_a = Community.objects.create(town=w.qingyang, code="350582001001", name="青华社区")
    w.community_b = Community.objects.create(town=w.qingyang, code="350582001002", name="晓升社区")
    w.community_c = Community.objects.create(town=w.chidian, code="350582101001", name="池店社区")

    def compound(code, name, community):
        c = place_services.compound_create(
            actor=actor,
            community=community,
            code=code,
            name=name,
            kind="commercial",
            management="company",
            year_built=2010,
        )
        b = place_services.building_create(actor=actor, compound=c, number="1号楼", floors=6)
        u = place_services.unit_create(actor=actor, building=b, number="1单元")
        rooms = [
            place_services.room_create(
                actor=actor,
                unit=u,
                number=f"{floor}0{n}",
                floor=floor,
                area=Decimal("89.50") + n,
                area_source="registered",
            )
            for floor in (1, 2)
            for n in (1, 2)
        ]
        return c, b, rooms

    w.compound_a, w.building_a, w.rooms_a = compound("C0001", "金利花园", w.community_a)
    w.compound_a2, w.building_a2, w.rooms_a2 = compound("C0002", "宝龙世家", w.community_b)
    w.compound_b, w.building_b, w.rooms_b = compound("C0003", "南天裕", w.community_c)
    w.grid_a = Grid.objects.create(community=w.community_a, name="第一网格")
    w.grid_a.compounds.add(w.compound_a)

    org = org_services.organisation_create
    w.city_office = org(actor=actor, kind=Kind.CITY_OFFICE, name="晋江市委组织部", city=w.city, established_on=START)
    w.town_office = org(
        actor=actor, kind=Kind.TOWN_OFFICE, name="青阳街道党工委", town=w.qingyang, established_on=START
    )
    w.community_party = org(
        actor=actor, kind=Kind.COMMUNITY_PARTY, name="青华社区党委", community=w.community_a, established_on=START
    )
    w.branch_a = org(
        actor=actor,
        kind=Kind.COMPOUND_BRANCH,
        name="金利花园党支部",
        community=w.community_a,
        parent=w.community_party,
        established_on=START,
        compounds=[w.compound_a],
    )
    w.branch_b = org(
        actor=actor,
        kind=Kind.COMPOUND_BRANCH,
        name="南天裕党支部",
        community=w.community_c,
        established_on=START,
        compounds=[w.compound_b],
    )
    w.committee_a = org_services.committee_create(
        actor=actor,
        compound=w.compound_a,
        name="金利花园业委会",
        established_on=START,
        term_end=dt.date(2028, 12, 31),
        seats=5,
    )
    w.company = org(
        actor=actor,
        kind=Kind.PROPERTY_COMPANY,
        name="晋江城投物业",
        credit_code="91350582MA31234567",
        state_owned=True,
        established_on=dt.date(2015, 1, 1),
    )
    w.department = org(actor=actor, kind=Kind.DEPARTMENT, name="晋江市住建局", city=w.city, established_on=START)
    org_services.contract_create(actor=actor, company=w.company, compound=w.compound_a, start_date=START)

    def post(key, org_, role, **extra):
        p = person(extra.pop("name", key))
        w.people[key] = p
        org_services.post_assign(actor=actor, person=p, organisation=org_, role=role, start_date=START, **extra)
        w.users[key] = User.objects.create_user(username=key, password=PASSWORD, person=p)
        return p

    admin_person = post("city_admin", w.city_office, Role.CITY_ADMIN, name="林市管")
    post("town_clerk", w.town_office, Role.TOWN_CLERK, name="陈镇员")
    post("community_secretary", w.community_party, Role.COMMUNITY_SECRETARY, name="王立新")
    post("branch_secretary", w.branch_a, Role.BRANCH_SECRETARY, name="邱书记")
    post("committee_director", w.committee_a, Role.COMMITTEE_DIRECTOR, name="蔡主任")
    post("property_manager", w.company, Role.PROPERTY_MANAGER, compound=w.compound_a, name="黄经理")
    post("building_head", w.branch_a, Role.BUILDING_HEAD, building=w.building_a, name="李楼长")
    post("department_staff", w.department, Role.DEPARTMENT_STAFF, name="张科员")
    resident = person("吴业主")
    w.people["resident"] = resident
    people_services.ownership_add(actor=actor, room=w.rooms_a[0], person=resident, start_date=START)
    w.users["resident"] = User.objects.create_user(username="resident", password=PASSWORD, person=resident)
    w.admin_person = admin_person
    return w


def job_page(client, response, *, file: bool = False):
    """A page that starts a background job (an export, an import) redirects to the job's page: follow it (and,
    with `file`, download its result). Tests run jobs inline (JIAYUAN_JOBS = "eager"), so it has finished."""
    assert response.status_code == 302 and response.url.startswith("/jobs/"), response
    page = client.get(response.url)
    assert page.status_code == 200
    if not file:
        return page
    return client.get(f"{response.url}file/")


def settle(client, response):
    """The answer a person ends up with: for a page that started a job, its file (an export) or its page (an
    import's row report); any other response as it is."""
    if response.status_code != 302 or not response.url.startswith("/jobs/"):
        return response
    page = job_page(client, response)
    if 'data-testid="job-file"' in page.content.decode():
        return client.get(f"{response.url}file/")
    return page
