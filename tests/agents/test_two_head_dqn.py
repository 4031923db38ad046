"""Tests of the two-head DQN agent against TD losses computed by hand from its heads."""

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tests import batches
from tf_empowerment.agents import dqn as agent_lib

NUM_ACTIONS, STATE_SIZE, BATCH = 3, 4, 6
GAMMA, INTRINSIC_GAMMA = 0.9, 0.5


def _agent(double_dqn, episodic):
  observation_spec = tensor_spec.TensorSpec([STATE_SIZE], tf.float32)
  action_spec = tensor_spec.BoundedTensorSpec([], tf.int32, 0, NUM_ACTIONS - 1)
  agent, _ = agent_lib.create_dqn_agent(
      ts.time_step_spec(observation_spec), action_spec, tf.Variable(0, dtype=tf.int64),
      reward_channels=2, intrinsic_episodic=episodic, double_dqn=double_dqn, gamma=GAMMA,
      intrinsic_gamma=INTRINSIC_GAMMA)
  return agent


def _experience():
  """[BATCH, 2] steps of reward pairs: row 0 a LAST -> FIRST boundary, row 1 a terminal (d = 0)."""
  experience = batches.transitions(BATCH, STATE_SIZE, NUM_ACTIONS, reward_shape=[2])
  return experience._replace(
      next_step_type=tf.tensor_scatter_nd_update(experience.next_step_type, [[1, 0]],
                                                 [ts.StepType.LAST]),
      discount=tf.tensor_scatter_nd_update(experience.discount, [[1, 0]], [0.0]))


def _huber(x):
  return np.where(np.abs(x) <= 1.0, 0.5 * x**2, np.abs(x) - 0.5)


class TwoHeadDqnAgentTest(parameterized.TestCase):

  @parameterized.product(double_dqn=(True, False), episodic=(True, False))
  def test_loss_is_the_sum_of_each_heads_td_loss(self, double_dqn, episodic):
    tf.random.set_seed(0)
    agent = _agent(double_dqn, episodic)
    online, target = agent._q_network, agent._target_q_network
    for variable in online.variables:  # Online and target networks now differ.
      variable.assign_add(tf.random.normal(variable.shape, stddev=0.3))
    experience = _experience()
    observation, next_observation = experience.observation[:, 0], experience.observation[:, 1]
    rows = np.arange(BATCH)
    q = online.head_values(observation).numpy()[rows, experience.action[:, 0].numpy()]
    next_target = target.head_values(next_observation).numpy()
    chooser = online if double_dqn else target
    next_action = np.argmax(chooser.head_values(next_observation).numpy().sum(-1), axis=-1)
    discount = experience.discount[:, 0].numpy()
    discounts = np.stack([GAMMA * discount,
                          INTRINSIC_GAMMA * (discount if episodic else np.ones(BATCH))], -1)
    td_target = experience.reward[:, 0].numpy() + discounts * next_target[rows, next_action]
    valid = np.arange(BATCH) != 0  # The LAST -> FIRST step is no transition.
    expected = np.sum(_huber(td_target - q)[valid]) / BATCH

    loss_info = agent.loss(experience)
    self.assertAlmostEqual(float(loss_info.loss), expected, places=5)
    np.testing.assert_allclose(loss_info.extra.td_error[valid], (td_target - q)[valid],
                               rtol=1e-5, atol=1e-6)

  def test_greedy_action_is_argmax_of_the_sum_of_heads(self):
    tf.random.set_seed(1)
    agent = _agent(double_dqn=True, episodic=False)
    observation = tf.random.normal([16, STATE_SIZE])
    actions = agent.policy.action(ts.restart(observation, batch_size=16)).action
    heads = agent._q_network.head_values(observation).numpy()
    np.testing.assert_array_equal(actions, np.argmax(heads.sum(-1), axis=-1))
    # The heads disagree somewhere, so the sum is what decides.
    self.assertFalse(np.array_equal(np.argmax(heads[..., 0], -1), np.argmax(heads.sum(-1), -1)))

  def test_train_step_updates_both_heads(self):
    tf.random.set_seed(2)
    agent = _agent(double_dqn=True, episodic=False)
    heads = agent._q_network.variables[-4:]  # Extrinsic then intrinsic kernel and bias.
    before = [v.numpy() for v in heads]
    self.assertTrue(np.isfinite(float(agent.train(_experience()).loss)))
    for weights, variable in zip(before, heads):
      self.assertFalse(np.array_equal(weights, variable.numpy()), variable.name)


if __name__ == "__main__":
  absltest.main()
