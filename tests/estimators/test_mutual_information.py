"""The MI bounds fed the analytic log density ratio of correlated Gaussians, without training."""
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.benchmarks import correlated_gaussians
from tf_empowerment.estimators import mutual_information as mi

TRUE_MI = 1.0  # nats
BATCH = 1000


def _optimal_scores(true_mi=TRUE_MI, batch_size=BATCH, dimension=5):
  """scores [batch, batch] = log p(x_i, y_j) / (p(x_i) p(y_j)), positives on the diagonal."""
  x, y = correlated_gaussians.sample(batch_size, dimension, true_mi, seed=[1, 2])
  return correlated_gaussians.log_density_ratio(x[:, None, :], y[None, :, :], true_mi)


class OptimalCriticTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.scores = _optimal_scores()
    self.t_joint, self.t_marginal = mi.joint_and_marginal(self.scores)

  def test_donsker_varadhan_is_the_mutual_information(self):
    self.assertAlmostEqual(float(mi.donsker_varadhan(self.t_joint, self.t_marginal)), TRUE_MI,
                           delta=0.08)

  def test_nwj_needs_the_plus_one_shift(self):
    self.assertAlmostEqual(float(mi.nwj(self.t_joint + 1.0, self.t_marginal + 1.0)), TRUE_MI,
                           delta=0.08)
    unshifted = float(mi.nwj(self.t_joint, self.t_marginal))
    self.assertAlmostEqual(unshifted, TRUE_MI - 1.0 / math.e, delta=0.08)

  def test_info_nce_is_near_the_truth_below_log_batch(self):
    self.assertAlmostEqual(float(mi.info_nce(self.scores)), TRUE_MI, delta=0.08)

  def test_jensen_shannon_peaks_at_the_log_density_ratio(self):
    best = float(mi.jensen_shannon(self.t_joint, self.t_marginal))
    self.assertBetween(best, 0.0, math.log(2.0))
    for scale, shift in ((0.7, 0.0), (1.3, 0.0), (1.0, 0.5), (1.0, -0.5)):
      perturbed = float(mi.jensen_shannon(scale * self.t_joint + shift,
                                          scale * self.t_marginal + shift))
      self.assertLess(perturbed, best)

  def test_independent_data_gives_zero(self):
    scores = _optimal_scores(true_mi=0.0)
    t_joint, t_marginal = mi.joint_and_marginal(scores)
    for value in (mi.donsker_varadhan(t_joint, t_marginal), mi.nwj(t_joint + 1, t_marginal + 1),
                  mi.jensen_shannon(t_joint, t_marginal), mi.info_nce(scores)):
      self.assertAlmostEqual(float(value), 0.0, places=5)


class ScoresTest(absltest.TestCase):

  def test_negatives_never_include_the_positive(self):
    scores = tf.reshape(tf.range(16, dtype=tf.float32), [4, 4])
    t_joint, t_marginal = mi.joint_and_marginal(scores)
    np.testing.assert_array_equal(t_joint, [0, 5, 10, 15])
    self.assertEqual(t_marginal.shape, (4, 3))
    self.assertEmpty(set(t_marginal.numpy().ravel()) & set(t_joint.numpy()))

  def test_info_nce_never_exceeds_log_batch(self):
    scores = 1e4 * tf.eye(8)
    self.assertAlmostEqual(float(mi.info_nce(scores)), math.log(8), places=5)

  def test_large_scores_stay_finite(self):
    t_joint = tf.constant([1e4, -1e4, 50.0])
    t_marginal = tf.constant([[1e4, -1e4], [300.0, 0.0]])
    for value in (mi.donsker_varadhan(t_joint, t_marginal), mi.nwj(t_joint, t_marginal),
                  mi.jensen_shannon(t_joint, t_marginal),
                  mi.info_nce(tf.constant([[1e4, -1e4], [3e3, 1e4]]))):
      self.assertTrue(np.isfinite(value.numpy()), value)

  def test_weights_count_samples_and_weight_zero_drops_them(self):
    weighted = dict(t_joint=tf.constant([0.3, 1.2, 9.0]),
                    t_marginal=tf.constant([[0.5, -1.0], [7.0, 8.0]]),
                    joint_weights=tf.constant([2.0, 1.0, 0.0]),
                    marginal_weights=tf.constant([[1.0, 2.0], [0.0, 0.0]]))
    repeated = (tf.constant([0.3, 0.3, 1.2]), tf.constant([0.5, -1.0, -1.0]))
    for bound in (mi.donsker_varadhan, mi.nwj, mi.jensen_shannon):
      self.assertAlmostEqual(float(bound(**weighted)), float(bound(*repeated)), places=5)

  def test_moving_average_keeps_value_and_rescales_gradient(self):
    t_joint = tf.constant([1.0, 2.0])
    t_marginal = tf.Variable([0.5, -0.5, 1.5])
    log_average = tf.math.log(tf.constant(3.0))
    with tf.GradientTape(persistent=True) as tape:
      plain = mi.donsker_varadhan(t_joint, t_marginal)
      corrected = mi.donsker_varadhan(t_joint, t_marginal, log_moving_average=log_average)
    self.assertAlmostEqual(float(plain), float(corrected), places=6)
    # d/dT_i of -log E[e^T] with E[e^T] replaced by the average: -e^T_i / (n * average).
    expected = -np.exp(t_marginal.numpy()) / (3 * 3.0)
    np.testing.assert_allclose(tape.gradient(corrected, t_marginal), expected, rtol=1e-5)

  def test_log_moving_average_update(self):
    updated = mi.update_log_moving_average(tf.math.log(2.0), tf.math.log(4.0), decay=0.25)
    self.assertAlmostEqual(float(tf.exp(updated)), 0.75 * 2.0 + 0.25 * 4.0, places=5)


class TrainingObjectiveTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.t_joint, self.t_marginal = mi.joint_and_marginal(_optimal_scores(batch_size=50))

  def test_each_name_trains_its_bound_and_reads_the_critic(self):
    scores = (self.t_joint, self.t_marginal)
    for name, bound, estimate in (("jsd", mi.jensen_shannon, mi.donsker_varadhan),
                                  ("dv", mi.donsker_varadhan, mi.donsker_varadhan),
                                  ("nwj", mi.nwj, mi.nwj)):
      objective = mi.TrainingObjective(name)
      self.assertAlmostEqual(float(objective(*scores)), float(bound(*scores)), places=5)
      self.assertAlmostEqual(float(objective.estimate(*scores)), float(estimate(*scores)),
                             places=5)

  def test_dv_averages_weighted_batches_and_skips_empty_ones(self):
    objective = mi.TrainingObjective("dv", moving_average_decay=0.25)
    (log_average,) = objective.variables
    t_marginal = tf.math.log([[1.0, 3.0, 1e6]])  # E_Q[e^T] = 2 without the last sample
    objective(tf.zeros([1]), t_marginal, marginal_weights=tf.constant([[1.0, 1.0, 0.0]]))
    self.assertAlmostEqual(float(tf.exp(log_average)), 0.75 * 1.0 + 0.25 * 2.0, places=5)
    objective(tf.zeros([1]), t_marginal, marginal_weights=tf.zeros([1, 3]))
    self.assertAlmostEqual(float(tf.exp(log_average)), 1.25, places=5)

  def test_rejects_unknown_bounds_and_decays(self):
    with self.assertRaisesRegex(ValueError, "objective must be one of"):
      mi.TrainingObjective("infonce")
    with self.assertRaisesRegex(ValueError, "moving_average_decay must be in"):
      mi.TrainingObjective("dv", moving_average_decay=1.0)


if __name__ == "__main__":
  absltest.main()
