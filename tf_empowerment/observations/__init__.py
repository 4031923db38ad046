"""Observations in one place: normaliser, frozen encoder and where embeddings are made."""
