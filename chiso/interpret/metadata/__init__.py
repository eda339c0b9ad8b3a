"""A document's metadata: issuer, province, kind, issue and as-of dates, from its first page."""
