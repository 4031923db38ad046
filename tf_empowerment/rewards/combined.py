"""Bonuses combined on each transition: a novelty term beside or times an empowerment term.

Empowerment alone is a stationary reward: the agent settles where it is highest, an attractor
rather than exploration. Beside a novelty term (a sum) it ranks novel states by how much they
control; as a factor of one (a product, novelty times empowerment) it weights novelty and fades
with it, so no state stays attractive once visited.
"""
import gin
import tensorflow as tf

from tf_empowerment.replay import transitions
from tf_empowerment.rewards import intrinsic_reward

OPERATIONS = ("sum", "product")


@gin.configurable
class CombinedBonus(intrinsic_reward.IntrinsicReward):
  """r = beta * op_i r_i + offset on every transition, op the sum or product of the terms'
  intrinsic rewards r_i, each term with its own beta, offset, normaliser and training.

  `terms` are IntrinsicReward constructors of one channel (gin: [@TabularCountBonus,
  @ExactEmpowermentReward]); a term's name prefixes its metrics. Each term sees replay's info
  as if it were alone, so bonuses computed at collection (episodic counts) combine unchanged.
  """

  def __init__(self, state_spec, action_spec, num_envs, terms=gin.REQUIRED, operation="sum",
               beta=1.0, offset=0.0, num_channels=1, episodic=False, name="combined_bonus"):
    super().__init__(num_channels=num_channels, episodic=episodic, name=name)
    if operation not in OPERATIONS:
      raise ValueError(f"CombinedBonus.operation must be one of {OPERATIONS}, got {operation!r}")
    if not terms:
      raise ValueError("CombinedBonus.terms is empty")
    self.terms = [term(state_spec=state_spec, action_spec=action_spec, num_envs=num_envs)
                  for term in terms]
    for term in self.terms:
      if term.num_channels != 1:
        raise ValueError(f"CombinedBonus.terms: {term.name} has {term.num_channels} channels, "
                         "a term has 1")
    self._operation = operation
    self._beta = beta
    self._offset = offset

  @property
  def window_length(self):
    return max(term.window_length for term in self.terms)

  @property
  def info_spec(self):
    specs = tuple(term.info_spec for term in self.terms)
    return () if all(spec == () for spec in specs) else specs

  def info(self, states, is_first):
    if self.info_spec == ():
      return ()
    return tuple(term.info(states, is_first) for term in self.terms)

  def _as_alone(self, experience, index):
    """`experience` with replay's info of term `index` in place of every term's."""
    if self.info_spec == ():
      return experience
    policy_info = dict(experience.policy_info)
    policy_info[intrinsic_reward.INFO_KEY] = policy_info[intrinsic_reward.INFO_KEY][index]
    return experience._replace(policy_info=policy_info)

  def create_variables(self):
    for term in self.terms:
      term.create_variables()

  def observe(self, trajectory):
    for index, term in enumerate(self.terms):
      term.observe(self._as_alone(trajectory, index))

  def intrinsic(self, experience, num_rewarded=None):
    rewards, metrics = [], {}
    for index, term in enumerate(self.terms):
      reward, term_metrics = term.intrinsic(self._as_alone(experience, index), num_rewarded)
      rewards.append(reward)
      metrics.update({f"{term.name}/{key}": value for key, value in term_metrics.items()})
    combined = tf.add_n(rewards) if self._operation == "sum" else tf.reduce_prod(rewards, 0)
    real = intrinsic_reward.padded_to_window(
        transitions.transition_mask(experience)[:, :num_rewarded], experience.reward)
    intrinsic = real * (self._beta * combined + self._offset)
    metrics["intrinsic_reward/scaled_mean"] = intrinsic_reward.weighted_mean(intrinsic, real)
    return intrinsic, metrics
