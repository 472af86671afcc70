"""Tests of the signing kernels, run over both implementations."""
