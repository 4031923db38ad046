"""Mutual-information bounds as pure functions of critic scores (nats)."""
