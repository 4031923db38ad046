"""Count-based exploration bonus for tabular states: beta / sqrt(N(s)) (Strehl & Littman 2008).

The smallest real bonus behind the IntrinsicReward interface: counts come from collection
(`observe`), the bonus of the state reached is read at each update, and nothing is trained.
"""
import gin
import tensorflow as tf

from tf_empowerment.rewards import intrinsic_reward


@gin.configurable
class TabularCountBonus(intrinsic_reward.StateBonus):
  """beta / sqrt(N(s_{t+1})), N counted over all collected steps; one-hot states [num_states].

  Gridworld observations are one-hot cells (`GridworldEnv.observation = 'one_hot'`). With
  `num_cells` only the state's first `num_cells` entries are counted, a one-hot block such as
  the agent's cell at the start of a MiniGrid observation. The counts are saved with the
  checkpoint. No normaliser by default: 1 / sqrt(N) is already on a fixed scale, (0, 1].
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1, normaliser=None,
               episodic=False, centred=False, offset=0.0, at_collection=False,
               num_channels=1, num_cells=None, name="tabular_count_bonus"):
    del action_spec
    if state_spec.shape.rank != 1 or not state_spec.shape[0]:
      raise ValueError(f"TabularCountBonus wants one-hot states [num_states], got "
                       f"{state_spec.shape}")
    num_cells = num_cells or state_spec.shape[0]
    if not 0 < num_cells <= state_spec.shape[0]:
      raise ValueError(f"TabularCountBonus.num_cells must be in [1, {state_spec.shape[0]}], "
                       f"got {num_cells}")
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=at_collection,
                     num_channels=num_channels, episodic=episodic, centred=centred, offset=offset,
                     name=name)
    self._num_cells = num_cells
    self.counts = tf.Variable(tf.zeros([num_cells]), trainable=False, name="counts")

  def _cells(self, states):
    return tf.argmax(states[..., :self._num_cells], axis=-1, output_type=tf.int32)

  def bonus(self, states):
    return tf.math.rsqrt(tf.maximum(tf.gather(self.counts, self._cells(states)), 1.0))

  def observe(self, trajectory):
    super().observe(trajectory)
    self.counts.scatter_nd_add(self._cells(trajectory.observation)[:, None],
                               tf.ones(tf.shape(trajectory.observation)[:1]))

