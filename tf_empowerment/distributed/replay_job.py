"""The replay job: builds the run's specs from its gin file and serves the replay server."""
import socket

from absl import logging
import tensorflow as tf

from tf_empowerment.distributed import isolation
from tf_empowerment.distributed import replay_items
from tf_empowerment.distributed import replay_server
from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.distributed import variables as variables_lib
from tf_empowerment.train import learner as learner_lib


def serve(root_dir, port, allow_remote=False):
  """Serves the tables of the parsed gin configuration's run on `port` until the process ends.

  Reverb listens on every interface, so without `allow_remote` the job serves only where
  loopback is the process's one interface (scripts/launch_local.py runs its jobs in such a
  private network namespace) and raises ValueError elsewhere; with it, it serves other
  machines too, with a warning: the gRPC service has no authentication.
  """
  interfaces = [name for _, name in socket.if_nameindex()]
  if not (allow_remote or isolation.loopback_only()):
    raise ValueError(f"Reverb listens on every interface and this machine has "
                     f"{', '.join(interfaces)}: start the jobs with scripts/launch_local.py, "
                     f"which keeps them on a private loopback, or pass --allow_remote to serve "
                     f"other machines (unauthenticated gRPC: trusted networks only)")
  settings = settings_lib.RunSettings.from_gin()
  py_env, parts, collect_policy = settings_lib.build(
      settings, tf.Variable(0, dtype=tf.int64, name="agent_step"))
  py_env.close()
  items = replay_items.of_run(settings, collect_policy.trajectory_spec,
                             learner_lib.window_length(parts.agent, parts.intrinsic_reward))
  tables = replay_server.replay_tables(
      settings, items,
      variables_lib.pushed_variables(parts.agent, parts.observations, parts.intrinsic_reward),
      observed=parts.intrinsic_reward is not None)
  server = replay_server.start(tables, port, root_dir)
  if allow_remote:
    logging.warning("replay server serving on port %d of every interface (%s): Reverb's gRPC "
                    "has no authentication, anyone who reaches the port can read and write "
                    "replay and the weights; use it on a trusted network only", port,
                    ", ".join(interfaces))
  else:
    logging.info("replay server serving on port %d, on loopback only", port)
  server.wait()
