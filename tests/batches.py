"""Small fixed batches of sampled experience, shared by the tests of its consumers."""
import numpy as np
import tensorflow as tf
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory


def transitions(batch, state_size, num_actions, reward_shape=(), seed=0):
  """A [batch, 2] batch of random transitions, row 0 a LAST -> FIRST boundary step.

  Observations [batch, 2, state_size]; rewards in {-1, 0, 1}, [batch, 2, *reward_shape].
  """
  rng = np.random.default_rng(seed)
  step_type = np.full([batch, 2], ts.StepType.MID, np.int32)
  next_step_type = np.full([batch, 2], ts.StepType.MID, np.int32)
  step_type[0, 0], next_step_type[0, 0] = ts.StepType.LAST, ts.StepType.FIRST
  step_type[0, 1] = ts.StepType.FIRST
  return trajectory.Trajectory(
      step_type=tf.constant(step_type),
      observation=tf.constant(rng.normal(size=[batch, 2, state_size]), tf.float32),
      action=tf.constant(rng.integers(0, num_actions, size=[batch, 2]), tf.int32),
      policy_info=(),
      next_step_type=tf.constant(next_step_type),
      reward=tf.constant(rng.choice([-1.0, 0.0, 1.0], size=[batch, 2, *reward_shape]),
                         tf.float32),
      discount=tf.ones([batch, 2]))


def of_states(states, step_type):
  """A trajectory of observations `states` [*outer, D], steps of `step_type` [*outer]
  (ts.StepType; [batch] as collected, for `observe`, or [batch, time] as sampled), every
  next step MID, actions and rewards 0."""
  step_type = np.asarray(step_type, np.int32)
  shape = step_type.shape
  return trajectory.Trajectory(
      step_type=tf.constant(step_type), observation=tf.constant(states, tf.float32),
      action=tf.zeros(shape, tf.int32), policy_info=(),
      next_step_type=tf.fill(shape, ts.StepType.MID), reward=tf.zeros(shape),
      discount=tf.ones(shape))
