"""Benchmarks: `make bench` (or `python -m bench`) prints figures and ratios to a baseline."""
