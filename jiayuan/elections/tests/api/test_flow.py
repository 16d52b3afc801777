"""/api/v1/elections: a re-election from nominations to the published result over the API."""

import datetime as dt
import json

from jiayuan.elections.models import Campaign

from .common import DAY, at, days, errors_of, ok, review_all


def test_a_re_election_runs_over_the_api_from_nominations_to_the_published_result(ew, api, clock):
    w = ew.world
    clerk, owners = api(w.users["community_secretary"]), ew.owners
    as_owner = [api(o.account) for o in owners]

    created = ok(
        clerk.post(
            "/campaigns",
            {"compound_id": w.compound_a.pk, "kind": "re_election", "seats": 5, "co_nominators_required": 3},
        ),
        201,
    )
    assert (created["status"], created["opened_on"], created["predecessor_id"]) == (
        "nominating",
        "2026-03-02",
        w.committee_a.pk,
    )
    cid = created["id"]
    candidates = []
    for n, owner in enumerate(owners[:5]):
        body = ok(
            clerk.post(
                f"/campaigns/{cid}/candidates", {"person_id": owner.pk, "route": "party" if n == 0 else "community"}
            ),
            201,
        )
        assert body["rooms"] == [f"2号楼 1单元 {(n + 2) // 2}0{2 - (n + 1) % 2}"]
        candidates.append(body["id"])
    joint = ok(
        clerk.post(
            f"/campaigns/{cid}/candidates",
            {"person_id": owners[5].pk, "route": "owners", "co_nominator_ids": [o.pk for o in owners[6:9]]},
        ),
        201,
    )
    assert joint["co_nominators"] == ["业主7", "业主8", "业主9"]
    assert ok(clerk.post(f"/campaigns/{cid}/actions/review_start"))["status"] == "reviewing"
    assert clerk.post(f"/campaigns/{cid}/actions/elect").status_code == 404  # not an action of the API

    # The housing bureau's reviewer works through its own queue, with the facts beside each candidate.
    housing = api(w.users["department_staff"])
    queue = ok(housing.get("/reviews", pending="true"))
    assert queue["count"] == 6 and {r["body"] for r in queue["items"]} == {"晋江市住建局"}
    assert queue["items"][0]["facts"][0]["topic"] == "Ownership" and queue["items"][0]["bars"]
    mine = {r["candidate_id"]: r["id"] for r in queue["items"]}
    assert "reason" in errors_of(housing.post(f"/reviews/{mine[joint['id']]}", {"outcome": "fail"}))
    failed = ok(housing.post(f"/reviews/{mine[joint['id']]}", {"outcome": "fail", "reason": "在物业公司任职"}))
    assert (failed["outcome"], failed["reason"]) == ("fail", "在物业公司任职")
    for candidate_id in candidates:
        assert ok(housing.post(f"/reviews/{mine[candidate_id]}", {"outcome": "pass"}))["outcome"] == "pass"
    review_all(ew, Campaign.objects.get(pk=cid))
    counts = {row["body"]: row for row in ok(api(w.users["city_admin"]).get("/review-counts"))}
    assert (counts["晋江市住建局"]["decided"], counts["晋江市住建局"]["failed"]) == (6, 1)
    assert sum(row["decided"] for row in counts.values()) == 6 * 9

    assert ok(clerk.post(f"/campaigns/{cid}/actions/interviews_start"))["status"] == "interviewing"
    for candidate_id in candidates:
        interviewed = ok(
            clerk.post(
                f"/campaigns/{cid}/candidates/{candidate_id}/interview",
                {"held_on": "2026-03-05", "panel": "青阳街道、青华社区", "notes": "表达清楚", "passed": True},
            )
        )
        assert interviewed["interview"]["passed"] is True
    slate = ok(
        clerk.post(f"/campaigns/{cid}/slate", {"candidate_ids": candidates, "seats": 5, "notice_starts": "2026-03-06"})
    )
    assert (slate["status"], slate["notice_ends"]) == ("notice", "2026-03-13")

    # Owners see the slate only, without review outcomes or rooms; staff see every candidate.
    seen = ok(as_owner[11].get(f"/campaigns/{cid}"))
    assert [c["id"] for c in seen["candidates"]] == candidates
    assert all(c["reviews"] is None and c["rooms"] is None for c in seen["candidates"])
    assert "id_number" not in json.dumps(seen) and owners[0].phone not in json.dumps(seen)
    staff_view = ok(clerk.get(f"/campaigns/{cid}"))
    assert {c["id"]: c["status"] for c in staff_view["candidates"]}[joint["id"]] == "disqualified"
    assert [r["reason"] for r in staff_view["candidates"][-1]["reviews"] if r["outcome"] == "fail"] == [
        "在物业公司任职"
    ]

    clock.now = at(DAY + days(6))
    objection = ok(
        as_owner[8].post(
            f"/campaigns/{cid}/candidates/{candidates[0]}/objections", {"text": "该候选人长期不在小区居住"}
        ),
        201,
    )
    assert (objection["lodged_by"], objection["upheld"]) == ("业主9", None)
    clock.now = at(DAY + days(11))  # the last day of the notice
    assert "runs until" in errors_of(clerk.post(f"/campaigns/{cid}/actions/campaigning_start"))["__all__"]
    clock.now = at(DAY + days(12))
    assert "not answered" in errors_of(clerk.post(f"/campaigns/{cid}/actions/campaigning_start"))["__all__"]
    answered = ok(
        clerk.post(f"/objections/{objection['id']}/answer", {"answer": "经核实，该候选人在小区居住", "upheld": False})
    )
    assert (answered["upheld"], answered["answer"]) == (False, "经核实，该候选人在小区居住")
    assert ok(clerk.post(f"/campaigns/{cid}/actions/campaigning_start"))["status"] == "campaigning"
    stage = ok(
        clerk.post(
            f"/campaigns/{cid}/campaign-meeting",
            {
                "held_at": "2026-03-17T19:30:00+08:00",
                "place": "小区广场",
                "livestream_url": "https://live.example.cn/1",
            },
        )
    )
    assert stage["held_at"] == "2026-03-17T19:30:00+08:00"
    for candidate_id in candidates:
        ok(
            clerk.post(
                f"/campaigns/{cid}/candidates/{candidate_id}/speech",
                {"summary": "加强物业监督", "pledge": "公开账目", "pledge_signed_on": "2026-03-17"},
            )
        )
    assert ok(clerk.get(f"/campaigns/{cid}"))["missing_before_vote"] == []

    clock.now = at(DAY + days(16))
    meeting = ok(
        clerk.post(
            "/meetings",
            {
                "compound_id": w.compound_a.pk,
                "title": "第二届业委会选举",
                "campaign_id": cid,
                "voting_opens": "2026-04-11T08:00",
                "voting_closes": "2026-04-18T18:00:00+08:00",
            },
        ),
        201,
    )
    mid = meeting["id"]
    assert (meeting["voting_opens"], meeting["status"]) == ("2026-04-11T08:00:00+08:00", "draft")
    assert [(m["number"], m["is_election"], [c["id"] for c in m["candidates"]]) for m in meeting["motions"]] == [
        (1, True, candidates)
    ]
    motion = ok(clerk.post(f"/meetings/{mid}/motions", {"matter": 2, "title": "修订管理规约"}), 201)
    assert (motion["number"], motion["matter"]) == (2, 2)
    clock.now = at(dt.date(2026, 3, 27))  # 15 days before voting opens
    announced = ok(clerk.post(f"/meetings/{mid}/announce"))
    assert (announced["status"], announced["total_heads"], announced["total_area"]) == ("announced", 16, "1642.00")
    assert ok(clerk.get(f"/campaigns/{cid}"))["status"] == "voting"

    clock.now = at(dt.date(2026, 4, 11), 9)
    assert ok(as_owner[0].get(f"/meetings/{mid}/my-ballot")) == {"in_electorate": True, "voter": "业主1", "ballots": []}
    for caller in as_owner:
        cast = ok(
            caller.post(
                f"/meetings/{mid}/ballots", {"votes": {"1": {str(c): "agree" for c in candidates}, "2": "agree"}}
            ),
            201,
        )
        assert [b["motion_number"] for b in cast["ballots"]] == [1, 2]
    mine = ok(as_owner[0].get(f"/meetings/{mid}/my-ballot"))
    assert mine["ballots"][0]["candidate_choices"] == {str(c): "agree" for c in candidates}
    assert mine["ballots"][0]["cast_at"] == "2026-04-11T09:00:00+08:00"
    paper = ok(
        clerk.post(
            f"/meetings/{mid}/paper-ballots",
            {
                "room": "1号楼 1单元 101",
                "paper_number": "P-001",
                "received_at": "2026-04-12T10:00:00+08:00",
                "votes": {"1": {str(candidates[0]): "agree"}, "2": "agree"},
            },
        ),
        201,
    )
    assert [(b["channel"], b["counts"]) for b in paper] == [("paper", False), ("paper", False)]
    assert "paper_number" in errors_of(clerk.post(f"/meetings/{mid}/paper-ballots/P-001/check"))
    assert ok(api(w.users["branch_secretary"]).post(f"/meetings/{mid}/paper-ballots/P-001/check"))["checked"] == 2
    assert ok(clerk.get(f"/meetings/{mid}"))["turnout"] == [
        {"number": 1, "cast": 13, "unchecked": 0},
        {"number": 2, "cast": 13, "unchecked": 0},
    ]
    assert "__all__" in errors_of(clerk.post(f"/meetings/{mid}/count"))  # voting has not closed

    clock.now = at(dt.date(2026, 4, 19))
    assert ok(clerk.post(f"/meetings/{mid}/count"))["status"] == "counted"
    assert as_owner[0].get(f"/meetings/{mid}/results").status_code == 404  # not published yet
    assert ok(clerk.get(f"/meetings/{mid}/results"))["status"] == "counted"
    assert ok(clerk.post(f"/meetings/{mid}/publish"))["status"] == "published"

    results = ok(as_owner[0].get(f"/meetings/{mid}/results"))
    election, covenant = results["motions"]
    assert [(v["candidate"], v["elected"]) for v in election["verdicts"]][0] == (candidates[0], True)
    assert {v["candidate"] for v in election["verdicts"] if v["elected"]} == set(candidates)
    first = election["verdicts"][0]
    assert (first["rank"], first["agree_heads"], first["participating_heads"], first["agree_heads_share"]) == (
        1,
        13,
        13,
        "1",
    )
    assert {v["agree_heads_share"] for v in election["verdicts"][1:]} == {"12/13"}
    verdict = covenant["verdicts"][0]
    assert (
        verdict["total_area"],
        verdict["total_heads"],
        verdict["participating_area"],
        verdict["participating_heads"],
    ) == ("1642.00", 16, "1368.50", 13)
    assert (verdict["area_turnout"], verdict["heads_turnout"], verdict["quorum_met"]) == ("2737/3284", "13/16", True)
    assert (verdict["agree_area_share"], verdict["threshold"], verdict["passed"]) == ("1", covenant_threshold(), True)
    campaign = Campaign.objects.get(pk=cid)
    assert campaign.status == "elected"
    assert set(campaign.committee.posts.values_list("person_id", flat=True)) == {o.pk for o in owners[:5]}


def covenant_threshold() -> str:
    from jiayuan.elections.tally import threshold_for

    return str(threshold_for(2))
