"""Benchmarks of the pipeline (not part of the test suite): `python -m benchmarks.run --help`."""
