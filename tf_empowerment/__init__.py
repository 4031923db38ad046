"""Empowerment-driven exploration for TF-Agents DQN (arXiv 1810.05533)."""
