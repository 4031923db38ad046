"""Keras models: frozen encoder, forward model, critics, source/planning and Q-networks."""
