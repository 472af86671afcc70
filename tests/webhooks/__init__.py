"""Webhook tests (package so helper modules import relatively)."""
