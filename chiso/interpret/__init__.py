"""Interpretation: what the read tables and text say (document metadata, narrative figures, tables)."""
