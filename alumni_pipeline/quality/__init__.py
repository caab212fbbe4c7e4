"""The quality gate: the Great Expectations suites of `expectations/` run on what the warehouse holds
(`gx_suites`), and file by file on every source's conformed rows (`file_gate`)."""
