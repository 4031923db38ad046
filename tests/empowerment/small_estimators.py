"""Learned estimators with tiny networks for unit tests, by name: mine_jsd, mine_dv, mine_nwj or
variational."""
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.networks import forward_model
from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

NAMES = ("mine_jsd", "mine_dv", "mine_nwj", "variational")


def build(name, num_actions, source="learned", jit_compile=True):
  """Networks of 8 units; the forward model's warm-up ends after 2 steps, so EM's fit runs too."""
  networks = dict(
      source=source, jit_compile=jit_compile,
      forward_model=lambda num_actions: forward_model.ForwardModel(
          num_actions, hidden_units=(8,), warmup_steps=2),
      source_network=lambda num_actions: policy_heads.SourceNetwork(num_actions, hidden_units=(8,)))
  if name == "variational":
    return variational.VariationalEmpowerment(
        num_actions, planning_network=lambda num_actions: policy_heads.PlanningNetwork(
            num_actions, hidden_units=(8,)), **networks)
  return mine.MineEmpowerment(
      num_actions, objective=name[len("mine_"):],
      statistics_network=lambda num_actions: statistics.StatisticsNetwork(
          num_actions, hidden_units=(8,)), **networks)
