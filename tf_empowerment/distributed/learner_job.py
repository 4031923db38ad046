"""The learner job: the trainer's ReplayLearner on the replay server's table, pushing weights.

The agent, intrinsic reward and observation pipeline are built from the run's gin file as the
in-process Runner builds them, and trained by the same ReplayLearner (sampling, relabelling
through the IntrinsicReward seam, weighted update), its batches sampled from Reverb; before
each call the intrinsic reward observes every step the actors queued (observed_steps). Each
compiled call runs `push_interval` updates, then the policy variables and the train step are
pushed. The learner owns the run's clock (RunSettings.agent_step of its train step), its
checkpoints (RunCheckpointer under root_dir/checkpoints; the replay server checkpoints its
tables at the same moments) and the exported greedy policy; rerunning it resumes from its
latest checkpoint.
"""
import os
import time

from absl import logging
import gin
import tensorflow as tf

from tf_empowerment.distributed import connection as connection_lib
from tf_empowerment.distributed import observed_steps
from tf_empowerment.distributed import replay_items
from tf_empowerment.distributed import replay_sampler
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.distributed import variables as variables_lib
from tf_empowerment.train import checkpoints
from tf_empowerment.train import learner as learner_lib
from tf_empowerment.train import progress
from tf_empowerment.train import runner


@gin.configurable(denylist=["root_dir", "connection"])
class LearnerJob:
  """Trains the run under `root_dir` from the server `connection` reaches.

  A compiled call whose samples the rate limiter holds back for `sample_timeout` seconds (no
  actor inserting) ends; the job logs it and waits again, up to the connection's
  `give_up_after`, then raises ReplayUnreachableError.
  """

  def __init__(self, root_dir, connection, push_interval=100, sample_timeout=30.0):
    if not isinstance(push_interval, int) or push_interval < 1:
      raise ValueError(f"LearnerJob.push_interval must be a positive integer, got "
                       f"{push_interval!r}")
    self._settings = settings = settings_lib.RunSettings.from_gin()
    self._root_dir, self._connection = root_dir, connection
    self._push_interval, self._sample_timeout = push_interval, sample_timeout
    self._py_env, self._parts, collect_policy = settings_lib.build(
        settings, tf.Variable(0, dtype=tf.int64, name="agent_step"))
    self._data_spec = collect_policy.trajectory_spec
    self.learner = self._make_learner()
    self.learner.create_variables()
    trackables = dict(agent=self._parts.agent, observations=self._parts.observations)
    if self._parts.intrinsic_reward is not None:
      trackables["intrinsic_reward"] = self._parts.intrinsic_reward
    self._checkpointer = checkpoints.RunCheckpointer(root_dir, **trackables)
    reward = self._parts.intrinsic_reward
    self._channel = variables_lib.VariableChannel(connection, variables_lib.pushed_variables(
        self._parts.agent, self._parts.observations, reward))
    self._observed = None if reward is None else observed_steps.ObservedSteps(
        connection, reward, self._parts.observations, self._data_spec)

  def _make_learner(self):
    """A ReplayLearner on a new sampler (after a sample timeout ended the last one's dataset)."""
    parts = self._parts
    items = replay_items.of_run(self._settings, self._data_spec,
                                learner_lib.window_length(parts.agent, parts.intrinsic_reward))
    self._sampler = replay_sampler.ReplaySampler(self._connection, items,
                                                 self._settings.batch_size, self._sample_timeout)
    return learner_lib.ReplayLearner(parts.agent, self._sampler, parts.intrinsic_reward,
                                     parts.observations.states_of,
                                     updates_per_run=self._push_interval)

  @property
  def agent_step(self):
    return self._settings.agent_step(self._parts.agent.train_step_counter.numpy())

  def run(self, stop_requested=lambda: False):
    """Trains until the run's `num_agent_steps` or `stop_requested()`, then saves and pushes
    the last variables (the actors stop on them)."""
    restored = self._checkpointer.restore()
    if restored:
      logging.info("Resuming from %s at agent step %d with %d windows in replay", restored,
                   self.agent_step, self._sampler.num_frames())
    else:
      self._parts.observations.warm_up(self._py_env, self._settings.seed)
    self._channel.push()
    reporter = progress.ProgressReporter(
        tf.summary.create_file_writer(os.path.join(self._root_dir, "train")),
        self._settings.num_agent_steps, self._py_env.frames_per_step, self.agent_step)
    metrics, saved_step = {}, self.agent_step if restored else None
    while self.agent_step < self._settings.num_agent_steps and not stop_requested():
      previous_step = self.agent_step
      update_metrics = self._updates()
      if not update_metrics:  # Replay holds fewer than learning_starts windows.
        time.sleep(1.0)
        continue
      metrics = update_metrics
      self._channel.push()
      step = self.agent_step
      if runner.crossed(previous_step, step, self._settings.log_interval):
        reporter.report(step, [], metrics, self._parts.epsilon(step))
      if runner.crossed(previous_step, step, self._settings.checkpoint_interval):
        saved_step = self._save()
    if saved_step != self.agent_step:
      self._save()
    self._channel.push()
    logging.info("learner finished at agent step %d", self.agent_step)

  def _updates(self):
    """One compiled call of `push_interval` updates (their last metrics, {} before learning
    starts); waits again, with a log line, while no actor inserts."""
    waiting_since = time.monotonic()
    while True:
      if self._observed:  # The collection statistics first, as in process.
        self._observed.observe_queued()
      try:
        return self.learner.run()
      except (tf.errors.OutOfRangeError, tf.errors.UnavailableError) as error:
        waited = time.monotonic() - waiting_since
        if waited > self._connection.give_up_after:
          raise connection_lib.ReplayUnreachableError(
              f"replay server at {self._connection.address} gave no sample for {waited:.0f} s "
              f"(are the actors running?)") from None
        logging.warning("no replay sample at agent step %d (%s: the rate limiter waits for "
                        "actors to insert, or the server restarts); waiting again",
                        self.agent_step, type(error).__name__)
        self.learner = self._make_learner()

  def _save(self):
    """Saves the learner's checkpoint, then the replay server's tables, then the policy."""
    step = self.agent_step
    self.learner.check_finite()  # A diverged run keeps its last good checkpoint.
    path = self._checkpointer.save(step)
    replay_path = self._connection.client.checkpoint()
    logging.info("Saved %s at agent step %d; replay tables in %s", path, step, replay_path)
    checkpoints.export_policy(self._parts.export_policy, os.path.join(self._root_dir, "policy"),
                              self._parts.agent.train_step_counter)
    return step
