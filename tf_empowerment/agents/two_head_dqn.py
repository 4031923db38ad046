"""DQN with an extrinsic and an intrinsic Q-head, each with its own reward and discount.

Random Network Distillation (Burda et al. 2019, Sec. 2.3) learns the extrinsic and intrinsic
returns with two value heads and their own discounts (0.999 and 0.99) and acts on their sum;
this agent does the same with DQN's Q-values. The intrinsic reward already carries its weight
beta, so the plain sum is the right combination.
"""
import tensorflow as tf
from tf_agents.agents import data_converter
from tf_agents.agents import tf_agent
from tf_agents.agents.dqn import dqn_agent
from tf_agents.trajectories import policy_step
from tf_agents.trajectories import trajectory
from tf_agents.utils import common

NUM_HEADS = 2  # extrinsic, intrinsic


class TwoHeadDqnAgent(dqn_agent.DqnAgent):
  """(Double) DQN on a TwoHeadQNetwork, trained on rewards [batch, time, 2] (ext, int).

  Each head has its own 1-step TD target, r + gamma * d * Q_target(s', a'), with a' the
  argmax of the combined Q at s' (online network with `double_dqn`, else target network):
  the extrinsic head with `gamma` and the environment's discount d, so it stops at episode
  ends as DQN does; the intrinsic head with `intrinsic_gamma` and d only if
  `intrinsic_episodic`, otherwise it bootstraps from an episode's final state too
  (non-episodic intrinsic return, as RND). The loss is the sum of both heads' TD losses.
  """

  def __init__(self, time_step_spec, action_spec, q_network, intrinsic_gamma,
               intrinsic_episodic, double_dqn, **dqn_kwargs):
    reward_channels = time_step_spec._replace(
        reward=tf.TensorSpec([NUM_HEADS], time_step_spec.reward.dtype, "reward"))
    super().__init__(
        time_step_spec, action_spec, q_network,
        training_data_spec=trajectory.from_transition(
            reward_channels, policy_step.PolicyStep(action_spec), reward_channels),
        **dqn_kwargs)
    # One step, reward channels kept apart (AsNStepTransition discounts a scalar reward).
    self._as_transition = data_converter.AsTransition(self.data_context, squeeze_time_dim=True)
    self._intrinsic_gamma = intrinsic_gamma
    self._intrinsic_episodic = intrinsic_episodic
    self._double_dqn = double_dqn

  def _loss(self, experience, td_errors_loss_fn=None, gamma=1.0, reward_scale_factor=1.0,
            weights=None, training=False):
    """Sum of both heads' TD losses on `experience` [batch, time=2]; extra has them [batch, 2].

    Both heads use the agent's own discounts, through `loss()` too, where DqnAgent's `gamma`
    argument would be 1.
    """
    del gamma
    time_steps, policy_steps, next_time_steps = self._as_transition(experience)
    td_errors_loss_fn = td_errors_loss_fn or self._td_errors_loss_fn
    with tf.name_scope("loss"):
      q_values = tf.gather(
          self._q_network.head_values(time_steps.observation, time_steps.step_type,
                                      training=training),
          tf.cast(policy_steps.action, tf.int32), batch_dims=1)  # [batch, 2]
      discount = next_time_steps.discount
      intrinsic_discount = discount if self._intrinsic_episodic else tf.ones_like(discount)
      td_targets = dqn_agent.compute_td_targets(
          self._next_q_values(next_time_steps),
          rewards=reward_scale_factor * next_time_steps.reward,
          discounts=tf.stack([self._gamma * discount,
                              self._intrinsic_gamma * intrinsic_discount], axis=-1))
      valid_mask = tf.cast(~time_steps.is_last(), tf.float32)[:, None]
      td_loss = valid_mask * td_errors_loss_fn(td_targets, q_values)
      td_error = valid_mask * (td_targets - q_values)
      aggregated = common.aggregate_losses(
          per_example_loss=tf.reduce_sum(td_loss, axis=-1), sample_weight=weights,
          regularization_loss=self._q_network.losses)
      return tf_agent.LossInfo(aggregated.total_loss,
                               dqn_agent.DqnLossInfo(td_loss=td_loss, td_error=td_error))

  def _next_q_values(self, next_time_steps):
    """Target-network values [batch, 2] of each head at the greedy action of the combined Q."""
    observation, step_type = next_time_steps.observation, next_time_steps.step_type
    target_values = self._target_q_network.head_values(observation, step_type)
    if self._double_dqn:
      combined, _ = self._q_network(observation, step_type=step_type)
    else:
      combined = tf.reduce_sum(target_values, axis=-1)
    actions = tf.argmax(combined, axis=-1, output_type=tf.int32)
    return tf.gather(target_values, actions, batch_dims=1)
