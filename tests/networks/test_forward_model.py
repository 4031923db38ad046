"""The forward model: residual predictions for every action, and learned action noise."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.networks import forward_model

NUM_ACTIONS, SIZE = 3, 4
STATES = np.eye(SIZE, dtype=np.float32)[:NUM_ACTIONS]


def _outcome(states, actions):
  """A deterministic toy dynamics: action a moves one-hot state s to (s + a) mod SIZE."""
  return np.eye(SIZE, dtype=np.float32)[(states.argmax(-1) + actions) % SIZE]


def _randomised(action_noise):
  """A 3-action model with random weights everywhere (its zero-initialised heads too), so every
  outcome and executed-action probability differs; and its states [2, 4]."""
  tf.random.set_seed(0)
  model = forward_model.ForwardModel(num_actions=3, hidden_units=(8,), action_noise=action_noise)
  states = tf.random.normal([2, 4])
  model(states)
  for variable in model.trainable_variables:
    variable.assign(tf.random.normal(variable.shape, stddev=0.5))
  return model, states


def _train(model, slip, steps=600, seed=0):
  rng = np.random.default_rng(seed)
  optimizer = tf.keras.optimizers.Adam(3e-3)

  @tf.function
  def step(states, actions, next_states):
    with tf.GradientTape() as tape:
      loss, _ = model.training_loss(states, actions, next_states)
    variables = model.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

  for _ in range(steps):
    states = np.eye(SIZE, dtype=np.float32)[rng.integers(SIZE, size=128)]
    actions = rng.integers(NUM_ACTIONS, size=128)
    slipped = np.where(rng.random(128) < slip,
                       (actions + rng.integers(1, NUM_ACTIONS, size=128)) % NUM_ACTIONS, actions)
    step(states, actions.astype(np.int32), _outcome(states, slipped))


class ForwardModelTest(absltest.TestCase):

  def test_shapes_and_identity_without_noise(self):
    model = forward_model.ForwardModel(NUM_ACTIONS, hidden_units=(8,), action_noise=False)
    outcomes, executed = model(STATES)
    self.assertEqual(outcomes.shape, (NUM_ACTIONS, NUM_ACTIONS, SIZE))
    np.testing.assert_allclose(outcomes, np.repeat(STATES[:, None], NUM_ACTIONS, 1))  # zero init
    np.testing.assert_array_equal(executed, np.broadcast_to(np.eye(NUM_ACTIONS), executed.shape))

  def test_action_noise_starts_mostly_intended(self):
    _, executed = forward_model.ForwardModel(NUM_ACTIONS, hidden_units=(8,))(STATES)
    np.testing.assert_allclose(np.diagonal(executed, axis1=1, axis2=2), 0.9, rtol=1e-5)
    np.testing.assert_allclose(tf.reduce_sum(executed, -1), 1.0, rtol=1e-5)

  def test_deterministic_model_learns_outcomes(self):
    tf.random.set_seed(0)
    model = forward_model.ForwardModel(NUM_ACTIONS, hidden_units=(32,), action_noise=False)
    _train(model, slip=0.0)
    outcomes, _ = model(np.eye(SIZE, dtype=np.float32))
    for action in range(NUM_ACTIONS):
      expected = _outcome(np.eye(SIZE, dtype=np.float32), np.full(SIZE, action))
      np.testing.assert_allclose(outcomes[:, action], expected, atol=0.05)

  def test_action_noise_recovers_slip_probabilities(self):
    tf.random.set_seed(0)
    model = forward_model.ForwardModel(NUM_ACTIONS, hidden_units=(32,), action_noise=True,
                                       warmup_steps=200)
    _train(model, slip=0.2, steps=1500)
    outcomes, executed = model(np.eye(SIZE, dtype=np.float32))
    expected = np.full((NUM_ACTIONS, NUM_ACTIONS), 0.1) + 0.7 * np.eye(NUM_ACTIONS)
    np.testing.assert_allclose(executed, np.broadcast_to(expected, executed.shape), atol=0.05)
    for action in range(NUM_ACTIONS):
      expected = _outcome(np.eye(SIZE, dtype=np.float32), np.full(SIZE, action))
      np.testing.assert_allclose(outcomes[:, action], expected, atol=0.1)

  def test_weighted_loss_is_the_loss_of_the_weighted_rows(self):
    rng = np.random.default_rng(0)
    states, next_states = rng.normal(size=(2, 6, SIZE)).astype(np.float32)
    actions = rng.integers(NUM_ACTIONS, size=6)
    real = np.array([1, 0, 1, 1, 0, 1], bool)
    for action_noise in (False, True):
      model = forward_model.ForwardModel(NUM_ACTIONS, hidden_units=(8,),
                                         action_noise=action_noise, warmup_steps=0)
      model(states)
      for variable in model.trainable_variables:  # the zero-initialised heads too
        variable.assign(rng.normal(0.0, 0.5, variable.shape))
      weighted = model.training_loss(states, actions, next_states, real.astype(np.float32))
      masked = model.training_loss(states[real], actions[real], next_states[real])
      np.testing.assert_allclose(weighted, masked, rtol=1e-5)
      steps = model._steps.numpy()
      model.training_loss(states, actions, next_states, np.zeros(6, np.float32))
      self.assertEqual(model._steps.numpy(), steps)  # no data, no warm-up step

  def test_rollout_composes_steps_through_the_executed_actions(self):
    tf.random.set_seed(0)
    model = forward_model.ForwardModel(num_actions=3, hidden_units=(8,))
    states = tf.random.normal([2, 4])
    model(states)
    for variable in model.trainable_variables:  # away from the zero start: outcomes differ
      variable.assign(tf.random.normal(variable.shape, stddev=0.5))
    outcomes, executed = model.rollout(states, 2)
    self.assertEqual(outcomes.shape, [2, 9, 4])
    first, first_executed = model(states)  # [2, 3, 4], [2, 3, 3]
    for j in range(3):
      second, second_executed = model(first[:, j])
      np.testing.assert_allclose(outcomes[:, 3 * j:3 * j + 3], second, rtol=1e-5, atol=1e-5)
      for i in range(9):  # P(i -> j j') = M(j | s, i_0) M(j' | s_j, i_1)
        np.testing.assert_allclose(
            executed[:, i, 3 * j:3 * j + 3],
            first_executed[:, i // 3, j, None] * second_executed[:, i % 3], rtol=1e-5)
    np.testing.assert_allclose(tf.reduce_sum(executed, -1), np.ones([2, 9]), rtol=1e-5)
    one_step = model.rollout(states, 1)
    for rolled, called in zip(one_step, model(states)):
      np.testing.assert_allclose(rolled, called, rtol=1e-6)

  def test_rollout_sequences_without_noise_are_the_rollout_at_their_index(self):
    model, states = _randomised(action_noise=False)
    every = np.array([[first, second] for first in range(3) for second in range(3)], np.int32)
    outcomes = model.rollout_sequences(states, np.stack([every, every[::-1]]), seed=[0, 0])
    expected, _ = model.rollout(states, 2)  # [2, 9, 4], sequence index 3 * first + second
    self.assertEqual(outcomes.shape, [2, 9, 4])
    np.testing.assert_allclose(outcomes, np.stack([expected[0], expected[1, ::-1]]), rtol=1e-5)

  def test_rollout_sequences_draw_the_executed_actions(self):
    # Sequence (1, 2) rolled out 4,000 times: each outcome is one of the exact rollout's 9, as
    # often as the probability that its sequence executes when (1, 2) is intended.
    model, states = _randomised(action_noise=True)
    outcomes = model.rollout_sequences(states, np.tile([[[1, 2]]], (2, 4000, 1)), seed=[1, 2])
    exact_outcomes, executed = model.rollout(states, 2)
    distances = np.linalg.norm(outcomes[:, :, None] - exact_outcomes[:, None], axis=-1)
    self.assertLess(distances.min(-1).max(), 1e-5)
    frequencies = np.stack([np.bincount(nearest, minlength=9) / 4000
                            for nearest in distances.argmin(-1)])
    np.testing.assert_allclose(frequencies, executed[:, 3 * 1 + 2], atol=0.03)

  def test_rejects_single_action(self):
    with self.assertRaisesRegex(ValueError, "num_actions must be >= 2"):
      forward_model.ForwardModel(1)


if __name__ == "__main__":
  absltest.main()
