"""Environments: gymnasium -> TF-Agents adapter, Atari (ALE) and gridworlds."""
