"""Coverage dashboard pages: the figures of a region with drill-down, and the compounds behind each figure.

The figures come from dashboard.selectors.coverage_report; this module only turns them into
tiles, table rows and chart data, and links every number to the compounds behind it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jiayuan.core.scope import scope_for
from jiayuan.core.web import paginate

from . import selectors

LEVEL_LABELS = {
    "city": gettext_lazy("city"),
    "town": gettext_lazy("town or subdistrict"),
    "community": gettext_lazy("community"),
    "compound": gettext_lazy("compound"),
    "scope": gettext_lazy("all within your scope"),
}
CHILD_LABELS = {
    "town": gettext_lazy("Towns and subdistricts"),
    "community": gettext_lazy("Communities"),
    "compound": gettext_lazy("Compounds"),
}
# What the compound list says it shows, per indicator: (with it, without it).
INDICATOR_LABELS = {
    "compounds": (gettext_lazy("All compounds"), gettext_lazy("No compounds")),
    "party_org": (
        gettext_lazy("Compounds with a party organisation"),
        gettext_lazy("Compounds without a party organisation"),
    ),
    "committee": (
        gettext_lazy("Compounds with an owners' committee"),
        gettext_lazy("Compounds without an owners' committee"),
    ),
    "yijiantiao": (
        gettext_lazy("Compounds with 一肩挑 (branch secretary is committee director)"),
        gettext_lazy("Compounds without 一肩挑"),
    ),
    "red_committee": (
        gettext_lazy("Compounds with a red owners' committee"),
        gettext_lazy("Compounds without a red owners' committee"),
    ),
    "two_committee_post_holders": (
        gettext_lazy("Compounds where a community two-committee member holds a compound post"),
        gettext_lazy("Compounds where no community two-committee member holds a compound post"),
    ),
    "building_heads": (
        gettext_lazy("Compounds with party-member building heads"),
        gettext_lazy("Compounds without a party-member building head"),
    ),
    "party_venues": (gettext_lazy("Compounds with a party venue"), gettext_lazy("Compounds without a party venue")),
}


class AsOfForm(forms.Form):
    """The date selector. A bad date is an error on the field; the figures then fall back to today."""

    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD, for example 2025-06-30.")},
    )


def _as_of(request) -> tuple[AsOfForm, object]:
    """The date asked for, or today; a bad date leaves its error on the form and today's figures."""
    form = AsOfForm(request.GET)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["as_of"]:
        day = form.cleaned_data["as_of"]
    return form, day


def _region(request):
    """The region asked for (?region=CODE, 404 outside the viewer's scope) or the viewer's starting one."""
    if not scope_for(request.user).is_staff_scope:
        raise Http404
    code = request.GET.get("region", "").strip()
    if code:
        return selectors.region_get(viewer=request.user, code=code)
    return selectors.starting_region(viewer=request.user)


def _query(**params) -> str:
    return "?" + urlencode({key: value for key, value in params.items() if value not in (None, "", False)})


def _region_code(region) -> str:
    return region.code if region is not None else ""


def _parent(region):
    level = selectors.region_level(region)
    if level == "compound":
        return region.community
    if level == "community":
        return region.town
    if level == "town":
        return region.city
    return None


def _breadcrumbs(viewer, region) -> list[dict]:
    """City › town › community › compound down to `region`; only the levels the viewer may open are links."""
    chain = []
    node = region
    while node is not None:
        chain.append(node)
        node = _parent(node)
    crumbs = []
    for node in reversed(chain):
        visible = selectors.region_visible(viewer=viewer, region=node)
        if visible or crumbs:
            crumbs.append({"name": node.name, "code": node.code, "current": node is region})
    return crumbs


def _percent(rate) -> str:
    return f"{float(rate) * 100:.1f}%"


def _tiles(report, *, region_code: str, day) -> list[dict]:
    """One tile per figure; each number links to the compounds behind it, and to those lacking it."""
    total = report.total

    def link(indicator, missing=False):
        return reverse("dashboard:compounds") + _query(
            region=region_code, as_of=day.isoformat(), indicator=indicator, missing=1 if missing else None
        )

    def tile(key, label, value, detail=""):
        lacking = 0 if key == "compounds" else len(selectors.compounds_without(report=report, indicator=key))
        return {
            "key": key,
            "label": label,
            "value": value,
            "detail": detail,
            "link": link(key),
            "missing": lacking,
            "missing_link": link(key, missing=True),
        }

    def of_compounds(part):
        return ngettext("%(part)s of %(whole)s compound", "%(part)s of %(whole)s compounds", total.compounds) % {
            "part": part,
            "whole": total.compounds,
        }

    return [
        tile("compounds", _("Compounds"), total.compounds),
        tile(
            "party_org",
            _("Party organisation coverage"),
            _percent(total.party_org_coverage),
            of_compounds(total.party_org_compounds),
        ),
        tile(
            "committee",
            _("Owners' committee formation"),
            _percent(total.committee_formation),
            of_compounds(total.committee_compounds),
        ),
        tile(
            "yijiantiao",
            _("一肩挑 compounds"),
            total.yijiantiao_compounds,
            _("branch secretary is also committee director"),
        ),
        tile(
            "red_committee",
            _("Red owners' committees"),
            total.red_committees,
            _("%(share)s of owners' committees") % {"share": _percent(total.red_committee_share)},
        ),
        tile(
            "two_committee_post_holders",
            _("Two-committee members in compound posts"),
            total.two_committee_post_holders,
            _("people; the number lists their compounds"),
        ),
        tile(
            "building_heads",
            _("Party-member building heads"),
            total.building_heads,
            _("people; the number lists their compounds"),
        ),
        tile("party_venues", _("Party venues"), total.party_venues),
    ]


def _rows(report, *, day) -> list[dict]:
    rows = []
    for child, coverage in report.rows:
        code = child.code

        def link(indicator, code=code):
            return reverse("dashboard:compounds") + _query(region=code, as_of=day.isoformat(), indicator=indicator)

        rows.append(
            {
                "name": child.name,
                "code": code,
                "drill": reverse("dashboard:coverage") + _query(region=code, as_of=day.isoformat()),
                "is_compound": selectors.region_level(child) == "compound",
                "pk": child.pk,
                "figures": coverage,
                "party_org_percent": _percent(coverage.party_org_coverage),
                "committee_percent": _percent(coverage.committee_formation),
                "links": {key: link(key) for key in selectors.INDICATORS},
            }
        )
    return rows


def _chart_data(rows) -> dict:
    return {
        "categories": [row["name"] for row in rows],
        "urls": [row["drill"] for row in rows],
        "party_org_rate": [round(float(row["figures"].party_org_coverage) * 100, 1) for row in rows],
        "committee_rate": [round(float(row["figures"].committee_formation) * 100, 1) for row in rows],
        "yijiantiao": [row["figures"].yijiantiao_compounds for row in rows],
        "red_committees": [row["figures"].red_committees for row in rows],
        "building_heads": [row["figures"].building_heads for row in rows],
        "labels": {
            "party_org_rate": _("Party organisation coverage"),
            "committee_rate": _("Owners' committee formation"),
            "yijiantiao": _("一肩挑 compounds"),
            "red_committees": _("Red owners' committees"),
            "building_heads": _("Party-member building heads"),
            "compounds_axis": _("Compounds"),
            "people_axis": _("People"),
        },
    }


@login_required
def coverage(request):
    region = _region(request)
    form, day = _as_of(request)
    report = selectors.coverage_report(viewer=request.user, region=region, day=day)
    code = _region_code(region)
    rows = _rows(report, day=day)
    at_compound = selectors.region_level(region) == "compound"
    if at_compound:  # the bottom of the drill-down: the row opens the compound's own page
        for row in rows:
            row["drill"] = reverse("places:compound_detail", args=[row["pk"]])
    child_level = selectors.region_level(report.rows[0][0]) if report.rows else ""
    context = {
        "form": form,
        "region": region,
        "region_name": region.name if region is not None else LEVEL_LABELS["scope"],
        "region_level": LEVEL_LABELS[selectors.region_level(region)],
        "region_is_compound": at_compound,
        "region_code": code,
        "as_of": day,
        "breadcrumbs": _breadcrumbs(request.user, region),
        "tiles": _tiles(report, region_code=code, day=day),
        "rows": rows,
        "child_label": CHILD_LABELS.get(child_level, ""),
        "chart_data": _chart_data(rows),
    }
    template = "dashboard/_coverage_body.html" if getattr(request, "htmx", False) else "dashboard/coverage.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def compounds(request):
    """The compounds behind one figure, a page at a time: ?region=&as_of=&indicator=&missing=1&q=&page=."""
    region = _region(request)
    form, day = _as_of(request)
    indicator = request.GET.get("indicator", "compounds")
    missing = request.GET.get("missing", "") in {"1", "true", "yes", "on"}
    search = request.GET.get("q", "").strip()[:80]
    code = _region_code(region)
    context = {
        "form": form,
        "region": region,
        "region_name": region.name if region is not None else LEVEL_LABELS["scope"],
        "region_code": code,
        "as_of": day,
        "indicator": indicator,
        "missing": missing,
        "breadcrumbs": _breadcrumbs(request.user, region),
        "back": reverse("dashboard:coverage") + _query(region=code, as_of=day.isoformat()),
        "search": search,
        # Kept by the date form, the search form and the page links alike.
        "extra_params": [("indicator", indicator)]
        + ([("missing", "1")] if missing else [])
        + ([("q", search)] if search else []),
    }
    if indicator not in selectors.INDICATORS:
        context["indicator_error"] = _("Unknown indicator “%(indicator)s”; choose one of: %(choices)s.") % {
            "indicator": indicator,
            "choices": ", ".join(selectors.INDICATORS),
        }
        return render(request, "dashboard/compounds.html", context, status=422)
    report = selectors.coverage_report(viewer=request.user, region=region, day=day)
    found = selectors.compounds_behind(report=report, indicator=indicator, missing=missing, search=search)
    page_obj = paginate(request, found)
    context.update(
        {
            "title": INDICATOR_LABELS[indicator][1 if missing else 0],
            "page_obj": page_obj,
            "compounds": [{"compound": compound, "facts": report.facts[compound.pk]} for compound in page_obj],
            "other_link": reverse("dashboard:compounds")
            + _query(region=code, as_of=day.isoformat(), indicator=indicator, missing=None if missing else 1, q=search)
            if indicator != "compounds"
            else "",
            "other_label": INDICATOR_LABELS[indicator][0 if missing else 1],
        }
    )
    return render(request, "dashboard/compounds.html", context)
