"""The DQN agent of the trainer: TF-Agents' DqnAgent / DdqnAgent, or the two-head variant when
the intrinsic reward keeps two reward channels, with a linear epsilon schedule."""
import functools

import gin
import tensorflow as tf
from tf_agents.agents.dqn import dqn_agent
from tf_agents.utils import common

from tf_empowerment.networks import q_networks
from tf_empowerment.agents import two_head_dqn


@gin.configurable
class LinearEpsilon:
  """Epsilon decaying linearly from `start` to `end` over `decay_steps` agent steps."""

  def __init__(self, start=1.0, end=0.01, decay_steps=250_000):
    for name, value in (("start", start), ("end", end)):
      if not 0.0 <= value <= 1.0:
        raise ValueError(f"LinearEpsilon.{name} must be in [0, 1], got {value}")
    if decay_steps <= 0:
      raise ValueError(f"LinearEpsilon.decay_steps must be positive, got {decay_steps}")
    self.start, self.end, self.decay_steps = start, end, decay_steps

  def __call__(self, step):
    fraction = tf.minimum(tf.cast(step, tf.float32) / self.decay_steps, 1.0)
    return self.start + fraction * (self.end - self.start)


@gin.configurable(denylist=["reward_channels", "intrinsic_episodic"])
def create_dqn_agent(
    time_step_spec,
    action_spec,
    agent_step,
    reward_channels=1,
    intrinsic_episodic=False,
    q_network_fn=q_networks.mlp_q_network,
    double_dqn=True,
    learning_rate=1e-4,
    adam_epsilon=1.5e-4,
    gamma=0.99,
    n_step_update=1,
    target_update_period=2000,
    epsilon=LinearEpsilon,
    gradient_clipping=10.0,
    intrinsic_gamma=0.99,
):
  """Builds a (double) DQN agent with Huber loss and Adam.

  `agent_step` is the variable counting environment steps; epsilon decays with it.
  `target_update_period` counts gradient updates, as in TF-Agents.
  `reward_channels` is the intrinsic reward's (IntrinsicReward.num_channels): 1 gives DQN on
  one summed reward; 2 (extrinsic, intrinsic) gives a TwoHeadDqnAgent, extrinsic head with
  `gamma`, intrinsic head with `intrinsic_gamma`, episodic if `intrinsic_episodic`.
  """
  if learning_rate <= 0:
    raise ValueError(f"create_dqn_agent.learning_rate must be positive, got {learning_rate}")
  for name, value in (("gamma", gamma), ("intrinsic_gamma", intrinsic_gamma)):
    if not 0.0 <= value <= 1.0:
      raise ValueError(f"create_dqn_agent.{name} must be in [0, 1], got {value}")
  if n_step_update < 1 or target_update_period < 1:
    raise ValueError("create_dqn_agent.n_step_update and target_update_period must be >= 1")
  if reward_channels not in (1, 2):
    raise ValueError(f"create_dqn_agent: rewards must have 1 or 2 channels, got {reward_channels}")
  two_heads = reward_channels == 2
  if two_heads and n_step_update != 1:
    raise ValueError(f"create_dqn_agent: two reward channels (two Q-heads) support "
                     f"n_step_update = 1 only, got {n_step_update}")
  schedule = epsilon()
  if two_heads:
    agent_class = functools.partial(
        two_head_dqn.TwoHeadDqnAgent, intrinsic_gamma=intrinsic_gamma,
        intrinsic_episodic=intrinsic_episodic, double_dqn=double_dqn)
  else:
    agent_class = dqn_agent.DdqnAgent if double_dqn else dqn_agent.DqnAgent
  agent = agent_class(
      time_step_spec,
      action_spec,
      q_network=q_network_fn(time_step_spec.observation, action_spec, two_heads=two_heads),
      optimizer=tf.keras.optimizers.Adam(learning_rate=learning_rate, epsilon=adam_epsilon),
      epsilon_greedy=lambda: schedule(agent_step),
      n_step_update=n_step_update,
      target_update_period=target_update_period,
      td_errors_loss_fn=common.element_wise_huber_loss,
      gamma=gamma,
      gradient_clipping=gradient_clipping,
      train_step_counter=tf.Variable(0, dtype=tf.int64, name="train_step"),
  )
  agent.initialize()
  return agent, schedule
