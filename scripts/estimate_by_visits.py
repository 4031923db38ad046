"""Where a finished gridworld run's learned empowerment can be trusted: each cell's estimate
against its exact value, grouped by how often the run visited the cell.

  python scripts/estimate_by_visits.py --root_dir=runs/issue14_model_critic/nine_rooms/gridworld_counts_plus_mine/seed_0

Rebuilds the run from its operative configuration (root_dir/operative_config.gin) and restores
its latest checkpoint; nothing is written. The run's intrinsic reward must hold a
TabularCountBonus (the visits) and an EmpowermentReward (the estimate), in a CombinedBonus; the
exact value is Blahut-Arimoto on the run's layout at the estimator's number of steps. Prints a
markdown table (gridworld_estimates.by_visits_table): per visit-count group, the cells, the mean
estimate, the mean exact value, the mean |error| and the share of cells whose estimate is below
0 (where a floored reward takes its lowest value).
"""
import os
import sys

from tf_empowerment.train import quiet_logs

quiet_logs.silence_library_noise()

# pylint: disable=g-import-not-at-top,wrong-import-position
from absl import app
from absl import flags
import gin
import tensorflow as tf

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.benchmarks import gridworld_estimates
from tf_empowerment.empowerment import exact
from tf_empowerment.envs import gridworld
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.train import config
from tf_empowerment.train import runner as runner_lib
# pylint: enable=g-import-not-at-top,wrong-import-position

flags.DEFINE_string("root_dir", None, "A finished (or checkpointed) gridworld run.")
flags.mark_flag_as_required("root_dir")
FLAGS = flags.FLAGS


def _terms(reward, kind):
  terms = getattr(reward, "terms", [reward])
  found = [term for term in terms if isinstance(term, kind)]
  if not found:
    raise config.ConfigError(f"the run's intrinsic reward has no {kind.__name__}")
  return found[0]


def main(argv):
  del argv
  try:
    config.parse_gin([os.path.join(FLAGS.root_dir, "operative_config.gin")], [])
    runner = runner_lib.Runner(root_dir=FLAGS.root_dir)
    if not runner.start():
      raise config.ConfigError(f"no checkpoint under {FLAGS.root_dir}")
    visits = _terms(runner.intrinsic_reward, counts.TabularCountBonus).counts.numpy()
    estimator = _terms(runner.intrinsic_reward, empowerment_reward.EmpowermentReward)
  except config.ConfigError as error:
    sys.exit(f"error: {config.one_line(error)}")
  layout = gridworld.GridLayout.load(gin.query_parameter("Runner.env_id").split(":", 1)[1])
  exact_values = exact.gridworld_empowerment(layout, estimator.estimator.n_steps,
                                             gin.query_parameter("GridworldEnv.slip"))
  estimates = estimator.state_values(tf.eye(len(visits))).numpy()
  print(f"{len(visits)} cells, {int((visits > 0).sum())} visited; "
        f"{estimator.estimator.n_steps}-step empowerment, nats\n")
  print(gridworld_estimates.by_visits_table(visits, estimates, exact_values))


if __name__ == "__main__":
  app.run(main)
