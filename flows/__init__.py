"""Prefect flows: thin orchestration over the chiso library."""
