"""The seed paper's reward on hand-computed cases: the per-sample Jensen-Shannon term, the
critic blind to s, and the sign-clipped augmented reward, which the constant control matches."""
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tests import batches
from tf_empowerment.rewards import constant
from tf_empowerment.rewards import paper_mine

NUM_ACTIONS, STATE_SIZE = 3, 4
STATE_SPEC = tensor_spec.TensorSpec([STATE_SIZE], tf.float32)
ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, NUM_ACTIONS - 1)


class _SumCritic(tf.keras.Model):
  """T(x, a) = sum(x) * (a + 1), whatever the state."""

  def __init__(self, num_actions, use_state):
    super().__init__()
    assert not use_state
    self._factors = tf.range(1, num_actions + 1, dtype=tf.float32)

  def call(self, states, next_states):
    return tf.reduce_sum(next_states, -1, keepdims=True) * self._factors


def _softplus(x):
  return math.log1p(math.exp(x))


class PaperMineRewardTest(absltest.TestCase):

  def test_bonus_is_the_per_sample_jensen_shannon_term(self):
    bonus = paper_mine.PaperMineReward(STATE_SPEC, ACTION_SPEC, num_envs=1,
                                       statistics_network=_SumCritic)
    # The untrained model predicts s' = s for every action, so s_bar = s.
    states = tf.constant([[0.5, 0.0, 0.0, 0.0], [0.0, -1.0, 0.0, 0.5]])
    next_states = tf.constant([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0]])
    values = bonus.transition_bonus(states, tf.constant([1, 0]), next_states)
    # Row 0: T(s', 1) = 1 * 2, T(s_bar, 1) = 0.5 * 2; row 1: T(s', 0) = 3, T(s_bar, 0) = -0.5.
    np.testing.assert_allclose(values, [-_softplus(-2.0) - _softplus(1.0),
                                        -_softplus(-3.0) - _softplus(-0.5)], rtol=1e-5)

  def test_critic_does_not_see_the_state(self):
    bonus = paper_mine.PaperMineReward(STATE_SPEC, ACTION_SPEC, num_envs=1)
    bonus.create_variables()
    points = tf.random.normal([2, 5, STATE_SIZE], seed=1)
    np.testing.assert_allclose(bonus.critic(tf.zeros([2, STATE_SIZE]), points),
                               bonus.critic(tf.ones([2, STATE_SIZE]), points))

  def test_augmented_reward_is_clipped_to_its_sign_as_the_constant_controls(self):
    experience = batches.transitions(16, STATE_SIZE, NUM_ACTIONS, seed=3)
    bonus = paper_mine.PaperMineReward(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=0.1)
    rewards, metrics = bonus.relabel(experience)
    extrinsic = experience.reward.numpy()
    # Every transition's bonus is negative: -1 unless the extrinsic reward is +1. Row 0's first
    # step (an episode's end) and every last step have no bonus: the extrinsic reward's sign.
    expected = np.sign(extrinsic)
    expected[1:, 0] = np.where(extrinsic[1:, 0] > 0, 1.0, -1.0)
    np.testing.assert_array_equal(rewards[..., 0], expected)
    self.assertLess(float(metrics["intrinsic_reward/raw_mean"]), 0.0)
    self.assertIn("paper_mine/jsd_bound", metrics)
    control = constant.ConstantBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, value=-0.1,
                                     sign_clipped=True)
    np.testing.assert_array_equal(control.relabel(experience)[0], rewards)

  def test_sign_clipping_needs_one_channel(self):
    with self.assertRaisesRegex(ValueError, "sign_clipped clips the sum: it needs one channel"):
      constant.ConstantBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, num_channels=2,
                             sign_clipped=True)


if __name__ == "__main__":
  absltest.main()
