"""Exact gridworld empowerment as an estimator: the control that separates signal from estimation.

When a learned estimator fails to drive exploration, either its estimates are wrong (too little
data in novel states) or empowerment itself does not point the way. This estimator answers the
second question: it looks up the Blahut-Arimoto n-step empowerment of the cell a one-hot
gridworld observation shows, and has nothing to learn.
"""
import gin
import tensorflow as tf

from tf_empowerment.empowerment import exact
from tf_empowerment.envs import gridworld


@gin.configurable
class ExactGridworldEmpowerment(tf.Module):
  """Exact n-step empowerment [B] (nats) of one-hot gridworld states [B, num_free_cells].

  `layout` is a bundled layout name or a file, and `slip` must be the environment's
  (GridworldEnv.slip), or the values belong to another world.
  """

  def __init__(self, num_actions, layout=gin.REQUIRED, n_steps=1, slip=0.0,
               name="ExactGridworldEmpowerment"):
    super().__init__(name=name)
    if num_actions != len(gridworld.ACTIONS):
      raise ValueError(f"{name} is for gridworlds' {len(gridworld.ACTIONS)} actions, got "
                       f"num_actions={num_actions}")
    self._values = tf.constant(exact.gridworld_empowerment(
        gridworld.GridLayout.load(layout), n_steps, slip), tf.float32)

  def empowerment(self, states):
    states = tf.convert_to_tensor(states, tf.float32)
    if states.shape.rank != 2 or states.shape[-1] != self._values.shape[0]:
      raise ValueError(f"{self.name} wants one-hot states [batch, {self._values.shape[0]}], "
                       f"got {states.shape}")
    return tf.gather(self._values, tf.argmax(states, axis=-1))

  def train_step(self, states, actions, next_states, weights=None):
    """Nothing to learn: the values are exact. Returns no metrics."""
    del states, actions, next_states, weights
    return {}
