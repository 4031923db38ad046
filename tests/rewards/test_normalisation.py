"""Tests of the running statistics and the discounted-return reward normaliser."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.rewards import normalisation


class RunningMeanStdTest(absltest.TestCase):

  def test_merged_batches_equal_statistics_of_all_samples(self):
    samples = np.random.default_rng(0).normal(3.0, 2.0, size=(300, 2)).astype(np.float32)
    stats = normalisation.RunningMeanStd(shape=[2])
    for batch in np.split(samples, [7, 100, 101]):
      stats.update(batch)
    np.testing.assert_allclose(stats.mean.numpy(), samples.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(stats.variance.numpy(), samples.var(axis=0), rtol=1e-4)
    self.assertEqual(float(stats.count), 300.0)

  def test_rows_of_weight_zero_are_skipped(self):
    samples = np.random.default_rng(1).normal(size=(10, 2)).astype(np.float32)
    weights = np.array([1, 0, 1, 1, 0, 0, 1, 1, 1, 0], np.float32)
    stats = normalisation.RunningMeanStd(shape=[2])
    stats.update(samples[:5], weights[:5])
    stats.update(samples[5:], weights[5:])
    stats.update(samples[:0])  # an empty batch changes nothing
    kept = samples[weights == 1]
    np.testing.assert_allclose(stats.mean.numpy(), kept.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(stats.variance.numpy(), kept.var(axis=0), rtol=1e-4)

  def test_survives_checkpoint_round_trip(self):
    stats = normalisation.RunningMeanStd(shape=[3])
    stats.update(np.arange(12, dtype=np.float32).reshape(4, 3))
    path = tf.train.Checkpoint(stats=stats).save(self.create_tempdir().full_path + "/ckpt")
    restored = normalisation.RunningMeanStd(shape=[3])
    tf.train.Checkpoint(stats=restored).restore(path).assert_consumed()
    np.testing.assert_array_equal(restored.mean.numpy(), stats.mean.numpy())
    np.testing.assert_array_equal(restored.variance.numpy(), stats.variance.numpy())


class DiscountedReturnNormaliserTest(absltest.TestCase):

  def test_divides_by_std_of_discounted_return(self):
    normaliser = normalisation.DiscountedReturnNormaliser(num_envs=1, gamma=0.5)
    not_first = tf.constant([False])
    for reward in (1.0, 1.0, 1.0):
      normaliser.observe(tf.constant([reward]), not_first)
    returns = np.array([1.0, 1.5, 1.75])  # G_t = 0.5 * G_{t-1} + r_t
    np.testing.assert_allclose(normaliser.returns.numpy(), [1.75])
    np.testing.assert_allclose(float(normaliser(tf.constant(2.0))), 2.0 / returns.std(),
                               rtol=1e-4)

  def test_episodic_return_restarts_at_episode_start(self):
    normaliser = normalisation.DiscountedReturnNormaliser(num_envs=2, gamma=0.9, episodic=True)
    normaliser.observe(tf.constant([1.0, 1.0]), tf.constant([False, False]))
    normaliser.observe(tf.constant([5.0, 1.0]), tf.constant([True, False]))
    normaliser.observe(tf.constant([1.0, 1.0]), tf.constant([False, False]))
    np.testing.assert_allclose(normaliser.returns.numpy(), [1.0, 2.71])

  def test_first_steps_add_nothing(self):
    # No transition leads to an episode's first step, so its reward is none and the return
    # statistics see only the other steps.
    normaliser = normalisation.DiscountedReturnNormaliser(num_envs=2, gamma=0.5)
    normaliser.observe(tf.constant([1.0, 2.0]), tf.constant([False, False]))
    normaliser.observe(tf.constant([100.0, 2.0]), tf.constant([True, False]))
    np.testing.assert_allclose(normaliser.returns.numpy(), [1.0, 3.0])
    np.testing.assert_allclose(normaliser.return_stats.mean.numpy(), np.mean([1.0, 2.0, 3.0]))
    self.assertEqual(float(normaliser.return_stats.count), 3.0)

  def test_clip_and_scale(self):
    normaliser = normalisation.DiscountedReturnNormaliser(num_envs=1, clip=1.0, scale=0.5)
    self.assertAlmostEqual(float(normaliser(tf.constant(100.0))), 0.5, places=6)

  def test_rejects_bad_gamma(self):
    with self.assertRaisesRegex(ValueError, "gamma must be in"):
      normalisation.DiscountedReturnNormaliser(num_envs=1, gamma=1.0)


if __name__ == "__main__":
  absltest.main()
