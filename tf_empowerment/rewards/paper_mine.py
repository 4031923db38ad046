"""The seed paper's empowerment reward as written (Kumar 2018, arXiv 1810.05533): the
configuration that says whether its reported effect on Montezuma's Revenge is empowerment.

What it does, each choice the paper's:
- a deterministic forward model s' = s + f(s, a), trained by mean squared error (ForwardModel
  without action noise);
- a statistics network T(s', a) that does not see s (StatisticsNetwork, use_state=False), so
  it bounds the pooled I(A; S'), not the conditional I(A; S' | s) of empowerment;
- for the product of marginals one point per state, the mean of the model's next states over
  actions, s_bar = mean_a (s + f(s, a)), paired with the replayed action;
- T trained on the Jensen-Shannon bound E_joint[-softplus(-T(s', a))] - E[softplus(T(s_bar, a))];
- the reward of a transition: that bound's per-sample term,
  -softplus(-T(s', a)) - softplus(T(s_bar, a)), which is negative for every T;
- the augmented reward r_ext + beta * r_int clipped to its sign.
Where the library's MineEmpowerment deviates (T sees s, the marginal is the model's mixture of
every action's outcome, the reward is a per-state readout that is a bound on empowerment), see
empowerment/mine.py.
"""
import gin
import tensorflow as tf

from tf_empowerment.estimators import mutual_information
from tf_empowerment.networks import forward_model as forward_model_lib
from tf_empowerment.networks import statistics
from tf_empowerment.rewards import intrinsic_reward


@gin.configurable
class PaperMineReward(intrinsic_reward.StateBonus):
  """beta * (-softplus(-T(s', a)) - softplus(T(s_bar, a))) per transition, summed with the
  extrinsic reward and clipped to its sign (`sign_clipped`); no normaliser, as in the paper.

  The forward model and T train on every sampled batch; the reward is recomputed on it with
  the updated networks (the paper computes it where T trains and stores it).
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1,
               forward_model=forward_model_lib.ForwardModel,
               statistics_network=statistics.StatisticsNetwork, forward_learning_rate=3e-4,
               critic_learning_rate=1e-4, sign_clipped=True, name="paper_mine_reward"):
    if state_spec.shape.rank != 1:
      raise ValueError(f"PaperMineReward wants state vectors [D], got {state_spec.shape}")
    super().__init__(state_spec, num_envs, beta, normaliser=None, sign_clipped=sign_clipped,
                     name=name)
    num_actions = int(action_spec.maximum - action_spec.minimum) + 1
    self.forward_model = forward_model(num_actions=num_actions, action_noise=False)
    self.critic = statistics_network(num_actions=num_actions, use_state=False)
    self._optimizers = {"forward_model": tf.keras.optimizers.Adam(forward_learning_rate),
                        "critic": tf.keras.optimizers.Adam(critic_learning_rate)}

  def create_variables(self):
    states = tf.zeros([1] + self._state_spec.shape.as_list())
    self._scores(states, tf.zeros([1], tf.int32), states)
    self._optimizers["forward_model"].build(self.forward_model.trainable_variables)
    self._optimizers["critic"].build(self.critic.trainable_variables)

  def _scores(self, states, actions, next_states):
    """(T(s', a), T(s_bar, a)) [B] for transitions ([B, D], [B], [B, D])."""
    outcomes, _ = self.forward_model(states)  # [B, A, D]
    mean_outcome = tf.stop_gradient(tf.reduce_mean(outcomes, axis=1))
    scores = self.critic(states, tf.stack([next_states, mean_outcome], axis=1))  # [B, 2, A]
    scores = tf.gather(scores, actions, axis=2, batch_dims=1)  # [B, 2]
    return scores[:, 0], scores[:, 1]

  def transition_bonus(self, states, actions, next_states):
    joint, marginal = self._scores(states, tf.cast(actions, tf.int32), next_states)
    return -tf.nn.softplus(-joint) - tf.nn.softplus(marginal)

  def train(self, states, actions, next_states, weights):
    actions = tf.cast(actions, tf.int32)
    with tf.GradientTape(persistent=True) as tape:
      model_loss, _ = self.forward_model.training_loss(states, actions, next_states, weights)
      joint, marginal = self._scores(states, actions, next_states)
      bound = (mutual_information.weighted_mean(-tf.nn.softplus(-joint), weights)
               - mutual_information.weighted_mean(tf.nn.softplus(marginal), weights))
      critic_loss = -bound
    for key, loss, network in (("forward_model", model_loss, self.forward_model),
                               ("critic", critic_loss, self.critic)):
      variables = network.trainable_variables
      self._optimizers[key].apply_gradients(zip(tape.gradient(loss, variables), variables))
    del tape
    return {"paper_mine/forward_mse": model_loss, "paper_mine/jsd_bound": bound}
