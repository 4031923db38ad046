"""Evaluation of the greedy policy: episodes on the run's own evaluation environment, written as
the run's eval/ scalars (and the intrinsic reward's heat map).

The in-process Runner and the distributed eval job evaluate through the same Evaluator, so a
run's eval/ summaries mean the same whichever trained it.
"""
import os

from absl import logging
import gin
import tensorflow as tf
from tf_agents.drivers import dynamic_episode_driver
from tf_agents.metrics import tf_metrics
from tf_agents.utils import common

from tf_empowerment.envs import suite
from tf_empowerment.train import heat_maps
from tf_empowerment.train import progress

EVAL_SEED_OFFSET = 10_000  # Evaluation episodes differ from every training environment's.


def load_eval_environment(env_id, seed):
  """One unbatched copy of `env_id` with the gin scope 'eval' (e.g. an episode cap), seeded
  apart from the training environments."""
  with gin.config_scope("eval"):
    return suite.load_environment(env_id, num_envs=1, seed=seed + EVAL_SEED_OFFSET)


class Evaluator:
  """Runs `policy` for `episodes` episodes on `eval_env` (the agent's view of `eval_py_env`)
  and writes their mean return, length and episode metrics under root_dir/eval at the step
  evaluated; with `heat_map` (heat_maps), its picture too."""

  def __init__(self, eval_py_env, eval_env, policy, episodes, root_dir, heat_map=None):
    self._py_env = eval_py_env
    self._root_dir, self._heat_map = root_dir, heat_map
    self._metrics = [tf_metrics.AverageReturnMetric(), tf_metrics.AverageEpisodeLengthMetric()]
    self._run_episodes = common.function(dynamic_episode_driver.DynamicEpisodeDriver(
        eval_env, policy, observers=self._metrics, num_episodes=episodes).run)
    self._writer = None

  def evaluate(self, step):
    """Runs the episodes and writes the scalars at `step`; the episode metrics' means."""
    if self._writer is None:
      self._writer = tf.summary.create_file_writer(os.path.join(self._root_dir, "eval"))
    for metric in self._metrics:
      metric.reset()
    self._run_episodes()
    episodes = self._py_env.episode_metrics()
    means = progress.mean_episode_metrics(episodes)
    with self._writer.as_default(step=step):
      for metric in self._metrics:
        tf.summary.scalar(metric.name, metric.result())
      for name, value in means.items():
        tf.summary.scalar(f"episode/{name}", value)
    logging.info("eval at step %d over %d episodes: %s", step, len(episodes),
                 ", ".join(f"{name} {value:g}" for name, value in means.items()))
    png = self._heat_map.png() if self._heat_map is not None else None
    if png is not None:
      heat_maps.write_map(png, step, self._writer, self._root_dir)
    return means
