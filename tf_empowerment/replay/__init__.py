"""Replay buffers and the rules that say which sampled windows are real transitions."""
