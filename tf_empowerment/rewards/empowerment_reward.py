"""The intrinsic-reward component: trains an empowerment estimator and relabels DQN's rewards.

It wraps DQN's learning rather than forking it (as Acme's RND wraps another agent): for each
sampled batch it trains the estimator on the batch's real transitions and returns the batch
with rewards r = r_ext + beta * normalise(empowerment(s_{t+1})), r_ext as the trainer gives it
(clipped to its sign by default), or, for a two-head agent, the two terms apart. With beta = 0
the rewards are exactly plain DQN's.
"""
import gin
import tensorflow as tf

from tf_empowerment.rewards import normalisation


@gin.configurable
class EmpowermentReward(tf.Module):
  """Empowerment of the state reached, scaled by the std of its discounted return, as reward.

  `estimator(num_actions=...)` builds an estimator with `train_step(states, actions,
  next_states) -> dict of scalars` and `empowerment(states) -> [batch] nats`, e.g.
  MineEmpowerment; states are embeddings [batch, size]. With a `floor` (nats), estimates
  below it become the floor before normalisation; 0 is the natural one, as I(A; S' | s) >= 0
  makes max(estimate, 0) a lower bound too, tighter where the critic is still wrong.
  """

  def __init__(self, num_actions, num_envs, estimator=gin.REQUIRED, beta=0.1,
               normaliser=normalisation.DiscountedReturnNormaliser, floor=None):
    super().__init__(name="empowerment_reward")
    if beta < 0:
      raise ValueError(f"EmpowermentReward.beta must be non-negative, got {beta}")
    self.estimator = estimator(num_actions=num_actions)
    self.normaliser = normaliser(num_envs=num_envs)
    self._beta = beta
    self._floor = floor

  @property
  def episodic(self):
    """Whether the intrinsic return restarts at episode starts (the normaliser's choice)."""
    return self.normaliser.episodic

  def state_empowerment(self, states):
    """The estimator's empowerment [batch] (nats) of states [batch, D]."""
    return self.estimator.empowerment(states)

  def _floored(self, empowerment):
    """The intrinsic reward (nats): the estimate, raised to `floor` if there is one."""
    return empowerment if self._floor is None else tf.maximum(empowerment, self._floor)

  def observe(self, trajectory):
    """Collection observer: advances the intrinsic-return statistics by one step [num_envs]."""
    reward = self._floored(self.state_empowerment(trajectory.observation))
    self.normaliser.observe(reward, trajectory.is_first())

  def __call__(self, experience, separate=False):
    """Trains the estimator on `experience` [batch, time] and returns (relabelled, metrics).

    Relabelled rewards are r_ext + beta * r_int [batch, time], or with `separate` the two
    channels (r_ext, beta * r_int) [batch, time, 2] for a two-head agent.
    """
    batch_size, time = tf.shape(experience.reward)[0], tf.shape(experience.reward)[1]
    states = experience.observation  # [batch, time, D]
    real = ~experience.is_boundary()[:, :-1]  # (LAST -> FIRST) steps are no transitions.
    metrics = self.estimator.train_step(
        tf.boolean_mask(states[:, :-1], real),
        tf.boolean_mask(experience.action[:, :-1], real),
        tf.boolean_mask(states[:, 1:], real))
    next_states = tf.reshape(states[:, 1:], [batch_size * (time - 1), states.shape[-1]])
    empowerment = self.estimator.empowerment(next_states)
    intrinsic = tf.reshape(self._floored(empowerment), [batch_size, time - 1])
    normalised = self.normaliser(intrinsic)
    # The last step has no next state in the batch: no intrinsic reward.
    scaled = tf.concat([self._beta * normalised, tf.zeros_like(experience.reward[:, -1:])], axis=1)
    if separate:
      reward = tf.stack([experience.reward, scaled], axis=-1)
    else:
      reward = experience.reward + scaled
    metrics.update({
        "intrinsic_reward/raw_mean": tf.reduce_mean(intrinsic),
        "intrinsic_reward/normalised_mean": tf.reduce_mean(normalised),
        "empowerment/mean": tf.reduce_mean(empowerment),
        "empowerment/std": tf.math.reduce_std(empowerment),
        "empowerment/max": tf.reduce_max(empowerment),
    })
    return experience._replace(reward=reward), metrics
