"""Which sampled windows are transitions: episode ends, truncations and a resume's cut."""
from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

from tf_empowerment.replay import transitions

FIRST, MID, LAST = ts.StepType.FIRST, ts.StepType.MID, ts.StepType.LAST


def _window(step_types, discounts):
  """One window [1, T]; `discounts[k]` is trajectory.discount[k], the discount of step k + 1."""
  time = len(step_types)
  return trajectory.Trajectory(
      step_type=tf.constant([step_types], tf.int32), observation=tf.zeros([1, time, 1]),
      action=tf.zeros([1, time], tf.int32), policy_info=(),
      next_step_type=tf.constant([step_types[1:] + [MID]], tf.int32),
      reward=tf.zeros([1, time]), discount=tf.constant([discounts], tf.float32))


class TransitionsTest(parameterized.TestCase):

  @parameterized.named_parameters(
      ("mid_steps", [MID, MID], [1.0, 1.0], 1.0),
      ("episode_end", [LAST, FIRST], [1.0, 1.0], 0.0),
      ("resume_cut", [MID, FIRST], [1.0, 1.0], 0.0),
      ("into_a_terminal", [MID, LAST], [0.0, 1.0], 1.0),
      ("n_step_in_one_episode", [FIRST, MID, MID, MID], [1.0] * 4, 1.0),
      # A terminal LAST (discount 0) cuts the n-step return itself: the window is kept.
      ("n_step_through_a_terminal", [MID, LAST, FIRST, MID], [0.0, 1.0, 1.0, 1.0], 1.0),
      # A truncated LAST (discount 1) would bootstrap into the next episode.
      ("n_step_through_a_truncation", [MID, LAST, FIRST, MID], [1.0, 1.0, 1.0, 1.0], 0.0),
      ("n_step_through_a_resume_cut", [MID, MID, FIRST, MID], [1.0] * 4, 0.0),
      ("n_step_bootstrapping_at_a_truncation", [MID, MID, MID, LAST], [1.0] * 4, 1.0),
  )
  def test_window_weights(self, step_types, discounts, expected):
    self.assertEqual(float(transitions.window_weights(_window(step_types, discounts))[0]),
                     expected)

  def test_transition_mask_marks_rows_into_first_steps(self):
    window = _window([MID, LAST, FIRST, MID, FIRST], [1.0, 0.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(transitions.transition_mask(window)[0], [1, 0, 1, 0])


if __name__ == "__main__":
  absltest.main()
