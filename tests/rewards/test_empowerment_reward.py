"""Tests of the intrinsic-reward component on fixed batches, with a real estimator and agent."""
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

from tests import batches
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import oracle
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.agents import dqn as agent_lib

NUM_ACTIONS, STATE_SIZE, BATCH = 3, 4, 8


def _experience():
  return batches.transitions(BATCH, STATE_SIZE, NUM_ACTIONS)


def _component(beta):
  return empowerment_reward.EmpowermentReward(
      num_actions=NUM_ACTIONS, num_envs=2, beta=beta,
      estimator=lambda num_actions: mine.MineEmpowerment(num_actions=num_actions))


def _exact_component(beta, floor=None):
  """The component on exact 1-step empowerment of open_5x5: log 3 at corners, log 4 at walls,
  log 5 inside."""
  return empowerment_reward.EmpowermentReward(
      num_actions=5, num_envs=2, beta=beta, floor=floor,
      estimator=lambda num_actions: oracle.ExactGridworldEmpowerment(
          num_actions, layout="open_5x5"))


def _cells_experience(reward=((0.0, 0.0),) * 3):
  """A [3, 2] batch of open_5x5 one-hot cells: s -> corner, s -> inside, s -> wall."""
  cells = np.eye(25, dtype=np.float32)[[1, 0, 6, 12, 7, 2]]
  return _experience()._replace(
      observation=tf.constant(cells.reshape(3, 2, 25)), action=tf.zeros([3, 2], tf.int32),
      step_type=tf.fill([3, 2], ts.StepType.MID), next_step_type=tf.fill([3, 2], ts.StepType.MID),
      reward=tf.constant(reward, tf.float32), discount=tf.ones([3, 2]))


class EmpowermentRewardTest(absltest.TestCase):

  def test_beta_zero_gives_plain_dqn_targets(self):
    tf.random.set_seed(0)
    experience = _experience()
    relabelled, _ = _component(beta=0.0)(experience)
    np.testing.assert_array_equal(relabelled.reward.numpy(), experience.reward.numpy())
    observation_spec = tensor_spec.TensorSpec([STATE_SIZE], tf.float32)
    action_spec = tensor_spec.BoundedTensorSpec([], tf.int32, 0, NUM_ACTIONS - 1)
    agent, _ = agent_lib.create_dqn_agent(
        ts.time_step_spec(observation_spec), action_spec, tf.Variable(0, dtype=tf.int64))
    self.assertEqual(float(agent.loss(relabelled).loss), float(agent.loss(experience).loss))

  def test_intrinsic_reward_is_the_estimators_empowerment_of_the_next_state(self):
    tf.random.set_seed(0)
    experience = _experience()
    component = _component(beta=0.5)
    relabelled, metrics = component(experience)
    # A fresh normaliser has unit std, so r = r_ext + beta * E(s_{t+1}).
    expected = component.estimator.empowerment(experience.observation[:, 1]).numpy()
    intrinsic = (relabelled.reward[:, 0] - experience.reward[:, 0]).numpy() / 0.5
    np.testing.assert_allclose(intrinsic, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(relabelled.reward[:, 1].numpy(), experience.reward[:, 1])
    self.assertAlmostEqual(float(metrics["empowerment/mean"]), float(np.mean(expected)),
                           places=4)
    for name in ("forward_model/loss", "critic/loss", "critic/jsd"):
      self.assertTrue(np.isfinite(float(metrics[name])), name)

  def test_normaliser_follows_collected_intrinsic_returns(self):
    component = _component(beta=0.1)
    experience = _experience()
    for t in range(2):
      component.observe(trajectory.Trajectory(
          *[field[:2, t] if not isinstance(field, tuple) else field for field in experience]))
    self.assertEqual(float(component.normaliser.return_stats.count), 4.0)

  def test_floor_raises_low_estimates_before_normalisation(self):
    relabelled, metrics = _exact_component(beta=1.0, floor=1.2)(_cells_experience())
    np.testing.assert_allclose(relabelled.reward[:, 0], [1.2, math.log(5.0), math.log(4.0)],
                               rtol=1e-5)
    self.assertAlmostEqual(float(metrics["empowerment/max"]), math.log(5.0), places=5)

  def test_separate_channels_are_the_extrinsic_and_the_scaled_intrinsic_reward(self):
    component = _exact_component(beta=0.5)
    experience = _cells_experience(reward=[[1.0, -1.0], [0.0, 1.0], [-1.0, 0.0]])
    channels, _ = component(experience, separate=True)
    self.assertEqual(channels.reward.shape, [3, 2, 2])
    np.testing.assert_array_equal(channels.reward[..., 0], experience.reward)
    np.testing.assert_allclose(channels.reward[:, 0, 1],
                               0.5 * np.log([3.0, 5.0, 4.0]), rtol=1e-5)
    np.testing.assert_array_equal(channels.reward[:, 1, 1], np.zeros(3))
    combined, _ = component(experience)
    np.testing.assert_allclose(combined.reward, tf.reduce_sum(channels.reward, -1), rtol=1e-6)

  def test_rejects_negative_beta(self):
    with self.assertRaisesRegex(ValueError, "beta must be non-negative"):
      _component(beta=-1.0)


if __name__ == "__main__":
  absltest.main()
