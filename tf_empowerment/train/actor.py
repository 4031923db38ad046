"""The actor: steps the environments with the collect policy and feeds its observers.

As TF-Agents' train.Actor, but on a TF driver compiled once: each `run` collects
`steps_per_run` agent steps (over all environments) and hands every step's trajectory to the
observers (replay, metrics, the intrinsic reward's `observe`).
"""
from tf_agents.drivers import dynamic_step_driver
from tf_agents.utils import common


class Actor:
  """Collects with `policy` in the TF environment `env`; `metrics` are observers too."""

  def __init__(self, env, policy, observers, metrics, steps_per_run):
    self.metrics = list(metrics)
    self._run = common.function(dynamic_step_driver.DynamicStepDriver(
        env, policy, observers=list(observers) + self.metrics, num_steps=steps_per_run).run)
    self._time_step = None
    self._policy_state = policy.get_initial_state(env.batch_size)

  @property
  def time_step(self):
    """The latest time step [batch, ...] (None before the first run)."""
    return self._time_step

  def run(self):
    """One compiled driver call."""
    self._time_step, self._policy_state = self._run(self._time_step, self._policy_state)
