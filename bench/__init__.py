"""Benchmarks with budgets (DESIGN §10): `python -m bench NAME [--skus N]`. Never run as tests."""
