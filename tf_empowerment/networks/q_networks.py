"""Q-networks for DQN: the Nature-DQN convnet for pixels and an MLP for vector observations."""
import gin
import tensorflow as tf
from tf_agents.networks import q_network

# Mnih et al. (2015), "Human-level control through deep reinforcement learning", Methods.
NATURE_CONV_LAYERS = ((32, (8, 8), 4), (64, (4, 4), 2), (64, (3, 3), 1))


@gin.configurable
def nature_q_network(observation_spec, action_spec, fc_layer_params=(512,)):
  """Nature-DQN Q-network on uint8 frame stacks [H, W, stack], scaled to [0, 1] inside."""
  return q_network.QNetwork(
      observation_spec,
      action_spec,
      preprocessing_layers=tf.keras.layers.Rescaling(1.0 / 255.0),
      conv_layer_params=NATURE_CONV_LAYERS,
      fc_layer_params=fc_layer_params,
      name="NatureQNetwork")


@gin.configurable
def mlp_q_network(observation_spec, action_spec, fc_layer_params=(64, 64)):
  """MLP Q-network on float vector observations (one-hot cells, embeddings)."""
  return q_network.QNetwork(
      observation_spec, action_spec, fc_layer_params=fc_layer_params, name="MlpQNetwork")
