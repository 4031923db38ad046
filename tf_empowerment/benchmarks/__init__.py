"""Benchmark-only code: sweeps over configs and seeds, reading results, exploration counters, test data."""
