"""Policies around the agent's: the collect policy that records what replay must keep, and the
exported policy that takes the environment's raw observations."""
import tensorflow as tf
from tf_agents.policies import tf_policy


class RecordingPolicy(tf_policy.TFPolicy):
  """Acts as `policy` does; its info is {name: fn(time_step)} for `recorders`.

  `recorders` maps a name to (spec, fn) with fn(time_step [batch]) -> [batch, *spec]:
  replay stores the info beside each step, so what is computed here (an embedding, a bonus
  computed at acting time) is computed once per step.
  """

  def __init__(self, policy, recorders):
    super().__init__(policy.time_step_spec, policy.action_spec, policy.policy_state_spec,
                     info_spec={name: spec for name, (spec, _) in recorders.items()},
                     clip=False, automatic_state_reset=False, name="RecordingPolicy")
    self._policy = policy
    self._recorders = {name: fn for name, (_, fn) in recorders.items()}

  def _variables(self):
    return self._policy.variables()

  def _action(self, time_step, policy_state, seed):
    step = self._policy.action(time_step, policy_state, seed)
    return step._replace(info={name: fn(time_step)
                               for name, fn in self._recorders.items()})

  def _distribution(self, time_step, policy_state):
    raise NotImplementedError("RecordingPolicy only acts; it has no distribution")


class RawObservationPolicy(tf_policy.TFPolicy):
  """`policy`, which acts on `view(observation)`, as a policy on raw observations of
  `time_step_spec`; `observations` (a tf.Module holding the normaliser and encoder that `view`
  uses) is tracked, so an exported SavedModel carries them."""

  def __init__(self, policy, time_step_spec, observations, view):
    super().__init__(time_step_spec, policy.action_spec, policy.policy_state_spec,
                     policy.info_spec, clip=False, name="RawObservationPolicy")
    self._policy = policy
    self._observations = observations
    self._view = view

  def _variables(self):
    return self._policy.variables() + list(self._observations.variables)

  def _viewed(self, time_step):
    return time_step._replace(observation=self._view(time_step.observation))

  def _action(self, time_step, policy_state, seed):
    return self._policy.action(self._viewed(time_step), policy_state, seed)

  def _distribution(self, time_step, policy_state):
    return self._policy.distribution(self._viewed(time_step), policy_state)
