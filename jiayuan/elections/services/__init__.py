"""Writes of elections and general meetings: `campaign` (nominations to the campaign meeting) and
`assembly` (the owners' general meeting, its ballots, count and publication)."""
