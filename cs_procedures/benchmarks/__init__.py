"""Benchmarks run inside a site with `bench --site S execute ...`; not part of the test suites."""
