"""Features of what the agent controls, learned by inverse dynamics (ICM, Pathak et al. 2017).

phi(s) is trained so that (phi(s), phi(s')) predicts the action taken between s and s': it keeps
what actions change and drops what they cannot (other sprites, the score, noise). An empowerment
estimator reading phi instead of a random embedding sees the action's effect that the random
projection of a whole frame dilutes (measured by scripts/montezuma_empowerment_map.py).
"""
import gin
import tensorflow as tf

from tf_empowerment.networks import statistics


@gin.configurable
class InverseDynamicsFeatures(tf.Module):
  """phi(s) [B, feature_size] in (-1, 1) (tanh, a bounded scale for the forward model that reads
  it), from states [B, D]; `train_step` fits phi and the inverse model q(a | phi(s), phi(s'))
  by weighted cross-entropy."""

  def __init__(self, num_actions, feature_size=32, hidden_units=(256,), learning_rate=1e-3,
               name="InverseDynamicsFeatures"):
    super().__init__(name=name)
    if feature_size < 1 or learning_rate <= 0:
      raise ValueError(f"{name}.feature_size must be >= 1 and learning_rate positive, got "
                       f"{feature_size} and {learning_rate}")
    self.feature_size = feature_size
    self._encoder = statistics.mlp(hidden_units, feature_size)
    self._inverse = statistics.mlp(hidden_units, num_actions)
    self._optimizer = tf.keras.optimizers.Adam(learning_rate)

  def __call__(self, states):
    return tf.tanh(self._encoder(states))

  def create_variables(self, state_size):
    """Builds the networks and the optimizer's slots without changing any value."""
    features = self(tf.zeros([1, state_size]))
    self._inverse(tf.concat([features, features], axis=-1))
    self._optimizer.build(self._variables())

  def train_step(self, states, actions, next_states, weights):
    """One update on transitions ([B, D], [B] int, [B, D]) weighted by [B]; returns the
    inverse model's loss (nats) and accuracy on them."""
    with tf.GradientTape() as tape:
      logits = self._inverse(tf.concat([self(states), self(next_states)], axis=-1))
      actions = tf.cast(actions, tf.int32)
      losses = tf.nn.sparse_softmax_cross_entropy_with_logits(actions, logits)
      total = tf.reduce_sum(weights)  # 0 for a batch of no data: metrics of 0, no step
      loss = tf.math.divide_no_nan(tf.reduce_sum(weights * losses), total)
    variables = self._variables()
    if total > 0:  # Adam's momentum alone would move the variables
      self._optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    correct = tf.cast(tf.equal(tf.argmax(logits, -1, output_type=tf.int32), actions), tf.float32)
    return {"features/inverse_loss": loss,
            "features/inverse_accuracy": tf.math.divide_no_nan(
                tf.reduce_sum(weights * correct), total)}

  def _variables(self):
    return self._encoder.trainable_variables + self._inverse.trainable_variables

