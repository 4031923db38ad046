"""The actor's Reverb writers and the learner's observed steps on a real Reverb server in process:
replay holds each environment's windows as the in-process buffer does, and the learner's
intrinsic reward ends with the statistics of observing every collected step in process."""
import os

from absl.testing import absltest
import gin
import numpy as np
import portpicker
import tensorflow as tf

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.distributed import connection
from tf_empowerment.distributed import observed_steps
from tf_empowerment.distributed import replay_items
from tf_empowerment.distributed import replay_sampler
from tf_empowerment.distributed import replay_server
from tf_empowerment.distributed import replay_writer
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.distributed import variables
from tf_empowerment.replay import buffers
from tf_empowerment.train import actor as actor_lib
from tf_empowerment.train import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Two environments, counts normalised by the running std of their discounted return: a
# statistic of sums (counts) and one of each environment's order (the return's lanes).
BINDINGS = ["Runner.num_envs = 2", "TabularCountBonus.normaliser = @DiscountedReturnNormaliser",
            "LinearEpsilon.start = 1.0", "LinearEpsilon.end = 1.0",
            "ReplayLearner.learning_starts = 10"]


class ObservedStepsTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    gin.clear_config()
    self.addCleanup(gin.clear_config)
    config.parse_gin([os.path.join(REPO, "gin", "gridworld_counts.gin")], BINDINGS)
    self.settings = settings_lib.RunSettings.from_gin()
    agent_step = tf.Variable(0, dtype=tf.int64)
    py_env, self.parts, self.collect_policy = settings_lib.build(self.settings, agent_step)
    self.addCleanup(py_env.close)
    self.items = replay_items.of_run(self.settings, self.collect_policy.trajectory_spec, 2)
    tables = replay_server.replay_tables(
        self.settings, self.items,
        variables.pushed_variables(self.parts.agent, self.parts.observations,
                                   self.parts.intrinsic_reward),
        observed=True, tolerance=1_000, observe_queue=1_000)  # No insert waits for samples.
    self.server = replay_server.start(tables, portpicker.pick_unused_port(),
                                      self.create_tempdir().full_path)
    self.addCleanup(self.server.stop)
    self.connection = connection.Connection(f"localhost:{self.server.port}", call_timeout=5.0,
                                            give_up_after=10.0)

  def _new_reward(self):
    return self.settings.intrinsic_reward(
        state_spec=self.parts.observations.state_spec,
        action_spec=self.parts.env.action_spec(), num_envs=self.settings.num_envs)

  def _collect(self, num_runs, observers):
    writer = replay_writer.ReplayWriter(self.connection, self.settings.num_envs, self.items,
                                        observed=True)
    actor = actor_lib.Actor(self.parts.env, self.collect_policy, [writer] + observers, [], 2)
    for _ in range(num_runs):
      actor.run()
      self.assertTrue(writer.flush())
    writer.close()

  def test_the_learner_observes_every_collected_step_in_order(self):
    in_process, learner = self._new_reward(), self._new_reward()
    self._collect(60, [in_process.observe])  # 60 runs of one step of each environment.
    observed = observed_steps.ObservedSteps(self.connection, learner, self.parts.observations,
                                            self.collect_policy.trajectory_spec)
    self.assertEqual(observed.observe_queued(), 60)
    self.assertEqual(observed.observe_queued(), 0)  # Each step is observed once.
    self.assertEqual(learner.counts.numpy().sum(), 120)
    for mine, theirs in zip(learner.variables, in_process.variables):
      np.testing.assert_array_equal(mine.numpy(), theirs.numpy(), err_msg=mine.name)
    self.assertGreater(float(learner.normaliser.return_stats.count.numpy()), 100)

  def test_replay_holds_each_environments_consecutive_windows(self):
    in_process = buffers.create_replay_buffer(self.collect_policy.trajectory_spec,
                                              self.settings.num_envs)
    self._collect(30, [in_process.add_batch])
    # One window per environment per step after its first: those of the in-process buffer.
    self.assertEqual(self.connection.table_info(replay_server.REPLAY_TABLE).current_size,
                     2 * 29)
    observations = in_process.gather_all().observation.numpy()  # [env, t, D]
    windows = {tuple(window.ravel()) for env in range(2)
               for window in np.stack([observations[env, :-1], observations[env, 1:]], axis=1)}
    sampler = replay_sampler.ReplaySampler(self.connection, self.items, 40, timeout=10.0)
    sampled, _ = sampler.get_next(40, 2)
    for window in sampled.observation.numpy():
      self.assertIn(tuple(window.ravel()), windows)


if __name__ == "__main__":
  absltest.main()
