"""The pure computational core: frameworks, scoring, benchmarking, the regional index, file I/O.

Nothing under this package imports Django (tests/test_architecture.py checks it), so the core
works as a library, from the CLI and inside the web apps alike.
"""
