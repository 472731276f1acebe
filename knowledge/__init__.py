"""Walkaway knowledge package: reviewed data files, their checker, the SQL knowledge base and its repository.

Imports neither ``bot`` nor ``actions``. Importing this package does no I/O.
"""
