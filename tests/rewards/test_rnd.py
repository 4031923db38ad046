"""RndBonus on hand-computed cases: the squared error of known linear networks, whitening by
statistics of the collected states only, what training changes and what it must not, and
checkpoints that restore every variable."""
import os

from absl.testing import absltest
import gin
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tests import batches
import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.rewards import normalisation
from tf_empowerment.rewards import rnd
from tf_empowerment.train import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, 4)
FIRST, MID = ts.StepType.FIRST, ts.StepType.MID


def _bonus(state_size=2, **kwargs):
  kwargs = {"beta": 1.0, "normaliser": None, "seed": 0, **kwargs}
  return rnd.RndBonus(tensor_spec.TensorSpec([state_size], tf.float32), ACTION_SPEC,
                      num_envs=2, **kwargs)


def _linear(network, kernel, bias):
  network.layers[0].kernel.assign(kernel)
  network.layers[0].bias.assign(bias)


def _values(path):
  """Every value of the checkpoint at `path`, by key."""
  reader = tf.train.load_checkpoint(path)
  return {key: reader.get_tensor(key) for key in reader.get_variable_to_shape_map()
          if key != "_CHECKPOINTABLE_OBJECT_GRAPH"}


class RndBonusTest(absltest.TestCase):

  def test_bonus_is_the_mean_squared_error_of_the_clipped_state(self):
    bonus = _bonus(hidden_units=(), output_size=2)
    _linear(bonus.target, np.eye(2), [0.0, 0.0])  # f(x) = x
    _linear(bonus.predictor, [[2.0, 0.0], [0.0, 0.0]], [0.0, 1.0])  # f_hat(x) = (2 x_1, 1)
    # No statistics yet: the state itself, clipped to [-5, 5]. Error ((x_1)^2 + (1 - x_2)^2) / 2.
    np.testing.assert_allclose(bonus.bonus(tf.constant([[1.0, 2.0], [7.0, 0.0]])),
                               [(1.0 + 1.0) / 2, (25.0 + 1.0) / 2])

  def test_states_are_whitened_by_the_statistics_of_every_collected_state(self):
    bonus = _bonus(hidden_units=(), output_size=2)
    collected = np.array([[[0.0, 1.0], [2.0, 3.0]], [[4.0, 1.0], [2.0, 7.0]],
                          [[1.0, 1.0], [3.0, 5.0]]])  # [time, num_envs, D]
    for t, step_type in enumerate(([FIRST, FIRST], [MID, MID], [MID, FIRST])):
      bonus.observe(batches.of_states(collected[t], step_type))
    stats = bonus.observation_normaliser.stats
    every_state = collected.reshape([-1, 2])  # first steps too: each is a state reached
    np.testing.assert_allclose(stats.mean, every_state.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(stats.variance, every_state.var(axis=0), rtol=1e-5)
    # Sampled batches train the predictor but leave the statistics alone.
    bonus.relabel(batches.of_states(np.zeros([2, 2, 2]) + 100.0, [[MID, MID]] * 2))
    np.testing.assert_allclose(stats.mean, every_state.mean(axis=0), rtol=1e-6)
    # Both networks see (s - mean) / std, clipped: with f(x) = x and f_hat = 0 the bonus is
    # the mean square of that.
    _linear(bonus.target, np.eye(2), [0.0, 0.0])
    _linear(bonus.predictor, np.zeros([2, 2]), [0.0, 0.0])
    state = np.array([2.0, 100.0])
    whitened = np.clip((state - every_state.mean(0)) / every_state.std(0), -5.0, 5.0)
    np.testing.assert_allclose(bonus.bonus(tf.constant([state])), [np.mean(whitened ** 2)],
                               rtol=1e-5)

  def test_training_on_a_state_lowers_its_bonus_below_an_unseen_ones(self):
    tf.random.set_seed(0)
    bonus = _bonus(state_size=4, learning_rate=1e-2)
    trained, unseen = np.eye(4)[[0, 0]], np.eye(4)[[3]] * 3.0
    before = bonus.bonus(tf.constant(trained[:1])).numpy()[0]
    train = tf.function(bonus.relabel)
    for _ in range(50):
      train(batches.of_states(np.stack([trained, trained], axis=1), [[MID, MID]] * 2))
    after = bonus.bonus(tf.constant(trained[:1])).numpy()[0]
    self.assertLess(after, before / 10)
    self.assertGreater(bonus.bonus(tf.constant(unseen)).numpy()[0], 10 * after)

  def test_rows_of_weight_zero_change_nothing(self):
    def trained_weights(next_states, weights):
      bonus = _bonus(output_size=3)
      bonus.predictor.set_weights(reference.predictor.get_weights())
      bonus.create_variables()
      bonus.train(None, None, tf.constant(next_states, tf.float32), tf.constant(weights))
      return bonus.predictor.get_weights()
    tf.random.set_seed(0)
    reference = _bonus(output_size=3)
    with_nan = trained_weights([[1.0, 2.0], [np.nan, np.inf]], [1.0, 0.0])
    with_other = trained_weights([[1.0, 2.0], [-3.0, 4.0]], [1.0, 0.0])
    for a, b in zip(with_nan, with_other):
      np.testing.assert_array_equal(a, b)
    self.assertFalse(np.array_equal(with_nan[-1], reference.predictor.get_weights()[-1]))
    # No row of weight 1: no step at all (Adam's momentum would move it).
    for untouched, initial in zip(trained_weights([[1.0, 2.0]], [0.0]),
                                  reference.predictor.get_weights()):
      np.testing.assert_array_equal(untouched, initial)

  def test_create_variables_changes_nothing_and_a_checkpoint_restores_every_variable(self):
    directory = self.create_tempdir().full_path
    tf.random.set_seed(1)
    saved = _bonus(normaliser=normalisation.DiscountedReturnNormaliser)
    saved.create_variables()
    for t, step_type in enumerate(([FIRST, FIRST], [MID, MID])):
      saved.observe(batches.of_states([[t, 1.0], [2.0, -t]], step_type))
    train = tf.function(saved.relabel)
    for _ in range(3):
      train(batches.of_states(np.ones([2, 2, 2]), [[MID, MID]] * 2))
    saved_path = tf.train.Checkpoint(reward=saved).save(os.path.join(directory, "saved"))

    tf.random.set_seed(2)  # another predictor to start with
    restored = _bonus(normaliser=normalisation.DiscountedReturnNormaliser)
    before = [v.numpy() for v in restored.variables]
    restored.create_variables()
    for a, b in zip(before, restored.variables):
      np.testing.assert_array_equal(a, b.numpy())
    checkpoint = tf.train.Checkpoint(reward=restored)
    fresh = _values(checkpoint.save(os.path.join(directory, "fresh")))
    expected = _values(saved_path)
    # The optimizer's slots exist before the first update: the same variables as saved.
    self.assertSameElements(fresh, expected)
    self.assertTrue(any("_optimizer" in key for key in expected))
    checkpoint.restore(saved_path).assert_consumed()
    for key, value in _values(checkpoint.save(os.path.join(directory, "restored"))).items():
      if "save_counter" not in key:
        np.testing.assert_array_equal(value, expected[key], err_msg=key)

  def test_relabel_compiles_with_xla_to_the_eager_numbers(self):
    def relabelled(run):
      bonus = _bonus(state_size=3, normaliser=normalisation.DiscountedReturnNormaliser)
      bonus.predictor.set_weights(reference.predictor.get_weights())
      bonus.create_variables()
      bonus.observe(batches.of_states([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]], [MID, MID]))
      rewards, metrics = run(bonus.relabel)(batches.of_states(experience, [[MID, MID]] * 2))
      return rewards.numpy(), float(metrics["rnd/loss"])
    reference = _bonus(state_size=3)
    experience = np.arange(12.0).reshape([2, 2, 3]) / 4.0
    eager = relabelled(lambda f: f)
    compiled = relabelled(lambda f: tf.function(f, jit_compile=True))
    np.testing.assert_allclose(compiled[0], eager[0], rtol=1e-5)
    self.assertAlmostEqual(compiled[1], eager[1], places=5)

  def test_defaults_follow_rnd_and_channels_pass_through(self):
    bonus = rnd.RndBonus(tensor_spec.TensorSpec([2], tf.float32), ACTION_SPEC, num_envs=1,
                         num_channels=2, centred=True)
    self.assertIsInstance(bonus.normaliser, normalisation.DiscountedReturnNormaliser)
    self.assertFalse(bonus.episodic)
    self.assertEqual(bonus.num_channels, 2)
    self.assertIsNotNone(bonus.bonus_stats)

  def test_the_gridworld_gin_file_binds_the_bonus(self):
    self.addCleanup(gin.clear_config)
    config.parse_gin([os.path.join(REPO, "gin", "gridworld_rnd.gin")], [])
    self.assertEqual(gin.query_parameter("Runner.intrinsic_reward").configurable.name,
                     "RndBonus")
    bonus = rnd.RndBonus(tensor_spec.TensorSpec([8], tf.float32), ACTION_SPEC, num_envs=1)
    self.assertEqual(bonus.predictor.layers[0].units, 128)
    self.assertIsInstance(bonus.normaliser, normalisation.DiscountedReturnNormaliser)

  def test_rejects_states_that_are_not_vectors(self):
    with self.assertRaisesRegex(ValueError, "RndBonus wants states \\[D\\], got \\(2, 2\\)"):
      rnd.RndBonus(tensor_spec.TensorSpec([2, 2], tf.float32), ACTION_SPEC, num_envs=1)
    with self.assertRaisesRegex(ValueError, "RndBonus.learning_rate must be positive"):
      _bonus(learning_rate=0.0)


if __name__ == "__main__":
  absltest.main()
