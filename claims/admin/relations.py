"""Conflicts admin (issue 6)."""
