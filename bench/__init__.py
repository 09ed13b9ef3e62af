"""Benchmarks: `make bench` (or `python -m bench`) prints figures and ratios to a baseline;
`python -m bench matrix` times the Matrix `!agenda` round trip against a bare echo bot."""
