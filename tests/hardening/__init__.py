"""Hardening tests: export locks, leaks, reference counts, stress, fuzz regressions."""
