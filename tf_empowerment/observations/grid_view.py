"""What a gridworld agent with a local view and a position sensor sees, for an estimator to read.

One-hot states share nothing between cells, so a learned empowerment estimate is right only
where the agent has often been (scripts/estimate_by_visits.py; README, nine_rooms). Empowerment
is a function of the walls around a cell, so an estimator reading them can carry what it learned
in one room to another it has barely visited. GridViewFeatures maps a one-hot state to its
(row, col) scaled to [0, 1] and the walls of the (2r + 1)^2 window centred on it (the grid's
border counts as wall), as MiniGrid's egocentric view with the agent's position would: the
position tells outcomes apart, the view says which moves a wall blocks. Without the position
(`position=False`) far rooms are described by the same parts as near ones, so an estimator need
not extrapolate to coordinates it has never seen; on nine_rooms the 7x7 windows alone still tell
apart every two cells 3 moves reach from one cell. Nothing is learned.
"""
import gin
import numpy as np
import tensorflow as tf

from tf_empowerment.envs import gridworld


def view_table(layout, radius, position=True):
  """float32 [num_states, 2 + (2 radius + 1)^2]: each free cell's scaled (row, col), then its
  window's walls (1) and free cells (0) in row-major order; without `position`, the window only."""
  padded = np.pad(layout.walls, radius, constant_values=True)
  size = 2 * radius + 1
  table = []
  for row, col in layout.free_cells:
    window = padded[row:row + size, col:col + size]
    scaled = layout.scaled_cell((row, col)) if position else []
    table.append(np.concatenate([scaled, window.ravel()]))
  return np.array(table, np.float32)


@gin.configurable
class GridViewFeatures(tf.Module):
  """phi(s) [B, 2 + (2 radius + 1)^2] (without `position`: [B, (2 radius + 1)^2]) of one-hot
  states [B, num_states] of `layout` (a bundled name or a file), the features interface of
  EmpowermentReward.features with nothing to train. `radius` should reach as far as the
  empowerment's horizon, n_steps cells."""

  def __init__(self, num_actions, layout=gin.REQUIRED, radius=3, position=True,
               name="GridViewFeatures"):
    super().__init__(name=name)
    del num_actions  # fixed features: the actions play no part
    if not isinstance(radius, int) or radius < 0:
      raise ValueError(f"{name}.radius must be an integer >= 0, got {radius!r}")
    layout = layout if isinstance(layout, gridworld.GridLayout) else gridworld.GridLayout.load(
        layout)
    self._table = tf.constant(view_table(layout, radius, position))
    self._num_states = layout.num_states
    self.feature_size = int(self._table.shape[-1])

  def __call__(self, states):
    return tf.gather(self._table, tf.argmax(states, axis=-1, output_type=tf.int32))

  def create_variables(self, state_size):
    if state_size != self._num_states:
      raise ValueError(f"{self.name} wants one-hot states [{self._num_states}] of its layout, "
                       f"got states of size {state_size}")

  def train_step(self, states, actions, next_states, weights):
    del states, actions, next_states, weights
    return {}
