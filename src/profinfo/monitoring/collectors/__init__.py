"""Collectors: fetch (through the shared Fetcher), parse (pure functions), return dataclasses.

Persistence is not here: services in profinfo.monitoring store what collectors return.
"""
