"""Forward-model curiosity: the prediction error of a forward model in state (embedding) space
as the reward, ICM's forward loss (Pathak et al. 2017) without its inverse-dynamics features.

The model is the empowerment estimators' ForwardModel, trained by its own loss on the same
replayed transitions, so curiosity and empowerment differ only in what they read from it.
"""
import gin
import tensorflow as tf

from tf_empowerment.networks import forward_model as forward_model_lib
from tf_empowerment.rewards import intrinsic_reward
from tf_empowerment.rewards import normalisation


@gin.configurable
class CuriosityBonus(intrinsic_reward.StateBonus):
  """beta * normalise(||f(s_t, a_t) - s_{t+1}||^2 / D), the forward model trained on each batch.

  The bonus is of the transition, so it is always recomputed on sampled batches with the
  current model (never stored at collection); `observe` keeps each environment's previous
  state and action to give the normaliser the bonus of every collected transition.
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1,
               forward_model=forward_model_lib.ForwardModel, learning_rate=1e-3,
               normaliser=normalisation.DiscountedReturnNormaliser, centred=False, offset=0.0,
               num_channels=1, episodic=False, name="curiosity_bonus"):
    if state_spec.shape.rank != 1:
      raise ValueError(f"CuriosityBonus wants state vectors [D], got {state_spec.shape}")
    super().__init__(state_spec, num_envs, beta, normaliser, num_channels=num_channels,
                     episodic=episodic, centred=centred, offset=offset,
                     name=name)
    num_actions = int(action_spec.maximum - action_spec.minimum) + 1
    self.forward_model = forward_model(num_actions=num_actions)
    self._optimizer = tf.keras.optimizers.Adam(learning_rate)
    self._previous_states = tf.Variable(tf.zeros([num_envs] + state_spec.shape.as_list()),
                                        trainable=False, name="previous_states")
    self._previous_actions = tf.Variable(tf.zeros([num_envs], action_spec.dtype),
                                         trainable=False, name="previous_actions")

  def create_variables(self):
    self.forward_model(tf.zeros([1] + self._state_spec.shape.as_list()))
    self._optimizer.build(self.forward_model.trainable_variables)

  def transition_bonus(self, states, actions, next_states):
    return self.forward_model.prediction_errors(states, actions, next_states)

  def _collected_bonus(self, trajectory):
    # Rows where the trajectory starts an episode get a meaningless value; observe skips them.
    states = tf.cast(trajectory.observation, tf.float32)
    bonus = self.transition_bonus(self._previous_states, self._previous_actions, states)
    self._previous_states.assign(states)
    self._previous_actions.assign(trajectory.action)
    return bonus

  def train(self, states, actions, next_states, weights):
    with tf.GradientTape() as tape:
      loss, mse = self.forward_model.training_loss(states, actions, next_states, weights)
    variables = self.forward_model.trainable_variables
    self._optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"curiosity/forward_loss": loss, "curiosity/forward_mse": mse}
