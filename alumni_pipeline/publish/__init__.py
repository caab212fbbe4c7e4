"""Publish: what leaves the warehouse once the quality gate has passed (the alumni-wall snapshot, the
units' workbooks, the KPI report) and what goes back to the units (refusal reports, templates)."""
