"""Readers that turn source files into `ExtractedDocument`s of raw tables and page text."""
