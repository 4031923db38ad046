"""Which actions change the state: a learned model of a deterministic task's 1-step outcomes.

In a deterministic world where every action that changes the state leads to a state of its own
(MiniGrid: turns, a step, toggling a door, picking up and dropping each change something
different), the 1-step empowerment of s is log of the number of distinct next states: the
actions that change s, plus one if some action leaves it as it is. So it only takes knowing,
per action, whether it changes s, a classification that generalises over observations (a door
ahead: toggling changes it) where the transition table's entries do not.
"""
import gin
import tensorflow as tf

from tf_empowerment.networks import statistics


@gin.configurable
class ActionEffectModel(tf.Module):
  """p(a changes s) [B, num_actions] from states [B, D]; `train_step` fits it by weighted
  binary cross-entropy on transitions, the label being whether s' differs from s."""

  def __init__(self, num_actions, hidden_units=(64,), learning_rate=1e-3,
               name="ActionEffectModel"):
    super().__init__(name=name)
    if learning_rate <= 0:
      raise ValueError(f"{name}.learning_rate must be positive, got {learning_rate}")
    self._logits = statistics.mlp(hidden_units, num_actions)
    self._optimizer = tf.keras.optimizers.Adam(learning_rate)

  def __call__(self, states):
    return tf.sigmoid(self._logits(states))

  def create_variables(self, state_size):
    """Builds the network and the optimizer's slots without changing any value."""
    self._logits(tf.zeros([1, state_size]))
    self._optimizer.build(self._logits.trainable_variables)

  def train_step(self, states, actions, next_states, weights):
    """One update on transitions ([B, D], [B] int, [B, D]) weighted by [B]; returns the loss
    (nats) and the accuracy of the taken action's prediction."""
    changed = tf.cast(tf.reduce_any(states != next_states, axis=-1), tf.float32)
    with tf.GradientTape() as tape:
      logits = tf.gather(self._logits(states), tf.cast(actions, tf.int32), batch_dims=1)
      losses = tf.nn.sigmoid_cross_entropy_with_logits(changed, logits)
      total = tf.reduce_sum(weights)  # 0 for a batch of no data: metrics of 0, no step
      loss = tf.math.divide_no_nan(tf.reduce_sum(weights * losses), total)
    variables = self._logits.trainable_variables
    if total > 0:  # Adam's momentum alone would move the variables
      self._optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    correct = tf.cast(tf.equal(tf.cast(logits > 0, tf.float32), changed), tf.float32)
    return {"effects/loss": loss,
            "effects/accuracy": tf.math.divide_no_nan(tf.reduce_sum(weights * correct), total)}
