"""1-step empowerment of a learned model of which actions change the state, as a reward.

The learned counterpart of MiniGridEmpowermentReward's exact value, for deterministic tasks
whose actions that change the state each lead to a state of their own (ActionEffectModel):
E_1(s) = log(sum_a p_a(s) + 1 - prod_a p_a(s)), the expected number of distinct next states
(the actions that change s, plus s itself if some action leaves it) under the model's p_a, its
log taken as the value. The model reads the observation, so what it learns of a door ahead in
one layout holds in the next, where tables of states start empty.
"""
import gin
import tensorflow as tf

from tf_empowerment.networks import action_effects
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.rewards import intrinsic_reward


def distinct_outcomes_empowerment(change_probabilities):
  """log(sum_a p_a + 1 - prod_a p_a) [B] (nats) of p(a changes s) [B, num_actions]."""
  return tf.math.log(tf.reduce_sum(change_probabilities, axis=-1) + 1.0
                     - tf.reduce_prod(change_probabilities, axis=-1))


@gin.configurable
class EffectModelEmpowermentReward(intrinsic_reward.StateBonus):
  """beta * E_1(s') of the ActionEffectModel trained on every sampled batch, relative to
  log num_actions with `relative`; the other arguments as StateBonus's."""

  def __init__(self, state_spec, action_spec, num_envs, model=action_effects.ActionEffectModel,
               relative=False, beta=0.1, normaliser=None, num_channels=1, centred=False,
               offset=0.0, name="effect_model_empowerment_reward"):
    if state_spec.shape.rank != 1:
      raise ValueError(f"EffectModelEmpowermentReward wants state vectors [D], got "
                       f"{state_spec.shape}")
    super().__init__(state_spec, num_envs, beta, normaliser, num_channels=num_channels,
                     centred=centred, offset=offset, name=name)
    self._num_actions = int(action_spec.maximum - action_spec.minimum) + 1
    self._action_minimum = int(action_spec.minimum)
    self.model = model(num_actions=self._num_actions)
    self._scale = empowerment_reward.relative_scale(self._num_actions, relative)

  def create_variables(self):
    self.model.create_variables(self._state_spec.shape[0])

  def state_values(self, states):
    """E_1 [batch] (nats) of states [batch, D] under the model."""
    return distinct_outcomes_empowerment(self.model(states))

  def bonus(self, states):
    return self._scale * self.state_values(states)

  def train(self, states, actions, next_states, weights):
    return self.model.train_step(states, tf.cast(actions, tf.int32) - self._action_minimum,
                                 next_states, weights)

  def bonus_metrics(self, bonus, weights):
    return empowerment_reward.empowerment_metrics(bonus / self._scale, weights,
                                                  self._num_actions, tolerance=1e-4)
