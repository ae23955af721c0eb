"""Boundaries: reading official polygon files into core.boundaries, and reading layers back for maps.

See geo.boundaries.
"""
