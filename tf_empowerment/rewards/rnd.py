"""Random Network Distillation (Burda et al. 2019): novelty as the error of predicting a fixed
random network of the state.

A predictor network is trained to match a fixed, randomly initialised target network on the
states the agent reaches; it matches well where it has trained often, so its squared error is
high on novel states and is the bonus (Section 2.2). Following the paper's Section 2.4, states
are whitened by running statistics of the collected states and clipped to [-5, 5] before both
networks, and the bonus is divided by the running std of its discounted return and is
non-episodic. Deviations: MLPs instead of convnets (states here are vectors: one-hot cells,
MiniGrid encodings, or embeddings), Keras' Glorot-uniform initialisation instead of
orthogonal, the statistics start from the first collected states instead of a random-agent
warm-up (ReplayLearner.learning_starts lets them settle before any update), and the predictor
trains on every sampled batch of replay (no `update_proportion`).
"""
import gin
import tensorflow as tf

from tf_empowerment.networks import statistics
from tf_empowerment.observations import normaliser as normaliser_lib
from tf_empowerment.rewards import intrinsic_reward
from tf_empowerment.rewards import normalisation


@gin.configurable
class RndBonus(intrinsic_reward.StateBonus):
  """beta * normalise(||f_hat(x) - f(x)||^2 / output_size), x the whitened, clipped state.

  `f` (the target) and `f_hat` (the predictor) are ReLU MLPs of `hidden_units` with
  `output_size` outputs, on states [D]; the target never trains and its initial weights are
  fixed by `seed` (None: by TF's global seed, so each Runner.seed has its own target). The
  predictor trains with Adam at `learning_rate` on the sampled next states. The whitening
  statistics (`observation_normaliser`) are updated at collection from every collected state,
  never from replay, so each state counts once. The target, the statistics and the optimizer are
  saved with the checkpoint.
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1,
               normaliser=normalisation.DiscountedReturnNormaliser, hidden_units=(128, 128),
               output_size=64, learning_rate=1e-4, seed=None, observation_clip=5.0,
               at_collection=False, num_channels=1, episodic=False, centred=False, offset=0.0,
               name="rnd_bonus"):
    del action_spec
    if state_spec.shape.rank != 1 or not state_spec.shape[0]:
      raise ValueError(f"RndBonus wants states [D], got {state_spec.shape}")
    for param, value in (("output_size", output_size), ("learning_rate", learning_rate),
                         ("observation_clip", observation_clip)):
      if value <= 0:
        raise ValueError(f"RndBonus.{param} must be positive, got {value}")
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=at_collection,
                     num_channels=num_channels, episodic=episodic, centred=centred, offset=offset,
                     name=name)
    self.observation_normaliser = normaliser_lib.ObservationNormaliser(
        state_spec.shape, clip=observation_clip)
    self.target = statistics.mlp(hidden_units, output_size, seed=seed)
    self.target.trainable = False
    self.predictor = statistics.mlp(hidden_units, output_size)
    # Built now, so the target's weights exist (and are checkpointed) from the start.
    for network in (self.target, self.predictor):
      network.build([None, state_spec.shape[0]])
    self._optimizer = tf.keras.optimizers.Adam(learning_rate)

  def create_variables(self):
    self._optimizer.build(self.predictor.trainable_variables)

  def bonus(self, states):
    return self._prediction_error(self.observation_normaliser(states))

  def _prediction_error(self, inputs):
    """Mean squared error [B] over the outputs, of whitened inputs [B, D]."""
    return tf.reduce_mean(tf.square(self.predictor(inputs) - self.target(inputs)), axis=-1)

  def observe(self, trajectory):
    # Each state is judged by the statistics before it, as the collect policy judges it (`info`).
    super().observe(trajectory)
    self.observation_normaliser.update(trajectory.observation)

  def train(self, states, actions, next_states, weights):
    """One Adam step of the predictor on next_states [B, D], a weighted mean over rows; rows
    of weight 0 change nothing, and a batch of total weight 0 takes no step."""
    del states, actions
    real = weights > 0
    # Zeroed, rows of weight 0 hold no inf or NaN to leak into the loss through 0 * inf.
    next_states = tf.cast(next_states, tf.float32)
    inputs = self.observation_normaliser(tf.where(real[:, None], next_states, 0.0))
    with tf.GradientTape() as tape:
      errors = self._prediction_error(inputs)
      loss = tf.math.divide_no_nan(tf.reduce_sum(weights * errors), tf.reduce_sum(weights))
    variables = self.predictor.trainable_variables
    gradients = tape.gradient(loss, variables)
    if tf.reduce_sum(weights) > 0:  # Adam's momentum alone would move the predictor
      self._optimizer.apply_gradients(zip(gradients, variables))
    return {"rnd/loss": loss}
