"""One job of a distributed run: the replay server, an actor, the learner or the evaluator.

  python scripts/distributed.py --job=replay --gin_file=gin/gridworld_dqn.gin \
      --root_dir=runs/grid --replay_address=localhost:8000
  python scripts/distributed.py --job=learner ...same flags...
  python scripts/distributed.py --job=actor --task=0 ...same flags...
  python scripts/distributed.py --job=eval ...same flags...

The gin files are the ones scripts/train.py takes. scripts/launch_local.py starts all of them on
this machine. Rerunning a job resumes it (see tf_empowerment/distributed). Problems stop a job
with one line starting "error: ". SIGTERM or Ctrl-C stops the learner after a checkpoint (exit
status 143 or 130, as scripts/train.py) and the eval job after its current evaluation.
"""
import sys

from tf_empowerment.train import quiet_logs

quiet_logs.silence_library_noise()

# pylint: disable=g-import-not-at-top,wrong-import-position
from absl import app
from absl import flags
from absl import logging

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.distributed import actor_job
from tf_empowerment.distributed import connection
from tf_empowerment.distributed import eval_job
from tf_empowerment.distributed import learner_job
from tf_empowerment.distributed import replay_job
from tf_empowerment.train import checkpoints
from tf_empowerment.train import config
from tf_empowerment.train import interrupts
from tf_empowerment.train import learner
from tf_empowerment.train import run_lock
# pylint: enable=g-import-not-at-top,wrong-import-position

flags.DEFINE_enum("job", None, ["replay", "actor", "learner", "eval"], "Which job to run.")
flags.DEFINE_multi_string("gin_file", [], "Gin files with the experiment's configuration.")
flags.DEFINE_multi_string("gin_bindings", [], "Gin bindings overriding the files.")
flags.DEFINE_string("root_dir", None, "The run's directory (checkpoints, summaries, policy).")
flags.DEFINE_string("replay_address", None, "HOST:PORT of the replay server; the replay job "
                    "serves on PORT.")
flags.DEFINE_integer("task", 0, "The actor's number: 0, 1, ... (its environments' seeds).")
flags.DEFINE_bool("allow_remote", False, "Replay job: serve other machines too. Reverb listens "
                  "on every interface and serves unauthenticated gRPC (trusted networks only); "
                  "without this flag the job serves only where loopback is the one interface, "
                  "as in launch_local.py's private network namespace.")
flags.mark_flags_as_required(["job", "root_dir", "replay_address"])
FLAGS = flags.FLAGS
# Stop a job with one line.
JOB_ERRORS = (config.ConfigError, run_lock.RunInUseError, connection.ReplayUnreachableError,
              checkpoints.IncompatibleCheckpointError, checkpoints.UnreadableCheckpointsError,
              learner.DivergenceError)
BUILD_ERRORS = (ValueError, OSError, TypeError)


def _port(address):
  host, _, port = address.rpartition(":")
  if not host or not port.isdigit():
    raise config.ConfigError(f"--replay_address must be HOST:PORT, got {address!r}")
  return int(port)


def _run_learner():
  with run_lock.hold(FLAGS.root_dir), interrupts.StopOnInterrupt() as interrupt:
    job = _build(lambda: learner_job.LearnerJob(
        FLAGS.root_dir, connection.Connection(FLAGS.replay_address)))
    logging.info("Operative gin configuration:\n%s", config.save_operative_config(FLAGS.root_dir))
    job.run(stop_requested=lambda: interrupt.requested)
  if interrupt.requested:  # Saved, not finished: launch_local and shells tell the two apart.
    sys.exit(interrupt.exit_status)


def _run_eval():
  with interrupts.StopOnInterrupt() as interrupt:
    job = _build(lambda: eval_job.EvalJob(
        FLAGS.root_dir, connection.Connection(FLAGS.replay_address)))
    job.run(stop_requested=lambda: interrupt.requested)
  if interrupt.requested:
    sys.exit(interrupt.exit_status)


def _build(make):
  try:
    return make()
  except BUILD_ERRORS as error:
    sys.exit(f"error: {config.explain(error)}")


def main(argv):
  del argv
  try:
    port = _port(FLAGS.replay_address)
    config.parse_gin(FLAGS.gin_file, FLAGS.gin_bindings)
    config.configure_threads()
    if FLAGS.job == "replay":
      _build(lambda: replay_job.serve(FLAGS.root_dir, port, allow_remote=FLAGS.allow_remote))
    elif FLAGS.job == "actor":
      _build(lambda: actor_job.ActorJob(
          FLAGS.root_dir, connection.Connection(FLAGS.replay_address), task=FLAGS.task)).run()
    elif FLAGS.job == "eval":
      _run_eval()
    else:
      _run_learner()
  except JOB_ERRORS as error:
    sys.exit(f"error: {config.one_line(error)}")


if __name__ == "__main__":
  app.run(main)
