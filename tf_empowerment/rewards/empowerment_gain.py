"""The empowerment an action gains the agent by changing the world, as a reward.

A stationary empowerment reward pays for standing where empowerment is high: on MultiRoom
beside the doors, not through them (README). Along a path of moves the change of empowerment
telescopes; what is left where the agent's own cell and direction stay as they were is what its
action did to the world: opening a door or picking up a key makes more futures reachable
(+log 5/4 of exact 1-step empowerment on MiniGrid), closing the door again takes as much back.
So the reward pays once for each change that empowers the agent, and undoing it repays it: a
cycle of opening and closing earns only the discount's share.
"""
import gin
import tensorflow as tf

from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.rewards import intrinsic_reward


@gin.configurable
class EmpowermentGainReward(intrinsic_reward.StateBonus):
  """beta * (E(s') - E(s)) where the agent's cell and direction are the same in s and s', else
  0, E (nats) the `state_values` of the `empowerment` bonus it wraps (exact or learned; it
  observes the collected steps and trains on every sampled batch through this one).

  States begin with the agent's one-hot cell [num_cells] and, with `num_directions`
  (MiniGridEnv's 4), its one-hot direction: what says where the agent is. The reward is of a
  transition, so it is computed on each sampled batch with the current E, never at collection,
  and not normalised. `signed = False` pays |E(s') - E(s)| instead, closing a door as much as
  opening it: the control that says whether it is empowerment's direction that helps or only
  that the agent changes the world.
  """

  def __init__(self, state_spec, action_spec, num_envs, empowerment=gin.REQUIRED,
               num_cells=gin.REQUIRED, num_directions=4, signed=True, beta=0.5, num_channels=1,
               name="empowerment_gain_reward"):
    super().__init__(state_spec, num_envs, beta, normaliser=None, num_channels=num_channels,
                     name=name)
    empowerment_reward.check_agent_pose("EmpowermentGainReward", state_spec, num_cells,
                                        num_directions)
    self.empowerment = empowerment(state_spec=state_spec, action_spec=action_spec,
                                   num_envs=num_envs)
    if self.empowerment.state_values is None:
      raise ValueError(f"EmpowermentGainReward.empowerment: {self.empowerment.name} has no "
                       "value of a state to take the change of")
    self._pose_size = num_cells + num_directions
    self._signed = signed

  def state_values(self, states):
    return self.empowerment.state_values(states)

  def create_variables(self):
    self.empowerment.create_variables()

  def observe(self, trajectory):
    self.empowerment.observe(trajectory)  # e.g. the steps a learned transition table records

  def train(self, states, actions, next_states, weights):
    return self.empowerment.train(states, actions, next_states, weights)

  def transition_bonus(self, states, actions, next_states):
    del actions
    pose = slice(None, self._pose_size)
    stayed = tf.reduce_all(states[:, pose] == next_states[:, pose], axis=-1)
    gain = self.state_values(next_states) - self.state_values(states)
    gain = gain if self._signed else tf.abs(gain)
    return tf.where(stayed, gain, tf.zeros_like(gain))

  def bonus_metrics(self, bonus, weights):
    return {
        "empowerment_gain/mean": intrinsic_reward.weighted_mean(bonus, weights),
        "empowerment_gain/positive_fraction": intrinsic_reward.weighted_mean(
            tf.cast(bonus > 0, tf.float32), weights),
        "empowerment_gain/nonzero_fraction": intrinsic_reward.weighted_mean(
            tf.cast(bonus != 0, tf.float32), weights),
    }
