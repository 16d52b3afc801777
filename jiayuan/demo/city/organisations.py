"""Planning the market and the city's offices: property companies, developers, service contracts, departments."""

from __future__ import annotations

import datetime as dt

from jiayuan.organisations.models import DepartmentLink, ServiceContract

from .base import PlannerBase
from .data import BRANDS, DEPARTMENT_NAMES, DEPARTMENTS, STATE_COMPANIES, STATE_DEVELOPER, Kind, Mgmt, Role


class OrganisationsPlanner(PlannerBase):
    """Property companies and developers, their contracts and managers, the city departments and their links."""

    def companies_and_developers(self) -> None:
        rng = self.rng
        brands = list(BRANDS)
        rng.shuffle(brands)
        self.state_companies = [
            self.organisation(
                0,
                Kind.PROPERTY_COMPANY,
                name,
                self.day(2008 + i),
                state_owned=True,
                credit_code=self.credit_code(),
                city=self.plan.city,
            )
            for i, name in enumerate(STATE_COMPANIES)
        ]
        self.private_companies = [
            self.organisation(
                0,
                Kind.PROPERTY_COMPANY,
                f"{'福建' if i % 3 == 0 else '晋江市'}{brand}物业{'管理' if i % 2 else '服务'}有限公司",
                self.day(2000 + i % 15),
                credit_code=self.credit_code(),
                city=self.plan.city,
            )
            for i, brand in enumerate(brands[:36])
        ]
        self.developers = [
            self.organisation(
                0,
                Kind.DEVELOPER,
                f"晋江{brand}置业有限公司",
                self.day(1995 + i % 18),
                credit_code=self.credit_code(),
                city=self.plan.city,
            )
            for i, brand in enumerate(brands[:28])
        ]
        self.state_developer = self.organisation(
            0,
            Kind.DEVELOPER,
            STATE_DEVELOPER,
            self.day(1998),
            state_owned=True,
            credit_code=self.credit_code(),
            city=self.plan.city,
        )

    def contracts(self) -> None:
        """Service contracts by management status; 12 failing companies replaced in 2024-2025; property managers."""
        rng, plan = self.rng, self.plan
        weights = [max(1, 12 - i // 3) for i in range(len(self.private_companies))]
        company_managed = [c for c in plan.compounds if c.management == Mgmt.PROPERTY_COMPANY]
        replaced = {c.code for c in rng.sample([c for c in company_managed if c.year_built <= 2020], 12)}

        def contract(company, compound, start, end=None, fallback=False):
            plan.contracts.append(
                ServiceContract(company=company, compound=compound, start_date=start, end_date=end, fallback=fallback)
            )

        for compound in plan.compounds:
            opened = self.day(max(compound.year_built + 1, 2016))
            if compound.management == Mgmt.SELF_MANAGED:
                continue
            if compound.management in (Mgmt.STATE_FALLBACK, Mgmt.UNMANAGED):
                lapse = self.between(self.day(2022), self.day(2023, 6, 30))
                contract(rng.choice(self.private_companies), compound, self.day(2016, 1, 1), lapse)
                if compound.management == Mgmt.UNMANAGED:
                    continue
                company = rng.choice(self.state_companies)
                start = self.between(lapse + dt.timedelta(days=60), self.day(2024, 12, 31))
                contract(company, compound, start, fallback=True)
            else:
                state = rng.random() < 0.08
                company = rng.choice(self.state_companies) if state else rng.choices(self.private_companies, weights)[0]
                start = self.between(max(opened, self.day(2019)), self.day(2025, 6, 30))
                if compound.code in replaced:  # the failing company was dismissed by the owners' general meeting
                    change = self.between(self.day(2024, 3, 1), self.day(2025, 9, 30))
                    dismissed = rng.choice([c for c in self.private_companies if c is not company])
                    contract(
                        dismissed, compound, min(opened, change - dt.timedelta(days=400)), change - dt.timedelta(days=1)
                    )
                    start = change
                contract(company, compound, start)
            manager = (
                self.person(name="黄俊杰", gender="M", born=(1982, 1988))
                if compound.name == "金利花园"
                else self.person(born=(1970, 1996))
            )
            if compound.name == "金利花园":
                self.named["jinli-manager"] = manager
            self.post(manager, company, Role.PROPERTY_MANAGER, start, compound=compound)
        served: dict[int, int] = {}
        for c in plan.contracts:
            if c.end_date is None:
                served[id(c.company)] = served.get(id(c.company), 0) + 1
        for company in self.state_companies + self.private_companies:
            if company.state_owned or served.get(id(company), 0) >= 5:
                short = company.name.removesuffix("有限公司")
                party = self.organisation(2, Kind.COMPANY_PARTY, f"{short}党支部", self.day(2020), company=company)
                secretary = self.person(born=(1970, 1990))
                self.join_party(secretary, party)
                self.post(secretary, party, Role.PARTY_SECRETARY, self.between(self.day(2021), self.day(2025)))

    def departments(self) -> None:
        """82 city departments with staff, each linked (挂钩联系) to one of 82 poorly managed compounds."""
        rng, plan = self.rng, self.plan
        rank = {Mgmt.UNMANAGED: 0, Mgmt.STATE_FALLBACK: 1, Mgmt.SELF_MANAGED: 2, Mgmt.PROPERTY_COMPANY: 3}
        poor = sorted(plan.compounds, key=lambda c: (rank[c.management], c.year_built, c.code))[:DEPARTMENTS]
        rng.shuffle(poor)
        for name, compound in zip(DEPARTMENT_NAMES, poor, strict=True):
            full = name if "晋江" in name else f"晋江市{name}"
            department = self.organisation(0, Kind.DEPARTMENT, full, self.day(2010), city=plan.city)
            plan.department_links.append(
                DepartmentLink(department=department, compound=compound, start_date=self.day(2023, 3, 1))
            )
            staff = [("zhujian", "张晓峰", "M")] if name == "住建局" else []
            staff += [("", None, None)] * rng.randint(1, 2)
            for key, person_name, gender in staff:
                person = self.person(name=person_name, gender=gender, born=(1975, 1998))
                if key:
                    self.named[key] = person
                self.post(
                    person, department, Role.DEPARTMENT_STAFF, self.between(self.day(2019), self.day(2025, 6, 30))
                )
