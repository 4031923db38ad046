"""Tests of the DQN agent factory and its epsilon schedule."""
import os

from absl.testing import absltest
import gin
import numpy as np
import tensorflow as tf
from tf_agents.agents.dqn import dqn_agent
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.agents import dqn as agent_lib
from tf_empowerment.train import config
from tf_empowerment.agents import two_head_dqn

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _specs():
  observation_spec = tensor_spec.TensorSpec([3], tf.float32)
  action_spec = tensor_spec.BoundedTensorSpec([], tf.int32, minimum=0, maximum=4)
  return ts.time_step_spec(observation_spec), action_spec


class LinearEpsilonTest(absltest.TestCase):

  def test_decays_linearly_then_holds(self):
    schedule = agent_lib.LinearEpsilon(start=1.0, end=0.1, decay_steps=100)
    values = [float(schedule(step)) for step in (0, 50, 100, 1000)]
    np.testing.assert_allclose(values, [1.0, 0.55, 0.1, 0.1], rtol=1e-6)

  def test_rejects_epsilon_outside_unit_interval(self):
    with self.assertRaisesRegex(ValueError, "LinearEpsilon.end must be in"):
      agent_lib.LinearEpsilon(end=1.5)


class CreateDqnAgentTest(absltest.TestCase):

  def test_double_dqn_switch_and_epsilon_follow_agent_step(self):
    agent_step = tf.Variable(0, dtype=tf.int64)
    time_step_spec, action_spec = _specs()
    agent, schedule = agent_lib.create_dqn_agent(
        time_step_spec, action_spec, agent_step, double_dqn=True)
    self.assertIsInstance(agent, dqn_agent.DdqnAgent)
    plain, _ = agent_lib.create_dqn_agent(
        time_step_spec, action_spec, agent_step, double_dqn=False)
    self.assertNotIsInstance(plain, dqn_agent.DdqnAgent)
    agent_step.assign(10**9)
    self.assertAlmostEqual(float(schedule(agent_step)), schedule.end, places=6)

  def test_rejects_negative_learning_rate(self):
    with self.assertRaisesRegex(ValueError, "learning_rate must be positive"):
      agent_lib.create_dqn_agent(*_specs(), tf.Variable(0, dtype=tf.int64), learning_rate=-1.0)

  def test_two_reward_channels_build_a_two_head_agent(self):
    agent, _ = agent_lib.create_dqn_agent(*_specs(), tf.Variable(0, dtype=tf.int64),
                                          reward_channels=2)
    self.assertIsInstance(agent, two_head_dqn.TwoHeadDqnAgent)
    self.assertEqual(agent.training_data_spec.reward.shape, [2])
    one_head, _ = agent_lib.create_dqn_agent(*_specs(), tf.Variable(0, dtype=tf.int64))
    self.assertNotIsInstance(one_head, two_head_dqn.TwoHeadDqnAgent)

  def test_rejects_other_channel_counts(self):
    with self.assertRaisesRegex(ValueError, "1 or 2 channels, got 3"):
      agent_lib.create_dqn_agent(*_specs(), tf.Variable(0, dtype=tf.int64), reward_channels=3)

  def test_two_heads_reject_n_step_updates(self):
    with self.assertRaisesRegex(ValueError, "support n_step_update = 1 only, got 3"):
      agent_lib.create_dqn_agent(*_specs(), tf.Variable(0, dtype=tf.int64), reward_channels=2,
                                 n_step_update=3)

  def test_montezuma_two_heads_gin_gives_the_reward_two_channels(self):
    self.addCleanup(gin.clear_config)
    config.parse_gin([os.path.join(REPO, "gin", "montezuma_mine_two_heads.gin")], [])
    self.assertEqual(gin.query_parameter("EmpowermentReward.num_channels"), 2)
    for name, value in (("gamma", 0.999), ("intrinsic_gamma", 0.99)):
      self.assertEqual(gin.query_parameter(f"create_dqn_agent.{name}"), value)
    self.assertEqual(gin.query_parameter("EmpowermentReward.beta"), 0.1)


if __name__ == "__main__":
  absltest.main()
