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

  Gridworld observations are one-hot cells (`GridworldEnv.observation = 'one_hot'`); the
  counts are saved with the checkpoint. No normaliser by default: 1 / sqrt(N) is already on a
  fixed scale, (0, 1].
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1, normaliser=None,
               episodic=False, at_collection=False, num_channels=1, name="tabular_count_bonus"):
    del action_spec
    if state_spec.shape.rank != 1 or not state_spec.shape[0]:
      raise ValueError(f"TabularCountBonus wants one-hot states [num_states], got "
                       f"{state_spec.shape}")
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=at_collection,
                     num_channels=num_channels, episodic=episodic, name=name)
    self.counts = tf.Variable(tf.zeros([state_spec.shape[0]]), trainable=False, name="counts")

  def _cells(self, states):
    return tf.argmax(states, axis=-1, output_type=tf.int32)

  def bonus(self, states):
    return tf.math.rsqrt(tf.maximum(tf.gather(self.counts, self._cells(states)), 1.0))

  def observe(self, trajectory):
    super().observe(trajectory)
    self.counts.scatter_nd_add(self._cells(trajectory.observation)[:, None],
                               tf.ones(tf.shape(trajectory.observation)[:1]))
