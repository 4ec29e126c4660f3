"""Tadamon: the platform of the regional social and solidarity economy."""

__version__ = "0.1.0"
