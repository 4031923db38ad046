"""The gin-configured DQN train/eval loop, replay, checkpoints and summaries."""
