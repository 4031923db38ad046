"""EffectModelEmpowermentReward: 1-step empowerment of a learned model of which actions change
the state, against exact MiniGrid empowerment on layouts it never saw."""
import math
import os

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tests.envs import minigrid_states
from tf_empowerment.envs import minigrid
from tf_empowerment.rewards import effect_empowerment
from tf_empowerment.rewards import empowerment_gain

ACTIONS = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 6)


class EffectEmpowermentTest(absltest.TestCase):

  def test_distinct_outcomes_of_certain_effects(self):
    probabilities = tf.constant([[0.0] * 7, [1.0] * 7, [1, 1, 0, 0, 0, 0, 0],
                                 [1, 1, 1, 0, 0, 1, 0]], tf.float32)
    np.testing.assert_allclose(
        effect_empowerment.distinct_outcomes_empowerment(probabilities).numpy(),
        np.log([1.0, 7.0, 3.0, 5.0]), rtol=1e-6)

  def test_learns_exact_empowerment_and_the_gain_of_opening_a_door_on_new_layouts(self):
    tf.random.set_seed(0)
    env = minigrid.MiniGridEnv("MiniGrid-MultiRoom-N4-S5-v1")
    states_spec = tf.TensorSpec(env.observation_space.shape, tf.float32)
    # Each walk resets with its own seeds: the held-out walk's layouts are new.
    states, actions, next_states = [tf.constant(x) for x in
                                    minigrid_states.random_walk(env, 0, 3000)[:3]]
    held_out = minigrid_states.random_walk(env, 1000, 600)
    gain = empowerment_gain.EmpowermentGainReward(
        states_spec, ACTIONS, num_envs=1, num_cells=env.num_cells,
        empowerment=effect_empowerment.EffectModelEmpowermentReward)
    train = tf.function(gain.train)
    rng = np.random.default_rng(0)
    for _ in range(1000):
      rows = rng.integers(0, states.shape[0], 64)
      metrics = train(*[tf.gather(x, rows) for x in (states, actions, next_states)], tf.ones(64))
    self.assertGreater(float(metrics["effects/accuracy"]), 0.95)
    held_states, held_actions, held_next, before, after, stayed = held_out
    errors = np.abs(gain.state_values(tf.constant(held_states)).numpy() - before)
    self.assertLess(errors.mean(), 0.05)
    gains = gain.transition_bonus(*[tf.constant(x) for x in (held_states, held_actions,
                                                             held_next)]).numpy()
    exact_gains = np.where(stayed, after - before, 0.0)
    for change in (math.log(5 / 4), -math.log(5 / 4)):  # doors opened, doors closed
      changed = np.isclose(exact_gains, change)
      self.assertGreater(np.count_nonzero(changed), 0)
      np.testing.assert_allclose(gains[changed], change, atol=0.1)
    self.assertLess(np.abs(gains - exact_gains).mean(), 0.01)

  def test_create_variables_changes_nothing_and_a_checkpoint_restores_every_variable(self):
    directory = self.create_tempdir().full_path
    states_spec, actions_spec = tf.TensorSpec([6], tf.float32), tensor_spec.BoundedTensorSpec(
        [], tf.int64, 0, 2)

    def gain(seed):
      tf.random.set_seed(seed)
      return empowerment_gain.EmpowermentGainReward(
          states_spec, actions_spec, num_envs=1, num_cells=4, num_directions=0,
          empowerment=effect_empowerment.EffectModelEmpowermentReward)

    saved = gain(1)
    saved.create_variables()
    states = tf.eye(6)[:4]
    saved.train(states, tf.constant([0, 1, 2, 0]), tf.roll(states, 1, axis=1), tf.ones(4))
    saved_path = tf.train.Checkpoint(reward=saved).save(os.path.join(directory, "saved"))
    restored = gain(2)  # other weights to start with
    before = restored.state_values(states).numpy()  # builds the network, not the optimizer
    restored.create_variables()
    np.testing.assert_array_equal(restored.state_values(states), before)
    self.assertLen(restored.variables, len(saved.variables))  # the optimizer's slots included
    tf.train.Checkpoint(reward=restored).restore(saved_path).assert_consumed()
    np.testing.assert_array_equal(restored.state_values(states), saved.state_values(states))

  def test_rejects_states_that_are_not_vectors(self):
    with self.assertRaisesRegex(ValueError, "wants state vectors"):
      effect_empowerment.EffectModelEmpowermentReward(
          tf.TensorSpec([7, 7, 3], tf.float32), ACTIONS, num_envs=1)


if __name__ == "__main__":
  absltest.main()
