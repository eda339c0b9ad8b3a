"""Readers: source files → `ExtractedDocument`s of raw tables and page text, one subpackage per format."""
