"""The election and general-meeting pages, one module per page under views/."""

from django.urls import path

from .views import (
    campaign_index,
    campaign_page,
    campaign_steps,
    candidates,
    meeting_actions,
    meeting_index,
    meeting_page,
    meeting_results,
    meeting_staff,
    reviews,
)

app_name = "elections"
urlpatterns = [
    path("", campaign_index.index, name="index"),
    path("campaigns/new/", campaign_index.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_page.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/preparatory-group/", campaign_steps.preparatory_add, name="preparatory_add"),
    path("campaigns/<int:pk>/nominations/", campaign_steps.candidate_nominate, name="candidate_nominate"),
    path("campaigns/<int:pk>/steps/<slug:step>/", campaign_steps.campaign_step, name="campaign_step"),
    path("campaigns/<int:pk>/slate/", campaign_steps.slate_publish, name="slate_publish"),
    path("campaigns/<int:pk>/objections/", campaign_steps.objection_lodge, name="objection_lodge"),
    path("campaigns/<int:pk>/objections/<int:oid>/answer/", campaign_steps.objection_answer, name="objection_answer"),
    path("campaigns/<int:pk>/campaign-meeting/", campaign_steps.campaign_meeting, name="campaign_meeting"),
    path("campaigns/<int:pk>/cancel/", campaign_steps.campaign_cancel, name="campaign_cancel"),
    path("campaigns/<int:pk>/candidates/<int:cid>/", candidates.candidate_detail, name="candidate_detail"),
    path(
        "campaigns/<int:pk>/candidates/<int:cid>/interview/", campaign_steps.interview_record, name="interview_record"
    ),
    path("campaigns/<int:pk>/candidates/<int:cid>/speech/", campaign_steps.speech_record, name="speech_record"),
    path("campaigns/<int:pk>/candidates/<int:cid>/withdraw/", candidates.candidate_withdraw, name="candidate_withdraw"),
    path("reviews/", reviews.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", reviews.review_record, name="review_record"),
    path("meetings/", meeting_index.meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_index.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_page.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/motions/add/", meeting_actions.motion_add, name="motion_add"),
    path("meetings/<int:pk>/announce/", meeting_actions.meeting_announce, name="meeting_announce"),
    path("meetings/<int:pk>/vote/", meeting_actions.meeting_vote, name="meeting_vote"),
    path("meetings/<int:pk>/paper/", meeting_actions.paper_ballot_enter, name="paper_ballot_enter"),
    path("meetings/<int:pk>/paper/check/", meeting_actions.paper_ballot_check, name="paper_ballot_check"),
    path("meetings/<int:pk>/on-site/", meeting_actions.onsite_ballot_record, name="onsite_ballot_record"),
    path("meetings/<int:pk>/count/", meeting_actions.meeting_count, name="meeting_count"),
    path("meetings/<int:pk>/publish/", meeting_actions.meeting_publish, name="meeting_publish"),
    path("meetings/<int:pk>/cancel/", meeting_actions.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/officers/", meeting_actions.committee_officers, name="committee_officers"),
    path("meetings/<int:pk>/electorate/", meeting_staff.meeting_electorate, name="meeting_electorate"),
    path("meetings/<int:pk>/ballots/", meeting_staff.meeting_ballots, name="meeting_ballots"),
    path("meetings/<int:pk>/ballots/<int:ballot_pk>/correct/", meeting_staff.ballot_correct, name="ballot_correct"),
    path("meetings/<int:pk>/results/", meeting_results.meeting_results, name="meeting_results"),
    path("meetings/<int:pk>/results/notice.pdf", meeting_results.meeting_results_notice, name="meeting_results_notice"),
    path("campaigns/<int:pk>/slate/notice.pdf", campaign_page.slate_notice, name="slate_notice"),
    path(
        "meetings/<int:pk>/motions/<int:number>/tally-<str:kind>.csv",
        meeting_results.meeting_tally_files,
        name="meeting_tally_files",
    ),
]
