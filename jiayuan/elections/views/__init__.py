"""Election and general-meeting pages: `campaigns` (nominations to the campaign meeting, review queues) and
`meetings` (the owners' general meeting: voting, paper ballots, count, results)."""
