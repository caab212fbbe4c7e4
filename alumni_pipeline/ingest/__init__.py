"""Ingest: read what units drop (readers, header recognition) and land it in `raw.<source>`, refusing
bad files and rows with a reason code."""
