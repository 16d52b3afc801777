"""Back office: a city's reviewing bodies and eligibility bars are configured here; the election records
themselves are written through the services (the pages and the API) and shown here read-only."""

from django.contrib import admin

from jiayuan.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Ballot, Campaign, Candidate, EligibilityBar, GeneralMeeting, Review, ReviewBody


@admin.register(ReviewBody)
class ReviewBodyAdmin(AuditedAdmin):
    list_display = ("name", "city", "kind", "department", "position", "active")
    list_filter = ("city", "kind", "active")
    list_editable = ("position", "active")
    raw_id_fields = ("department",)


@admin.register(EligibilityBar)
class EligibilityBarAdmin(AuditedAdmin):
    list_display = ("label", "city", "enabled", "position", "note")
    list_filter = ("city", "enabled")
    list_editable = ("enabled", "position")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("compound", "kind", "status", "seats", "opened_on", "committee")
    list_filter = ("status", "kind")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("person", "campaign", "route", "status")
    list_filter = ("status", "route")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "body", "outcome", "reviewer", "reviewed_at")
    list_filter = ("outcome", "body")


@admin.register(GeneralMeeting)
class GeneralMeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "compound", "status", "voting_opens", "voting_closes", "total_heads", "total_area")
    list_filter = ("status",)


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("motion", "voter", "channel", "paper_number", "cast_at", "entered_by", "checked_by")
    list_filter = ("channel",)
