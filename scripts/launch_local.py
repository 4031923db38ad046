"""A distributed run on this machine: the replay server, the learner, N actors and the eval job.

  python scripts/launch_local.py --num_actors=2 --gin_file=gin/gridworld_dqn.gin \
      --root_dir=runs/grid_distributed

Starts every job of scripts/distributed.py on a free port, each logging to ROOT_DIR/logs/,
reports any job's death (restarting it up to --restarts times) and stops them all together
when the learner finishes, when the run cannot go on, or on Ctrl-C / SIGTERM. Exits 0 when
the learner finished. The jobs run in a private network namespace whose only interface is
loopback (Reverb's server would otherwise listen on every interface), unless --allow_remote.
"""
import signal
import sys

from absl import app
from absl import flags
from absl import logging
import portpicker

from tf_empowerment.distributed import isolation
from tf_empowerment.distributed import launcher

flags.DEFINE_integer("num_actors", 2, "Actor processes.")
flags.DEFINE_multi_string("gin_file", [], "Gin files with the experiment's configuration.")
flags.DEFINE_multi_string("gin_bindings", [], "Gin bindings overriding the files.")
flags.DEFINE_string("root_dir", None, "The run's directory.")
flags.DEFINE_integer("restarts", 0, "How many times a job that dies is restarted.")
flags.DEFINE_float("grace", 10.0, "Seconds between SIGTERM and SIGKILL when stopping jobs.")
flags.DEFINE_bool("eval", True, "Run the eval job: greedy episodes every Runner.eval_interval "
                  "agent steps, written to ROOT_DIR/eval.")
flags.DEFINE_bool("allow_remote", False, "Run the jobs on this machine's network, the replay "
                  "server reachable from other machines (unauthenticated gRPC: trusted networks "
                  "only). By default they run in a private network namespace: loopback only.")
flags.mark_flags_as_required(["root_dir"])
FLAGS = flags.FLAGS


def main(argv):
  del argv
  if FLAGS.num_actors < 1 or FLAGS.restarts < 0:
    sys.exit("error: --num_actors must be at least 1 and --restarts at least 0")
  if not FLAGS.allow_remote:
    try:
      isolation.isolate()
    except OSError as error:
      sys.exit(f"error: {error}: the replay server would be reachable from other machines; "
               f"pass --allow_remote to run it so")
  common = ([f"--gin_file={path}" for path in FLAGS.gin_file]
            + [f"--gin_bindings={binding}" for binding in FLAGS.gin_bindings]
            + (["--allow_remote"] if FLAGS.allow_remote else []))
  run = launcher.LocalRun(FLAGS.root_dir, common, portpicker.pick_unused_port(),
                          FLAGS.num_actors, restarts=FLAGS.restarts, grace=FLAGS.grace,
                          evaluate=FLAGS.eval)
  stop = []
  for signum in (signal.SIGINT, signal.SIGTERM):
    signal.signal(signum, lambda *_: stop.append(True))
  status = run.run(stop_requested=lambda: bool(stop))
  logging.info("launch_local: stopped every job; exit status %d", status)
  sys.exit(status)


if __name__ == "__main__":
  app.run(main)
