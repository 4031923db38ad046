"""The actor job: the trainer's actor collecting into the replay server, with pulled weights.

The environments, observation pipeline, intrinsic reward and collect policy are built from the
run's gin file as the in-process Runner builds them; the trainer's Actor runs them, its
observers writing each environment's steps to Reverb. Every `pull_interval` agent steps (and
whenever the replay server holds inserts back) the actor pulls the learner's variables; its
epsilon follows the agent step that the pulled train step stands for. It stops when that step
reaches the run's `num_agent_steps`.
"""
import os
import time

from absl import logging
import gin
import numpy as np
import tensorflow as tf
from tf_agents.metrics import tf_metrics

from tf_empowerment.distributed import connection as connection_lib
from tf_empowerment.distributed import replay_items
from tf_empowerment.distributed import replay_writer
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.distributed import variables as variables_lib
from tf_empowerment.train import actor as actor_lib
from tf_empowerment.train import learner as learner_lib
from tf_empowerment.train import progress
from tf_empowerment.train import runner


@gin.configurable(denylist=["root_dir", "connection", "task"])
class ActorJob:
  """Actor number `task` of a run under `root_dir`, writing to the server `connection` reaches.

  Its environments are sub-environments task * num_envs, ... of the run's batch; it writes
  episode summaries to root_dir/train/actor_<task>.
  """

  def __init__(self, root_dir, connection, task=0, pull_interval=100):
    if not isinstance(pull_interval, int) or pull_interval < 1:
      raise ValueError(f"ActorJob.pull_interval must be a positive integer, got {pull_interval!r}")
    self._settings = settings = settings_lib.RunSettings.from_gin()
    self._root_dir, self._task, self._pull_interval = root_dir, task, pull_interval
    self._connection = connection
    self._agent_step = tf.Variable(0, dtype=tf.int64, name="agent_step")
    self._py_env, parts, collect_policy = settings_lib.build(
        settings, self._agent_step, first_env=task * settings.num_envs)
    self._epsilon = parts.epsilon
    reward, observations = parts.intrinsic_reward, parts.observations
    self._variables = variables_lib.pushed_variables(parts.agent, observations, reward)
    self._channel = variables_lib.VariableChannel(connection, self._variables)
    items = replay_items.of_run(settings, collect_policy.trajectory_spec,
                                learner_lib.window_length(parts.agent, reward))
    self._writer = replay_writer.ReplayWriter(connection, settings.num_envs, items,
                                              observed=reward is not None)
    observers = [self._writer]
    if reward is not None and reward.info_spec != ():
      # The statistics the reward's `info` reads at collection: this actor's own steps'.
      observers.append(lambda steps: reward.observe(observations.states_of(steps)))
    metrics = [tf_metrics.EnvironmentSteps(), tf_metrics.NumberOfEpisodes(),
               tf_metrics.AverageReturnMetric(batch_size=settings.num_envs, buffer_size=100),
               tf_metrics.AverageEpisodeLengthMetric(batch_size=settings.num_envs,
                                                     buffer_size=100)]
    self._steps_per_run = max(settings.num_envs, settings.agent_steps_per_update)
    self.actor = actor_lib.Actor(parts.env, collect_policy, observers, metrics,
                                 self._steps_per_run)

  @property
  def agent_step(self):
    return int(self._agent_step.numpy())

  def _pull(self):
    self._agent_step.assign(self._settings.agent_step(self._channel.pull()))

  def _done(self):
    return self.agent_step >= self._settings.num_agent_steps

  def run(self):
    """Collects until the learner's pushed step reaches the run's end; ReplayUnreachableError
    if the server stops answering for the connection's `give_up_after`."""
    self._pull()
    # Fresh random streams for this actor and this start (a restarted actor does not repeat).
    seed = int(np.random.SeedSequence([self._settings.seed, self._task, self.agent_step])
               .generate_state(1)[0] >> 1)
    tf.random.set_seed(seed)
    self._py_env.reseed(seed)
    # Seeding clears TensorFlow's kernel cache, and with it the channel's Reverb client.
    self._channel = variables_lib.VariableChannel(self._connection, self._variables)
    logging.info("actor %d collecting from agent step %d", self._task, self.agent_step)
    writer = tf.summary.create_file_writer(
        os.path.join(self._root_dir, "train", f"actor_{self._task}"))
    reporter = progress.ProgressReporter(writer, self._settings.num_agent_steps,
                                         self._py_env.frames_per_step, self.agent_step)
    collected = 0
    while not self._done():
      self.actor.run()
      self._wait_for_inserts()
      collected += self._steps_per_run
      if runner.crossed(collected - self._steps_per_run, collected, self._pull_interval):
        self._pull()
      reporter.add_episodes(self._py_env.episode_metrics())
      if runner.crossed(collected - self._steps_per_run, collected, self._settings.log_interval):
        reporter.report(self.agent_step, self.actor.metrics, {},
                        self._epsilon(self._agent_step))
    logging.info("actor %d: the learner reached agent step %d; collected %d steps", self._task,
                 self.agent_step, collected)
    self._writer.close()

  def _wait_for_inserts(self):
    """Waits for the server to take the latest steps, pulling meanwhile: the rate limiter
    holds inserts while the learner is behind, and the learner may have finished."""
    waiting_since = time.monotonic()
    while not self._writer.flush():
      self._pull()
      if self._done():
        return
      waited = time.monotonic() - waiting_since
      if waited > self._connection.give_up_after:
        raise connection_lib.ReplayUnreachableError(
            f"replay server at {self._connection.address} took no insert for {waited:.0f} s "
            f"(is the learner running?)")
      logging.info("actor %d: replay holds inserts until the learner (at agent step %d) "
                   "samples; waited %.0f s", self._task, self.agent_step, waited)
