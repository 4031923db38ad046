"""Which rows of a sampled window are real transitions, as weights (never boolean masks).

Replay holds each environment's steps in order, so a window of consecutive steps can cross an
episode's end (LAST -> FIRST: the FIRST comes from a reset, not from the action) or the cut a
resume leaves (the last step before a kill, then the first step of the restarted run). Both
show as a FIRST step that does not follow from its predecessor. Weights keep every batch the
same size, so compiled (XLA) steps are traced once.
"""
import tensorflow as tf
from tf_agents.trajectories import time_step as ts


def transition_mask(experience):
  """1.0 where step t -> t + 1 of experience [B, T] is a transition, else 0.0: [B, T - 1]."""
  return tf.cast(~tf.equal(experience.step_type[:, 1:], ts.StepType.FIRST), tf.float32)


def window_weights(experience):
  """1.0 for windows [B, n + 1] whose n-step return stays in one episode, else 0.0: [B].

  A FIRST at step j breaks the window unless step j - 1 (j >= 2) is a terminal LAST: its
  discount 0 already cuts the return there (TF-Agents' n-step transition multiplies later
  rewards by it). A truncated LAST (discount 1), a resume's cut, or a window starting on a
  LAST step (no action of the episode follows) is no n-step transition.
  """
  step_type = experience.step_type
  # The discount of step k is experience.discount[:, k - 1] (that of the step k - 1 led to).
  step_discount = tf.concat([tf.ones_like(experience.discount[:, :1]),
                             experience.discount[:, :-1]], axis=1)
  terminal = tf.equal(step_type, ts.StepType.LAST) & tf.equal(step_discount, 0.0)
  crossing = tf.equal(step_type[:, 1:], ts.StepType.FIRST) & ~terminal[:, :-1]
  return tf.cast(~tf.reduce_any(crossing, axis=1), tf.float32)
