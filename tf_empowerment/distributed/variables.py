"""What the learner pushes to the actors, through TF-Agents' ReverbVariableContainer.

The policy's variables, the observation pipeline's (normaliser statistics fitted by the
learner, encoder weights), the intrinsic reward's trained networks (for what it computes at
collection) and the learner's train step, from which each actor sets the agent step that its
epsilon follows (RunSettings.agent_step). The collect policy is built in code on each actor,
so its epsilon needs no variable of its own.
"""
from absl import logging
from tf_agents.experimental.distributed import reverb_variable_container

from tf_empowerment.distributed import replay_server

OBSERVATIONS_KEY = "observations"
INTRINSIC_REWARD_KEY = "intrinsic_reward"


def pushed_variables(agent, observations, intrinsic_reward=None):
  """The nest of variables the learner pushes and the actors assign."""
  variables = {reverb_variable_container.POLICY_KEY: agent.collect_policy.variables(),
               OBSERVATIONS_KEY: list(observations.variables),
               reverb_variable_container.TRAIN_STEP_KEY: agent.train_step_counter}
  if intrinsic_reward is not None:
    variables[INTRINSIC_REWARD_KEY] = list(intrinsic_reward.trainable_variables)
  return variables


class VariableChannel:
  """Pushes or pulls `variables` (a `pushed_variables` nest) through the server that
  `connection` (a distributed.connection.Connection) reaches."""

  def __init__(self, connection, variables):
    self._connection = connection
    self._variables = variables
    connection.table_info(replay_server.VARIABLE_TABLE)  # reachable before TF-Agents' call
    self._container = reverb_variable_container.ReverbVariableContainer(
        connection.address, table_names=[replay_server.VARIABLE_TABLE])

  def push(self):
    self._connection.retry(lambda: self._container.push(self._variables), "pushing variables")

  def pull(self):
    """Assigns the latest pushed values, first waiting (with log lines) for the learner's first
    push, and giving up as the connection does. Returns the pushed train step."""
    self._connection.wait_until(
        lambda: self._connection.table_info(replay_server.VARIABLE_TABLE).current_size > 0,
        "waiting for the learner's first push of variables")
    self._connection.retry(lambda: self._container.update(self._variables), "pulling variables")
    return int(self._variables[reverb_variable_container.TRAIN_STEP_KEY].numpy())
