"""Q-networks for DQN: the Nature-DQN convnet for pixels and an MLP for vector observations.

Each comes with one Q-value head, or with `two_heads` as a TwoHeadQNetwork on the same torso.
"""
import gin
import tensorflow as tf
from tf_agents.networks import q_network

# Mnih et al. (2015), "Human-level control through deep reinforcement learning", Methods.
NATURE_CONV_LAYERS = ((32, (8, 8), 4), (64, (4, 4), 2), (64, (3, 3), 1))


class TwoHeadQNetwork(q_network.QNetwork):
  """A QNetwork with a second Q-value head on its torso: extrinsic and intrinsic values.

  As Random Network Distillation's two value heads (Burda et al. 2019, Sec. 2.3): the network's
  output, which the policies act on, is Q_ext + Q_int [batch, num_actions]; `head_values`
  gives the heads apart for their own TD losses. The intrinsic head is a new layer with
  QNetwork's own head's size, activation and initialisers.
  """

  def __init__(self, input_tensor_spec, action_spec, fc_layer_params, preprocessing_layers=None,
               conv_layer_params=None, name="TwoHeadQNetwork"):
    super().__init__(input_tensor_spec, action_spec, preprocessing_layers=preprocessing_layers,
                     conv_layer_params=conv_layer_params, fc_layer_params=fc_layer_params,
                     name=name)
    head = self._q_value_layer
    self._intrinsic_q_value_layer = tf.keras.layers.Dense(
        head.units, activation=head.activation, kernel_initializer=head.kernel_initializer,
        bias_initializer=head.bias_initializer, dtype=head.dtype, name="intrinsic_q_values")

  def head_values(self, observation, step_type=None, training=False):
    """Q-values [batch, num_actions, 2] of the extrinsic (0) and intrinsic (1) heads."""
    state, _ = self._encoder(observation, step_type=step_type, training=training)
    return tf.stack([self._q_value_layer(state, training=training),
                     self._intrinsic_q_value_layer(state, training=training)], axis=-1)

  def call(self, observation, step_type=None, network_state=(), training=False):
    values = self.head_values(observation, step_type=step_type, training=training)
    return tf.reduce_sum(values, axis=-1), network_state


def _network_class(two_heads):
  return TwoHeadQNetwork if two_heads else q_network.QNetwork


@gin.configurable(denylist=["two_heads"])
def nature_q_network(observation_spec, action_spec, fc_layer_params=(512,), two_heads=False):
  """Nature-DQN Q-network on uint8 frame stacks [H, W, stack], scaled to [0, 1] inside."""
  return _network_class(two_heads)(
      observation_spec,
      action_spec,
      preprocessing_layers=tf.keras.layers.Rescaling(1.0 / 255.0),
      conv_layer_params=NATURE_CONV_LAYERS,
      fc_layer_params=fc_layer_params,
      name="NatureQNetwork")


@gin.configurable(denylist=["two_heads"])
def mlp_q_network(observation_spec, action_spec, fc_layer_params=(64, 64), two_heads=False):
  """MLP Q-network on float vector observations (one-hot cells, embeddings)."""
  return _network_class(two_heads)(
      observation_spec, action_spec, fc_layer_params=fc_layer_params, name="MlpQNetwork")
