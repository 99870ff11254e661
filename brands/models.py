# The brand registry (brands, standards, news) arrives with its own issue; see docs/decisions.md.
