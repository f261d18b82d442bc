"""Assessments (issue 20): reading a submission into one `graph.AssessmentParts` (`csv`, `graph`,
`survey`; `csv` also writes the template), publishing it (`submit`, `problems`, `publish`,
`survey_publish`, raising the error model's errors) and what is derived from a publication
(`scoring`, `latest`, `statistics`). Every write is named-graph contents (store_api.NamedGraph)."""
