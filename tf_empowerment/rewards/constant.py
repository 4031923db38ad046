"""The constant per-step bonus: the control for the optimism that any bonus brings."""
import gin
import tensorflow as tf

from tf_empowerment.rewards import intrinsic_reward


@gin.configurable
class ConstantBonus(intrinsic_reward.StateBonus):
  """The same `value` on every transition, of either sign: the optimism control.

  A negative step reward with Q-values starting near 0 is optimistic initialisation, an
  exploration driver of its own; a positive one is a living reward. Beside any bonus of the
  same mean it tells how much of that bonus's effect is optimism rather than its signal.
  """

  def __init__(self, state_spec, action_spec, num_envs, value=-0.1, num_channels=1,
               episodic=False, sign_clipped=False, name="constant_bonus"):
    del action_spec
    super().__init__(state_spec, num_envs, beta=1.0, normaliser=None, num_channels=num_channels,
                     episodic=episodic, sign_clipped=sign_clipped, name=name)
    self._value = value

  def bonus(self, states):
    return tf.fill(tf.shape(states)[:1], tf.constant(self._value, tf.float32))
