"""Parsing of Vietnamese numbers, dates and labels into plain values."""
