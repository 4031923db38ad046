"""Empowerment estimators: MINE-style, variational and exact (Blahut-Arimoto)."""
