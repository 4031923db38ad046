"""CombinedBonus on hand-computed cases: the sum, the product and the familiar sum of its terms'
rewards, each term reading its own info from replay, and the errors of a bad configuration."""
import functools
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tests import batches
from tf_empowerment.rewards import combined
from tf_empowerment.rewards import constant
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import intrinsic_reward

NUM_CELLS = 4
STATE_SPEC = tensor_spec.TensorSpec([NUM_CELLS], tf.float32)
ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, 4)
FIRST, MID, LAST = ts.StepType.FIRST, ts.StepType.MID, ts.StepType.LAST


def _bonus(terms, **kwargs):
  return combined.CombinedBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, terms=terms, **kwargs)


def _experience(cells, step_types):
  return batches.of_states(np.eye(NUM_CELLS)[cells], step_types)


class CombinedBonusTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    # N(1) = 4, N(2) = 0; the third row is an episode's end, no transition.
    self.experience = _experience([[0, 1], [0, 2], [1, 0]], [[MID, MID], [MID, MID],
                                                               [LAST, FIRST]])

  def _counted(self, bonus):
    bonus.terms[0].counts.assign([0.0, 4.0, 0.0, 0.0])
    return bonus

  def test_sum_adds_each_terms_own_reward(self):
    bonus = self._counted(_bonus([
        functools.partial(counts.TabularCountBonus, beta=0.1, offset=-0.1),
        functools.partial(constant.ConstantBonus, value=-0.05)]))
    rewards, metrics = bonus.relabel(self.experience)
    np.testing.assert_allclose(rewards[..., 0], [[0.1 * (0.5 - 1.0) - 0.05, 0.0],
                                                 [-0.05, 0.0], [0.0, 0.0]], atol=1e-7)
    self.assertIn("tabular_count_bonus/intrinsic_reward/raw_mean", metrics)
    self.assertIn("constant_bonus/intrinsic_reward/raw_mean", metrics)

  def test_product_scales_and_offsets_the_product_of_the_terms_rewards(self):
    bonus = self._counted(_bonus([
        functools.partial(counts.TabularCountBonus, beta=1.0),
        functools.partial(constant.ConstantBonus, value=0.5)],
        operation="product", beta=0.1, offset=-0.1))
    rewards, metrics = bonus.relabel(self.experience)
    np.testing.assert_allclose(rewards[..., 0], [[0.1 * 0.5 * 0.5 - 0.1, 0.0],
                                                 [0.1 * 1.0 * 0.5 - 0.1, 0.0], [0.0, 0.0]],
                               atol=1e-7)
    self.assertAlmostEqual(float(metrics["intrinsic_reward/scaled_mean"]), -0.0625, places=6)

  def test_familiar_sum_weights_the_other_terms_by_how_familiar_the_state_reached_is(self):
    bonus = self._counted(_bonus([
        functools.partial(counts.TabularCountBonus, beta=0.1, offset=-0.1),
        functools.partial(constant.ConstantBonus, value=-0.05)], operation="familiar_sum"))
    rewards, metrics = bonus.relabel(self.experience)
    # Cell 1 counted 4 times: novelty 1/2, so half the constant; cell 2 new: none of it.
    np.testing.assert_allclose(rewards[..., 0], [[0.1 * (0.5 - 1.0) + 0.5 * -0.05, 0.0],
                                                 [0.0, 0.0], [0.0, 0.0]], atol=1e-7)
    self.assertIn("familiarity_mean", metrics)

  def test_each_term_reads_its_own_info_and_observes(self):
    bonus = _bonus([functools.partial(counts.EpisodicCountBonus, beta=1.0),
                    functools.partial(counts.TabularCountBonus, beta=1.0, at_collection=True)])
    self.assertLen(bonus.info_spec, 2)
    collected = _experience([[0, 1, 1, 0]], [[FIRST, MID, MID, MID]])
    infos = []
    for t in range(4):
      step = tf.nest.map_structure(lambda x, t=t: x[:, t], collected)
      info = bonus.info(step.observation, step.is_first())
      bonus.observe(step._replace(policy_info={intrinsic_reward.INFO_KEY: info}))
      infos.append(info)
    np.testing.assert_array_equal(bonus.terms[1].counts, [2.0, 2.0, 0.0, 0.0])
    stored = tuple(tf.stack(values, axis=1) for values in zip(*infos))
    # Episodic: cells 0, 1, 1, 0 give 1, 1, 1/sqrt(2), 1/sqrt(2); lifetime, counted before
    # each step: 1, 1, 1, 1.
    np.testing.assert_allclose(stored[0], [[1.0, 1.0, 1 / math.sqrt(2), 1 / math.sqrt(2)]],
                               rtol=1e-6)
    rewards, _ = bonus.relabel(
        collected._replace(policy_info={intrinsic_reward.INFO_KEY: stored}))
    np.testing.assert_allclose(rewards[0, :, 0], [2.0, 1 + 1 / math.sqrt(2),
                                                  1 + 1 / math.sqrt(2), 0.0], rtol=1e-6)

  def test_terms_variables_are_saved_with_it(self):
    bonus = _bonus([counts.TabularCountBonus])
    self.assertIn(bonus.terms[0].counts.ref(), {v.ref() for v in bonus.variables})

  def test_rejects_a_bad_configuration(self):
    with self.assertRaisesRegex(ValueError, "operation must be one of"):
      _bonus([counts.TabularCountBonus], operation="mean")
    with self.assertRaisesRegex(ValueError, "terms is empty"):
      _bonus([])
    with self.assertRaisesRegex(ValueError, "'familiar_sum' needs a count bonus"):
      _bonus([constant.ConstantBonus, counts.TabularCountBonus], operation="familiar_sum")
    with self.assertRaisesRegex(ValueError, "'familiar_sum' needs a count bonus"):
      _bonus([counts.TabularCountBonus], operation="familiar_sum")
    with self.assertRaisesRegex(ValueError, "has 2 channels, a term has 1"):
      _bonus([functools.partial(counts.TabularCountBonus, num_channels=2)])


if __name__ == "__main__":
  absltest.main()
