"""Bonuses combined on each transition: a novelty term beside or times an empowerment term.

Empowerment alone is a stationary reward: the agent settles where it is highest, an attractor
rather than exploration. Beside a novelty term (a sum) it ranks novel states by how much they
control; as a factor of one (a product, novelty times empowerment) it weights novelty and fades
with it, so no state stays attractive once visited.

A learned estimate is only as good as the data behind it: trained on the agent's replay, it is
accurate where the agent has been often and low elsewhere (measured on nine_rooms: README),
so beside novelty it rewards the familiar, an attractor again. The 'familiar_sum' counts the
other terms in proportion to how familiar the state reached is, 1 - n(s') with n the novelty
term's raw bonus in [0, 1] (1 / sqrt(N) for counts): a new state is judged by its novelty
alone, and its empowerment counts once the estimator has seen it.
"""
import gin
import tensorflow as tf

from tf_empowerment.replay import transitions
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import intrinsic_reward
from tf_empowerment.rewards import sim_hash

OPERATIONS = ("sum", "product", "familiar_sum")
# Novelty terms whose raw bonus, 1 / sqrt(count), lies in (0, 1]: what 'familiar_sum' reads.
COUNT_BONUSES = (counts.TabularCountBonus, counts.EpisodicCountBonus, sim_hash.SimHashCountBonus)


@gin.configurable
class CombinedBonus(intrinsic_reward.IntrinsicReward):
  """r = beta * op_i r_i + offset on every transition, op the sum or product of the terms'
  intrinsic rewards r_i, each term with its own beta, offset, normaliser and training, or
  ('familiar_sum') r_0 + (1 - n_0(s')) * sum_{i > 0} r_i, with n_0 the first term's raw bonus,
  1 / sqrt(count) of a count bonus.

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
    if operation == "familiar_sum" and (len(self.terms) < 2
                                        or not isinstance(self.terms[0], COUNT_BONUSES)):
      raise ValueError(f"CombinedBonus.operation = 'familiar_sum' needs a count bonus "
                       f"({', '.join(c.__name__ for c in COUNT_BONUSES)}) as the first of two or "
                       f"more terms, got {[term.name for term in self.terms]}")
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
    if self._operation == "sum":
      combined = tf.add_n(rewards)
    elif self._operation == "product":
      combined = tf.reduce_prod(rewards, 0)
    else:
      novelty = self.terms[0].raw_bonus(self._as_alone(experience, 0), num_rewarded)
      familiarity = intrinsic_reward.padded_to_window(1.0 - novelty, experience.reward)
      combined = rewards[0] + familiarity * tf.add_n(rewards[1:])
      metrics["familiarity_mean"] = tf.reduce_mean(familiarity[:, :novelty.shape[1]])
    real = intrinsic_reward.padded_to_window(
        transitions.transition_mask(experience)[:, :num_rewarded], experience.reward)
    intrinsic = real * (self._beta * combined + self._offset)
    metrics["intrinsic_reward/scaled_mean"] = intrinsic_reward.weighted_mean(intrinsic, real)
    return intrinsic, metrics
