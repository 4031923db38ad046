"""Intrinsic-reward component and reward normalisation used by the trainer."""
