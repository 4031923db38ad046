"""The replay job: builds the run's specs from its gin file and serves the replay server."""
from absl import logging
import tensorflow as tf

from tf_empowerment.distributed import replay_server
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.distributed import variables as variables_lib
from tf_empowerment.train import learner as learner_lib


def serve(root_dir, port, allow_remote=False):
  """Serves the tables of the parsed gin configuration's run on `port` until the process ends
  (replay_server.start says where it listens)."""
  settings = settings_lib.RunSettings.from_gin()
  py_env, parts, collect_policy = settings_lib.build(
      settings, tf.Variable(0, dtype=tf.int64, name="agent_step"))
  py_env.close()
  tables = replay_server.replay_tables(
      settings, collect_policy.trajectory_spec,
      learner_lib.window_length(parts.agent, parts.intrinsic_reward),
      variables_lib.pushed_variables(parts.agent, parts.observations, parts.intrinsic_reward),
      observed=parts.intrinsic_reward is not None)
  server = replay_server.start(tables, port, root_dir, allow_remote=allow_remote)
  logging.info("replay server serving on port %d", port)
  server.wait()
