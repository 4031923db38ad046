"""Tests of the learned deterministic transition table against exact empowerment and against
counting the ends of every action sequence one by one."""
import itertools
import math

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import transition_table
from tf_empowerment.envs import gridworld

NUM_ACTIONS = len(gridworld.ACTIONS)


def _table(layout, tried):
  """The table of `layout` with the (state, action) pairs where `tried` [S, A] recorded."""
  table = transition_table.DeterministicTransitionTable(layout.num_states, NUM_ACTIONS)
  states, actions = np.nonzero(tried)
  table.record(tf.constant(states, tf.int32), tf.constant(actions, tf.int32),
               tf.constant(layout.successors[states, actions], tf.int32),
               tf.ones([len(states)], tf.bool))
  return table


def _sequence_ends(next_states, state, n_steps, untried):
  """log of the distinct ends of every action sequence from `state`, walked one by one: an
  untried action stays, or ("new") ends the sequence in an end of its own, named by where it
  was tried and by the rest of the sequence."""
  ends = set()
  for sequence in itertools.product(range(NUM_ACTIONS), repeat=n_steps):
    current = state
    for depth, action in enumerate(sequence):
      if next_states[current, action] >= 0:
        current = next_states[current, action]
      elif untried == "new":
        current = ("new", depth, current, sequence[depth:])
        break
    ends.add(current)
  return math.log(len(ends))


class DeterministicTransitionTableTest(parameterized.TestCase):

  @parameterized.product(layout=("open_5x5", "nine_rooms"), n_steps=(1, 2, 3),
                         untried=transition_table.UNTRIED)
  def test_fully_tried_table_gives_exact_empowerment(self, layout, n_steps, untried):
    layout = gridworld.GridLayout.load(layout)
    table = _table(layout, np.ones([layout.num_states, NUM_ACTIONS], bool))
    self.assertEqual(float(table.known_fraction()), 1.0)
    np.testing.assert_allclose(table.empowerment(n_steps, untried),
                               exact.gridworld_empowerment(layout, n_steps), atol=1e-5)

  @parameterized.parameters(*transition_table.UNTRIED)
  def test_partly_tried_table_counts_every_sequence_end(self, untried):
    layout = gridworld.GridLayout.load("open_5x5")
    tried = np.random.default_rng(0).random([layout.num_states, NUM_ACTIONS]) < 0.6
    table = _table(layout, tried)
    next_states = table.next_states.numpy()
    expected = [_sequence_ends(next_states, state, 3, untried)
                for state in range(layout.num_states)]
    np.testing.assert_allclose(table.empowerment(3, untried), expected, atol=1e-5)

  @parameterized.product(layout=("open_5x5", "nine_rooms"), fraction=(0.0, 0.3, 0.7),
                         untried=transition_table.UNTRIED)
  def test_empowerment_of_some_states_equals_the_whole_tables(self, layout, fraction, untried):
    layout = gridworld.GridLayout.load(layout)
    tried = np.random.default_rng(2).random([layout.num_states, NUM_ACTIONS]) < fraction
    table = _table(layout, tried)
    states = np.arange(0, layout.num_states, 3)
    tables = tf.repeat(table.next_states[None], len(states), axis=0)
    for n_steps in (1, 2, 3):
      np.testing.assert_allclose(
          transition_table.empowerment_of(tables, tf.constant(states, tf.int32), n_steps,
                                          untried),
          table.empowerment(n_steps, untried).numpy()[states], atol=1e-5)

  def test_empowerment_of_reads_each_state_in_its_own_table(self):
    # Table 0 knows state 0's two actions lead to 1 and 2; table 1 knows nothing.
    tables = tf.constant([[[1, 2], [-1, -1], [-1, -1]], [[-1, -1]] * 3], tf.int32)
    values = transition_table.empowerment_of(tables, tf.constant([0, 0]), 1, "stay")
    np.testing.assert_allclose(values, [math.log(2), 0.0], atol=1e-6)

  def test_untried_new_is_never_below_the_true_value(self):
    layout = gridworld.GridLayout.load("nine_rooms")
    tried = np.random.default_rng(1).random([layout.num_states, NUM_ACTIONS]) < 0.3
    optimistic = _table(layout, tried).empowerment(3, "new").numpy()
    self.assertTrue(np.all(optimistic >= exact.gridworld_empowerment(layout, 3) - 1e-5))

  def test_an_empty_table_gives_zero_or_the_bound(self):
    table = transition_table.DeterministicTransitionTable(4, NUM_ACTIONS)
    np.testing.assert_allclose(table.empowerment(2, "stay"), np.zeros(4))
    np.testing.assert_allclose(table.empowerment(2, "new"), np.full(4, 2 * math.log(5)),
                               rtol=1e-6)

  def test_record_says_whether_anything_was_new_and_skips_invalid_rows(self):
    table = transition_table.DeterministicTransitionTable(3, 2)
    def record(states, actions, next_states, valid):
      return bool(table.record(*[tf.constant(x, tf.int32) for x in (states, actions, next_states)],
                               tf.constant(valid)))
    self.assertTrue(record([0, 1], [1, 0], [2, 2], [True, False]))
    self.assertFalse(record([0], [1], [2], [True]))
    np.testing.assert_array_equal(table.next_states.numpy(), [[-1, 2], [-1, -1], [-1, -1]])
    self.assertAlmostEqual(float(table.known_fraction()), 1 / 6, places=6)

  def test_two_outcomes_of_one_pair_fail_in_one_line(self):
    table = transition_table.DeterministicTransitionTable(3, 2)
    table.record(*[tf.constant([x], tf.int32) for x in (0, 1, 2)], tf.constant([True]))
    with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "not deterministic"):
      table.record(*[tf.constant([x], tf.int32) for x in (0, 1, 1)], tf.constant([True]))

  def test_rejects_bad_arguments_in_one_line(self):
    table = transition_table.DeterministicTransitionTable(3, 2)
    with self.assertRaisesRegex(ValueError, "n_steps must be >= 1, got 0"):
      table.empowerment(0, "new")
    with self.assertRaisesRegex(ValueError, "untried must be one of"):
      table.empowerment(1, "wall")
    with self.assertRaisesRegex(ValueError, "n_steps must be >= 1, got 0"):
      transition_table.empowerment_of(table.next_states[None], tf.constant([0]), 0, "new")
    with self.assertRaisesRegex(ValueError, "untried must be one of"):
      transition_table.empowerment_of(table.next_states[None], tf.constant([0]), 1, "wall")
    with self.assertRaisesRegex(ValueError, "num_states and num_actions >= 1"):
      transition_table.DeterministicTransitionTable(0, 2)


if __name__ == "__main__":
  absltest.main()
