"""Progress of a run: a periodic console line and the matching TensorBoard scalars."""
import collections
import datetime
import time

from absl import logging
import numpy as np
import tensorflow as tf

# Update metrics with this suffix count estimates outside their possible range; any is flagged.
OUT_OF_RANGE_SUFFIX = "/out_of_range"


def _series(episodes):
  values = collections.defaultdict(list)
  for episode in episodes:
    for name, value in episode.items():
      values[name].append(float(value))
  return values


def mean_episode_metrics(episodes):
  """Averages each metric over a list of per-episode metric dicts."""
  return {name: float(np.mean(series)) for name, series in _series(episodes).items()}


def max_episode_metrics(episodes):
  """The largest value of each metric over a list of per-episode metric dicts."""
  return {name: float(np.max(series)) for name, series in _series(episodes).items()}


class ProgressReporter:
  """Prints step, agent steps/s, frames/s, ETA and the last episode; writes train scalars."""

  def __init__(self, writer, total_steps, frames_per_step, start_step):
    self._writer = writer
    self._total_steps = total_steps
    self._frames_per_step = frames_per_step
    self._last_step, self._last_time = start_step, time.monotonic()
    self._episodes = []
    self._last_episode = None

  def add_episodes(self, episodes):
    """Keeps the episodes completed since the last report."""
    if episodes:
      self._episodes.extend(episodes)
      self._last_episode = episodes[-1]

  def report(self, step, metrics, update_metrics, epsilon):
    """Writes `metrics` (TF-Agents), `update_metrics` (name -> float) and speed; prints a line."""
    now = time.monotonic()
    steps_per_second = (step - self._last_step) / max(now - self._last_time, 1e-9)
    self._last_step, self._last_time = step, now
    with self._writer.as_default(step=step):
      for metric in metrics:
        tf.summary.scalar(f"metrics/{metric.name}", metric.result())
      for name, value in mean_episode_metrics(self._episodes).items():
        tf.summary.scalar(f"episode/{name}", value)
      for name, value in max_episode_metrics(self._episodes).items():
        tf.summary.scalar(f"episode_max/{name}", value)
      tf.summary.scalar("speed/agent_steps_per_second", steps_per_second)
      tf.summary.scalar("speed/frames_per_second", steps_per_second * self._frames_per_step)
      tf.summary.scalar("train/epsilon", epsilon)
      for name, value in update_metrics.items():
        tf.summary.scalar(name, value)
    self._episodes = []
    eta = (self._total_steps - step) / max(steps_per_second, 1e-9)
    line = (f"step {step}/{self._total_steps} | {steps_per_second:.0f} steps/s | "
            f"{steps_per_second * self._frames_per_step:.0f} frames/s | "
            f"ETA {datetime.timedelta(seconds=int(eta))}")
    if self._last_episode is not None:
      line += " | last episode " + ", ".join(
          f"{name} {value:g}" for name, value in self._last_episode.items())
    for name, value in update_metrics.items():
      if name.endswith(OUT_OF_RANGE_SUFFIX) and value > 0:
        line += f" | WARNING {name}: {value:.1%} of estimates outside their possible range"
    logging.info(line)
