"""Election and general-meeting pages, a module per page (elections/urls.py lists them).

The campaign pages (campaign_index, campaign_page, campaign_steps, candidates, reviews): opening a campaign, the
preparatory group, nominations, the joint qualification review (each reviewer's own queue), interviews, the slate
and its public notice with objections, and the campaign meeting.

Who sees what (the selectors scope every read, so anything outside the viewer's scope is a 404):
- Those who run the compound's election (`rules.may_run_election`: city, town, community, the compound's party
  branch) see every candidate, review and objection, and act at the campaign's current stage.
- Owners and residents of the compound, and the compound's other staff, see the campaign read-only with the slate
  (`selectors.candidates_of`); an owner may object to a slate candidate in their own name during the notice.
- A reviewer sees its own queue (`selectors.review_queue`) and the candidates in it, nothing else; another body's
  review is a 404.
An action on a campaign the viewer may see but not run answers 403. Invalid input re-renders the page with the
errors beside the fields and status 422 (200 to htmx, which swaps only successful answers).

The general-meeting pages (meeting_index, meeting_page, meeting_actions, meeting_staff, meeting_results), of the
owners' general meeting (业主大会会议): calling it, its motions, the announcement (which freezes the electorate), the owner's online ballot, paper and on-site ballots entered by staff with a second-person
check, corrections, the count, the result page with every number behind each verdict and the files that
`jiayuan tally` reads, publication, and the new committee's officers.

Who sees what:
- Everyone who sees the meeting (selectors.meeting_get: staff over the compound; its owners and residents once
  it is announced) reads it; anyone else gets 404.
- Those who may run the compound's election (rules.may_run_election) do the staff actions and see the frozen
  electorate, the live turnout, the ballots staff entered and the tally files; anyone else gets 404 there.
- An owner in the frozen electorate (selectors.membership) votes and sees their own ballot. No page shows an
  owner anybody else's choices.
"""
