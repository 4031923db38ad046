"""The run loop in process on real environments: bonuses added by gin alone, channels that pick
the agent, resume (every variable, random streams, learning starts, the exported policy)."""
import os

from absl.testing import absltest
import gin
import numpy as np
import tensorflow as tf
from tf_agents.trajectories import time_step as ts

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.agents import two_head_dqn
from tf_empowerment.envs import suite
from tf_empowerment.rewards import intrinsic_reward
from tf_empowerment.train import config
from tf_empowerment.train import learner as learner_lib
from tf_empowerment.train import runner as runner_lib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHORT = [
    "Runner.num_agent_steps = 200", "ReplayLearner.learning_starts = 100",
    "Runner.eval_interval = 1000", "Runner.eval_episodes = 1",
    "Runner.checkpoint_interval = 100", "Runner.log_interval = 100",
]
MONTEZUMA_SHORT = [
    "Runner.num_envs = 2", "Runner.num_agent_steps = 64", "Runner.agent_steps_per_update = 2",
    "ReplayLearner.learning_starts = 32", "ReplayLearner.batch_size = 8",
    "create_replay_buffer.capacity = 400", "ObservationPipeline.warmup_steps = 16",
    "Runner.eval_interval = 1000", "Runner.eval_episodes = 1", "Runner.checkpoint_interval = 32",
    "Runner.log_interval = 32", "Runner.map_record_interval = 1",
    "AtariEnvironment.max_episode_frames = 200", "eval/AtariEnvironment.max_episode_frames = 40",
]


def _runner(root_dir, gin_file, bindings):
  """A Runner as a new process would build it."""
  gin.clear_config()
  # TF-Agents names replay slots uniquely in the default graph: start afresh, as a process does.
  tf.compat.v1.reset_default_graph()
  config.parse_gin([os.path.join(REPO, "gin", gin_file)], bindings)
  return runner_lib.Runner(root_dir=root_dir)


def _values(module):
  """name -> value of every variable of a tf.Module, in a stable order."""
  return {variable.name + f"#{i}": variable.numpy() for i, variable in enumerate(module.variables)}


class RunnerTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.addCleanup(gin.clear_config)

  def test_count_bonus_is_added_by_gin_alone(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_counts.gin", SHORT)
    runner.run()
    counts = runner.intrinsic_reward.counts.numpy()
    # Every collected step counted once (episode ends add a LAST -> FIRST step to the 200).
    self.assertEqual(counts.sum(), int(runner.replay.num_frames()))
    metrics = runner.train_iteration()
    self.assertBetween(metrics["intrinsic_reward/raw_mean"], 1 / np.sqrt(counts.max()), 1.0)
    self.assertNotIsInstance(runner.agent, two_head_dqn.TwoHeadDqnAgent)

  def test_a_bonus_computed_at_collection_is_stored_in_replay(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_counts.gin",
                     SHORT + ["TabularCountBonus.at_collection = True"])
    runner.start()
    while not (metrics := runner.train_iteration()):
      pass
    stored = runner.replay.gather_all().policy_info[intrinsic_reward.INFO_KEY].numpy()[0]
    # Step t stores the raw bonus 1 / sqrt(max(N(s_t), 1)), N as counted before step t.
    self.assertEqual(float(stored[0]), 1.0)
    self.assertTrue(np.all((stored > 0) & (stored <= 1.0)))
    self.assertLess(float(stored.min()), 0.5)  # the start cell, visited often by then
    self.assertBetween(metrics["intrinsic_reward/raw_mean"], 0.0, 1.0)

  def test_episodic_counts_restart_with_each_episode(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_episodic_counts.gin", SHORT)
    runner.start()
    while not runner.train_iteration():
      pass
    experience = runner.replay.gather_all()
    stored = experience.policy_info[intrinsic_reward.INFO_KEY].numpy()[0]
    first = experience.step_type.numpy()[0] == 0
    # Step t stores 1 / sqrt(visits of s_t in its episode so far): 1 where an episode starts.
    np.testing.assert_array_equal(stored[first], 1.0)
    self.assertTrue(np.all((stored > 0) & (stored <= 1.0)))
    self.assertLess(float(stored.min()), 0.5)  # some cell entered a fifth time in an episode

  def test_n_step_empowerment_learns_from_windows_the_agent_trains_on_the_first_step(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_mine.gin",
                     SHORT + ["EmpowermentReward.n_steps = 2"])
    self.assertEqual(runner.intrinsic_reward.window_length, 3)
    runner.start()
    while not (metrics := runner.train_iteration()):
      pass
    self.assertEqual(runner.intrinsic_reward.estimator.num_sequences, 25)
    self.assertBetween(metrics["estimate/mean"], -0.5, np.log(25.0))
    self.assertTrue(np.isfinite(metrics["train/loss"]))
    self.assertGreater(metrics["train/transition_fraction"], 0.5)

  def test_paper_mode_gives_the_clipped_constant_controls_rewards(self):
    relabelled = []
    for gin_file in ("gridworld_mine_paper.gin", "gridworld_constant_clipped.gin"):
      runner = _runner(self.create_tempdir().full_path, gin_file, SHORT)
      runner.run()
      relabelled.append(runner.intrinsic_reward.relabel(runner.replay.gather_all())[0].numpy())
      if gin_file == "gridworld_mine_paper.gin":
        self.assertIn("paper_mine/jsd_bound", runner.train_iteration())
    # -1 on every step but the goal's (+1); 0 only where a window has no transition.
    np.testing.assert_array_equal(relabelled[0], relabelled[1])
    self.assertEqual(set(np.unique(relabelled[0])) - {-1.0, 0.0, 1.0}, set())

  def test_novelty_times_empowerment_is_built_by_gin_alone(self):
    for gin_file in ("gridworld_counts_times_empowerment.gin", "gridworld_counts_times_mine.gin"):
      runner = _runner(self.create_tempdir().full_path, gin_file, SHORT)
      runner.run()
      count_term, empowerment_term = runner.intrinsic_reward.terms
      self.assertEqual(count_term.counts.numpy().sum(), int(runner.replay.num_frames()))
      # The learned 3-step term trains on 4-step windows, so the combination samples them.
      self.assertEqual(runner.intrinsic_reward.window_length,
                       empowerment_term.window_length)
      metrics = runner.train_iteration()
      # 0.1 * (E / log 125) / sqrt(N) - 0.1 lies in [-0.1, 0].
      self.assertBetween(metrics["intrinsic_reward/scaled_mean"], -0.1, 0.0)
      self.assertBetween(metrics[f"{empowerment_term.name}/empowerment/mean"], -0.5,
                         np.log(125.0))

  def test_a_two_channel_reward_gives_a_two_head_agent(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_counts.gin",
                     SHORT + ["TabularCountBonus.num_channels = 2"])
    self.assertIsInstance(runner.agent, two_head_dqn.TwoHeadDqnAgent)
    runner.start()
    while not (metrics := runner.train_iteration()):
      pass
    self.assertContainsSubset({"train/extrinsic_td_loss", "train/intrinsic_td_loss"}, metrics)

  def test_learning_starts_once_replay_holds_enough_after_a_resume(self):
    root_dir = self.create_tempdir().full_path
    unsaved_replay = SHORT + ["Runner.checkpoint_replay = False"]
    _runner(root_dir, "gridworld_dqn.gin", unsaved_replay).run()
    resumed = _runner(root_dir, "gridworld_dqn.gin",
                      unsaved_replay + ["Runner.num_agent_steps = 400"])
    self.assertIsNotNone(resumed.start())
    self.assertEqual(resumed.agent_step, 200)
    self.assertEqual(int(resumed.replay.num_frames()), 0)
    for _ in range(120):
      updated = bool(resumed.train_iteration())
      # No update until replay holds learning_starts = 100 steps again.
      self.assertEqual(updated, int(resumed.replay.num_frames()) >= 100)
    self.assertTrue(updated)

  def test_a_resumed_run_does_not_replay_the_starts_random_streams(self):
    root_dir = self.create_tempdir().full_path
    random_policy = SHORT + ["Runner.checkpoint_replay = False", "LinearEpsilon.start = 1.0",
                             "LinearEpsilon.end = 1.0", "ReplayLearner.learning_starts = 1000"]

    def actions(runner):
      runner.start()
      for _ in range(60):
        runner.collect()
      return runner.replay.gather_all().action.numpy().ravel()[:60]

    start_actions = actions(_runner(root_dir, "gridworld_dqn.gin", random_policy))
    _runner(root_dir, "gridworld_dqn.gin", random_policy).run()
    resumed = [actions(_runner(root_dir, "gridworld_dqn.gin", random_policy)) for _ in range(2)]
    np.testing.assert_array_equal(resumed[0], resumed[1])  # reproducible from the checkpoint
    self.assertGreater(np.mean(resumed[0] != start_actions), 0.5)

  def test_windows_that_are_no_transitions_train_nothing(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_mine.gin", SHORT)
    replay = runner.replay
    def step(step_type):
      zeros = tf.nest.map_structure(lambda s: tf.zeros([1] + s.shape, s.dtype), replay.data_spec)
      return zeros._replace(step_type=tf.constant([step_type]), reward=tf.constant([5.0]),
                            next_step_type=tf.constant([ts.StepType.MID]))
    # A resume's cut: the last step before the kill (MID), then a restarted episode's FIRST.
    replay.add_batch(step(ts.StepType.MID))
    replay.add_batch(step(ts.StepType.FIRST))
    learner = learner_lib.ReplayLearner(runner.agent, replay, runner.intrinsic_reward,
                                        learning_starts=1)
    learner.create_variables()
    trained = (runner.agent._q_network,  # pylint: disable=protected-access
               runner.intrinsic_reward.estimator)
    before = [_values(module) for module in trained]
    metrics = learner.run()
    self.assertEqual(metrics["train/transition_fraction"], 0.0)
    self.assertEqual(metrics["intrinsic_reward/scaled_mean"], 0.0)
    for module, values in zip(trained, before):
      after = _values(module)
      for name, value in values.items():
        np.testing.assert_array_equal(after[name], value, err_msg=name)

  def test_a_non_finite_loss_raises_divergence(self):
    runner = _runner(self.create_tempdir().full_path, "gridworld_dqn.gin",
                     SHORT + ["ReplayLearner.clip_rewards = False"])
    runner.start()
    for variable in runner.agent._q_network.variables:  # pylint: disable=protected-access
      variable.assign(tf.fill(variable.shape, np.nan))
    with self.assertRaisesRegex(learner_lib.DivergenceError, "train/loss is not finite"):
      for _ in range(200):
        runner.train_iteration()

  def test_a_resumed_montezuma_mine_run_restores_every_variable(self):
    root_dir = self.create_tempdir().full_path
    runner = _runner(root_dir, "montezuma_mine.gin", MONTEZUMA_SHORT)
    runner.run()  # trains agent, estimator and normalisers, then saves at agent step 64
    resumed = _runner(root_dir, "montezuma_mine.gin", MONTEZUMA_SHORT)
    self.assertIsNotNone(resumed.start())
    # Both runs' objects written side by side hold the same keys and the same values: every
    # variable (agent, optimizers, estimator, normalisers, encoder, metrics, replay) restored.
    paths = []
    for run in (runner, resumed):
      paths.append(run._checkpointer._checkpoint.write(  # pylint: disable=protected-access
          os.path.join(self.create_tempdir().full_path, "ckpt")))
    saved, restored = (tf.train.load_checkpoint(path) for path in paths)
    keys = saved.get_variable_to_shape_map()
    self.assertEqual(set(keys), set(restored.get_variable_to_shape_map()))
    self.assertTrue(any("encoder" in key.lower() for key in keys), sorted(keys)[:20])
    self.assertTrue(any("_optimizers" in key for key in keys))
    for key in keys:
      if key != "_CHECKPOINTABLE_OBJECT_GRAPH":
        np.testing.assert_array_equal(restored.get_tensor(key), saved.get_tensor(key),
                                      err_msg=key)

  def test_exported_policy_acts_on_raw_ale_observations(self):
    root_dir = self.create_tempdir().full_path
    runner = _runner(root_dir, "montezuma_mine.gin",
                     MONTEZUMA_SHORT + ["Runner.intrinsic_reward = None"])
    runner.run()
    policy = tf.saved_model.load(os.path.join(root_dir, "policy"))
    env = suite.load_environment("ALE/MontezumaRevenge-v5", num_envs=1, seed=3)
    time_step = env.reset()
    self.assertEqual(time_step.observation.dtype, np.uint8)
    self.assertEqual(time_step.observation.shape, (1, 84, 84, 4))
    step = tf.nest.map_structure(tf.convert_to_tensor, time_step)
    action = policy.action(step, policy.get_initial_state(1)).action
    # The greedy action of the trained agent on the embedding the run itself computes.
    embedded = step._replace(observation=runner.observations.embed(step.observation))
    np.testing.assert_array_equal(action, runner.agent.policy.action(embedded).action)
    env.close()


if __name__ == "__main__":
  absltest.main()
